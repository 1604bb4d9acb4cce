import { readFileSync } from 'node:fs';
import * as path from 'node:path';

import { handlebars } from '../../shared/lazyModule';
import { problem } from '../../shared/problems';
import type { Checked } from '../../shared/problems';
import {
	NOTICE_REASONS,
	NOTICE_TEXTS,
	PAGE_LANGUAGES,
	PAGE_TEXTS,
	isPageTextKey,
} from './pageTexts';
import type { NoticeReason, PageLanguage, PageTexts } from './pageTexts';

/** How the page connects: what Fetch WebRTC Token issued (a token, or a signed URL). */
export type PageConnection =
	| { type: 'webrtc'; conversationToken: string; livekitUrl: string }
	| { type: 'websocket'; signedUrl: string };

export interface PageInput {
	language: string;
	company: string;
	privacyUrl: string;
	contactEmail: string;
	/** The recruiter's replacements of single texts, by text key. */
	wording: Array<{ key: string; text: string }>;
	candidate: { name: string; jobTitle: string; userId: string };
	/** What Build Recruiting Prompt wrote (`prompt`), if anything. */
	prompt: unknown;
	connection: PageConnection;
	/** When the token or signed URL expires (ISO), and now, both on the server's clock. */
	expiresAt: string;
	nowMs: number;
	clientScript: { url: string; integrity: string };
	resamplerUrl: string;
}

/**
 * Bidirectional controls (U+202A–U+202E, U+2066–U+2069, marks) and other control characters: a
 * name like "Anna\u202Egnp.exe" must not reorder the page's text, so they are removed.
 */
const UNSAFE_CHARACTERS =
	// eslint-disable-next-line no-control-regex
	/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function cleanText(value: unknown): string {
	if (value === null || value === undefined) return '';
	const text = typeof value === 'string' ? value : typeof value === 'object' ? '' : String(value);
	return text.replace(UNSAFE_CHARACTERS, '').trim();
}

/** JSON inside <script>: nothing in the data can end the element or start markup. */
export function jsonForScript(value: unknown): string {
	return JSON.stringify(value).replace(
		/[<>&\u2028\u2029]/g,
		(ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
	);
}

/** The texts in one language with the recruiter's replacements and the candidate's fields filled in. */
export function pageTexts(
	language: PageLanguage,
	wording: PageInput['wording'],
	fields: Record<string, string>,
): Checked<PageTexts> {
	const texts: PageTexts = { ...PAGE_TEXTS[language] };
	for (const { key, text } of wording) {
		if (!isPageTextKey(key)) {
			return problem(
				`"${key}" is not a text of the interview page`,
				`Pick the text to replace from the list under "Wording".`,
			);
		}
		texts[key] = cleanText(text);
	}
	for (const key of Object.keys(texts) as Array<keyof PageTexts>) {
		texts[key] = texts[key].replace(
			/\{(name|company|jobTitle)\}/g,
			(_match, field: string) => fields[field] ?? '',
		);
	}
	return { ok: true, value: texts };
}

/** The privacy page: required (the consent refers to it), and only http(s), never `javascript:`. */
export function checkPrivacyUrl(raw: string): Checked<string> {
	const text = cleanText(raw);
	if (!text) {
		return problem(
			'The interview page needs a privacy URL',
			'Enter the address of your privacy notice under "Privacy URL": candidates read it before they agree to the recording.',
		);
	}
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		return problem(
			`The privacy URL "${text.slice(0, 120)}" is not a valid URL`,
			'Enter the full address including https://.',
		);
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		return problem(
			`The privacy URL must start with https:// or http://`,
			`"${url.protocol}" is not allowed on the page.`,
		);
	}
	return { ok: true, value: url.toString() };
}

/** A contact e-mail is optional; one that is given must look like one (it goes into a mailto: link). */
export function checkContactEmail(raw: string): Checked<string> {
	const text = cleanText(raw);
	if (text && !/^[^\s@<>"'/\\]+@[^\s@<>"'/\\]+\.[^\s@<>"'/\\]+$/.test(text)) {
		return problem(
			`"${text.slice(0, 120)}" is not an e-mail address`,
			'Enter the address candidates can write to under "Contact E-Mail", or leave it empty.',
		);
	}
	return { ok: true, value: text };
}

