/** Builds the interview and notice pages: checked texts, links and variables, strict CSP */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

import { cleanValue } from '../../shared/text/cleanText';
import { handlebars } from '../../shared/n8n/lazyModule';
import { problem } from '../../shared/n8n/problems';
import { contentSecurityPolicy, inlineHashes, sourceOf } from './pagePolicy';
import type { InlineHashes } from './pagePolicy';
import type { Checked } from '../../shared/n8n/problems';
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
	candidate: { name: string; jobTitle: string };
	/**
	 * The dynamic variables the page hands the agent, as the recruiter listed them. The browser
	 * sends them, so the candidate can change them: only what the agent says (a name), never an
	 * id, a prompt or an override.
	 */
	variables: Array<{ name: string; value: unknown }>;
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

/**
 * A contact e-mail is optional; one that is given must look like one. It goes into a mailto:
 * link, where `?`, `&`, `#`, `%` and `=` would add a subject, copies or a body to the e-mail.
 */
export function checkContactEmail(raw: string): Checked<string> {
	const text = cleanText(raw);
	if (text && !/^[^\s@<>"'/\\?&#%=]+@[^\s@<>"'/\\?&#%=]+\.[^\s@<>"'/\\?&#%=]+$/.test(text)) {
		return problem(
			`"${text.slice(0, 120)}" is not an e-mail address`,
			'Enter the address candidates can write to under "Contact E-Mail", or leave it empty.',
		);
	}
	return { ok: true, value: text };
}

/** Ids and contact data: the browser can change what it sends, so these never come from it. */
const NOT_FROM_THE_BROWSER = /(^|_)(id|phone|email|e_mail)$|[a-z](Id|ID|Phone|Email)$/i;
const VARIABLE_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/**
 * The page's dynamic variables: valid names, text or numbers (cleaned like prompt values), and
 * nothing that identifies the candidate: results are keyed on the conversation id that the
 * server issued with the token, so an id the browser sends must not look like one to trust.
 */
export function pageVariables(
	variables: PageInput['variables'],
): Checked<Record<string, string | number>> {
	const out: Record<string, string | number> = {};
	for (const { name, value } of variables) {
		const key = name.trim();
		if (!key) continue;
		if (!VARIABLE_NAME.test(key) || key.startsWith('system__')) {
			return problem(
				`"${key.slice(0, 60)}" is not a dynamic variable the page can send`,
				'Use letters, digits and underscores, starting with a letter, e.g. name (the system__ prefix is ElevenLabs’ own).',
			);
		}
		if (NOT_FROM_THE_BROWSER.test(key)) {
			return problem(
				`The page does not send "${key}": the candidate's browser could change it`,
				'Ids and contact data must not come from the browser. Results are keyed on the conversation ID the token was issued with; leave ids, phone numbers and e-mail addresses out of the agent\'s prompt and of "Dynamic Variables".',
			);
		}
		if (typeof value === 'number' && Number.isFinite(value)) out[key] = value;
		else if (typeof value === 'string' && value.trim()) out[key] = cleanValue(value);
		else if (value !== undefined && value !== null && value !== '') {
			return problem(
				`The dynamic variable "${key}" is not text or a number`,
				'Map it to a text field of the candidate, e.g. {{ $json.name }}.',
			);
		}
	}
	return { ok: true, value: out };
}

interface PageTemplate {
	render: HandlebarsTemplateDelegate;
	hashes: InlineHashes;
}

const compiled = new Map<string, PageTemplate>();

/** A page template of the package (nodes/WebRtcToken/page/<name>.hbs), compiled and hashed once. */
function template(name: 'interview' | 'notice'): PageTemplate {
	let page = compiled.get(name);
	if (!page) {
		const hbs = handlebars().create();
		hbs.registerHelper('scriptJson', (value: unknown) => new hbs.SafeString(jsonForScript(value)));
		const source = readFileSync(path.join(__dirname, '..', 'page', `${name}.hbs`), 'utf8');
		page = { render: hbs.compile(source, { strict: true }), hashes: inlineHashes(source) };
		compiled.set(name, page);
	}
	return page;
}

/** The connections a page's client opens: the signed URL's host, or the LiveKit server (wss and https). */
function connectSources(connection: PageConnection): string[] {
	if (connection.type === 'websocket') return [sourceOf(connection.signedUrl)];
	const livekit = sourceOf(connection.livekitUrl);
	return [livekit, livekit.replace(/^ws/, 'http')];
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
	const notice = template('notice');
	const html = notice.render({
		csp: contentSecurityPolicy(notice.hashes),
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
	const dynamicVariables = pageVariables(input.variables);
	if (!dynamicVariables.ok) return dynamicVariables;
	const expiresAtMs = Date.parse(input.expiresAt);
	const { connection } = input;
	const session = {
		connectionType: connection.type,
		...(connection.type === 'websocket'
			? { signedUrl: connection.signedUrl }
			: { conversationToken: connection.conversationToken, livekitUrl: connection.livekitUrl }),
		// Lifetime left, measured on the server's clock (the candidate's clock may be wrong).
		validForMs: Number.isFinite(expiresAtMs) ? Math.max(0, expiresAtMs - input.nowMs) : 0,
		dynamicVariables: dynamicVariables.value,
		libsampleratePath: input.resamplerUrl,
		texts: texts.value,
	};
	const page = template('interview');
	const csp = contentSecurityPolicy(page.hashes, {
		scripts: [sourceOf(input.clientScript.url), sourceOf(input.resamplerUrl)],
		connect: connectSources(connection),
	});
	const html = page.render({
		csp,
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