function isPrimitive(value: unknown): value is string | number | boolean {
	return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/**
 * What Build Recruiting Prompt rendered, as the client's overrides (the agent must allow
 * overriding the system prompt, first message and language) and dynamic variables.
 */
export function sessionOverrides(prompt: unknown): {
	overrides: { agent: Record<string, unknown> };
	dynamicVariables: Record<string, string | number | boolean>;
} {
	const p = (typeof prompt === 'object' && prompt !== null ? prompt : {}) as Record<
		string,
		unknown
	>;
	const agent: Record<string, unknown> = {};
	if (typeof p.system === 'string' && p.system) agent.prompt = { prompt: p.system };
	if (typeof p.firstMessage === 'string' && p.firstMessage) agent.firstMessage = p.firstMessage;
	if (typeof p.language === 'string' && p.language) agent.language = p.language;
	const variables =
		typeof p.dynamicVariables === 'object' && p.dynamicVariables !== null
			? (p.dynamicVariables as Record<string, unknown>)
			: {};
	const dynamicVariables = Object.fromEntries(
		Object.entries(variables).filter((entry): entry is [string, string | number | boolean] =>
			isPrimitive(entry[1]),
		),
	);
	return { overrides: { agent }, dynamicVariables };
}

const compiled = new Map<string, HandlebarsTemplateDelegate>();

/** A page template of the package (nodes/WebRtcToken/page/<name>.hbs), compiled once. */
function template(name: 'interview' | 'notice'): HandlebarsTemplateDelegate {
	let page = compiled.get(name);
	if (!page) {
		const hbs = handlebars().create();
		hbs.registerHelper('scriptJson', (value: unknown) => new hbs.SafeString(jsonForScript(value)));
		page = hbs.compile(readFileSync(path.join(__dirname, '..', 'page', `${name}.hbs`), 'utf8'), {
			strict: true,
		});
		compiled.set(name, page);
	}
	return page;
}

function pageLanguage(raw: string): Checked<PageLanguage> {
	const language = cleanText(raw).toLowerCase() as PageLanguage;
	if (PAGE_LANGUAGES.includes(language)) return { ok: true, value: language };
	return problem(
		`The interview page has no language "${raw}"`,
		`Choose one of: ${PAGE_LANGUAGES.join(', ')}.`,
	);
}

export interface NoticeInput {
	language: string;
	reason: string;
	company: string;
	contactEmail: string;
}

/**
 * The friendly page for a link that cannot start a conversation, and its HTTP status. An
 * unrecognised reason is an unknown link: the candidate never sees an internal state.
 */
export function renderNoticePage(
	input: NoticeInput,
): Checked<{ html: string; statusCode: number; reason: NoticeReason }> {
	const language = pageLanguage(input.language);
	if (!language.ok) return language;
	const contactEmail = checkContactEmail(input.contactEmail);
	if (!contactEmail.ok) return contactEmail;
	const reason: NoticeReason = Object.hasOwn(NOTICE_REASONS, input.reason)
		? (input.reason as NoticeReason)
		: 'unknown';
	const texts = NOTICE_TEXTS[language.value];
	const html = template('notice')({
		lang: language.value,
		...texts.pages[reason],
		questions: texts.questions,
		company: cleanText(input.company),
		contactEmail: contactEmail.value,
	});
	return { ok: true, value: { html, statusCode: NOTICE_REASONS[reason], reason } };
}

/** The candidate's interview page, or what to change in the node. */
export function renderInterviewPage(input: PageInput): Checked<string> {
	const checkedLanguage = pageLanguage(input.language);
	if (!checkedLanguage.ok) return checkedLanguage;
	const language = checkedLanguage.value;
	const privacyUrl = checkPrivacyUrl(input.privacyUrl);
	if (!privacyUrl.ok) return privacyUrl;
	const contactEmail = checkContactEmail(input.contactEmail);
	if (!contactEmail.ok) return contactEmail;
	const fields = {
		name: cleanText(input.candidate.name),
		company: cleanText(input.company),
		jobTitle: cleanText(input.candidate.jobTitle),
	};
	const texts = pageTexts(language, input.wording, fields);
	if (!texts.ok) return texts;
	const expiresAtMs = Date.parse(input.expiresAt);
	const { connection } = input;
	const session = {
		connectionType: connection.type,
		...(connection.type === 'websocket'
			? { signedUrl: connection.signedUrl }
			: { conversationToken: connection.conversationToken, livekitUrl: connection.livekitUrl }),
		// Lifetime left, measured on the server's clock (the candidate's clock may be wrong).
		validForMs: Number.isFinite(expiresAtMs) ? Math.max(0, expiresAtMs - input.nowMs) : 0,
		userId: cleanText(input.candidate.userId),
		...sessionOverrides(input.prompt),
		libsampleratePath: input.resamplerUrl,
		texts: texts.value,
	};
	const html = template('interview')({
		lang: language,
		t: texts.value,
		company: fields.company,
		privacyUrl: privacyUrl.value,
		contactEmail: contactEmail.value,
		session,
		clientScript: input.clientScript,
	});
	return { ok: true, value: html };
}
