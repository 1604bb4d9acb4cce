/** Renders a set's prompt, first message, knowledge base and voicemail; picks language, zone */
import { LANGUAGE_CODE_HINT, isLanguageCode } from '../../shared/text/languageCode';
import { ProblemError } from '../../shared/n8n/problems';
import { quoted } from '../../shared/text/quoted';
import { isLocale, isZone } from './locale';
import type { RenderData } from './handlebarsHelpers';
import { memoisedKnowledgeBase } from './knowledgeBaseMemo';
import type { CompiledSet, TemplateDelegate } from './templates';
import { PlaceholderValue, TemplateValue } from './values';

export interface RenderInput {
	/** Cleaned text per variable (from resolveVariables). */
	values: Map<string, string>;
	/**
	 * Variables to leave as ElevenLabs placeholders (`{{name}}`) instead of their values: what an
	 * agent's own prompt holds when a set is published to it. Empty for a per-call render.
	 */
	placeholders?: ReadonlySet<string>;
	data: Omit<RenderData, 'knowledgeBase'>;
	/** Whether the system prompt carries the knowledge base as well. */
	includeKnowledgeBase: boolean;
}

export interface RenderedTexts {
	system: string;
	firstMessage: string;
	knowledgeBase: string;
}

/** The template context: every variable as a value object, fenced or not. */
function contextFor(input: RenderInput, fenced: boolean): Record<string, TemplateValue> {
	const context: Record<string, TemplateValue> = Object.create(null);
	for (const [name, text] of input.values) context[name] = new TemplateValue(text, fenced);
	for (const name of input.placeholders ?? []) context[name] = new PlaceholderValue(name, fenced);
	return context;
}

const SPACE = 0x20;
const TAB = 0x09;
const LINE_FEED = 0x0a;

/**
 * Whether a text has a space or tab before a line break, or three line breaks in a row: one
 * walk from line break to line break (indexOf is a memchr), instead of a regular expression
 * over every character of a 20,000-character prompt.
 */
function needsTidying(text: string): boolean {
	for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) {
		const before = text.charCodeAt(at - 1);
		if (before === SPACE || before === TAB) return true;
		if (text.charCodeAt(at + 1) === LINE_FEED && text.charCodeAt(at + 2) === LINE_FEED) return true;
	}
	return false;
}

/** Blank lines that conditional blocks leave behind, and trailing spaces. */
export function tidy(text: string): string {
	// Prompts are long and rendered per candidate: copy only when there is something to tidy.
	if (!needsTidying(text)) return text.trim();
	return text
		.replace(/[ \t]+\n/g, '\n')
		.replace(/\n{3,}/g, '\n\n')
		.trim();
}

function run(template: TemplateDelegate, name: string, context: object, data: RenderData): string {
	let failure: unknown;
	try {
		return tidy(template(context, { data }));
	} catch (error) {
		failure = error;
	}
	if (failure instanceof ProblemError) throw failure;
	// Handlebars names the object it looked in; that may be candidate data, so leave it out.
	const message = String((failure as Error)?.message ?? failure).replace(
		/ not defined in .*? - /,
		' not defined - ',
	);
	throw new ProblemError(
		`The template "${name}" could not be rendered: ${message}`,
		'A variable or partial it needs is missing. Check the variable names in the template against the item and the node’s variables.',
	);
}

/**
 * Renders the system prompt (master with its phases), the first message and the knowledge
 * base for one candidate. Values are fenced in the system prompt and knowledge base (data for
 * the agent, not instructions) and plain in the first message, which is spoken as it is.
 */
export function renderTexts(set: CompiledSet, input: RenderInput): RenderedTexts {
	const fenced = contextFor(input, true);
	const data: RenderData = { ...input.data };
	const template = set.knowledgeBase;
	const knowledgeBase = template
		? memoisedKnowledgeBase(set, { ...input, data }, () =>
				run(template, 'knowledgeBase', fenced, data),
			)
		: '';
	let system = run(set.master, 'master', fenced, {
		...data,
		...(input.includeKnowledgeBase && knowledgeBase ? { knowledgeBase } : {}),
	});
	if (input.includeKnowledgeBase && knowledgeBase && !set.masterPlacesKnowledgeBase)
		system = `${system}\n\n${knowledgeBase}`;
	const firstMessage = set.firstMessage
		? run(set.firstMessage, 'firstMessage', contextFor(input, false), data)
		: '';
	return { system, firstMessage, knowledgeBase };
}

/**
 * The voicemail message of a set, spoken as it is (plain values, like the first message); empty
 * when the set has none. Call variables stay ElevenLabs placeholders, as in the prompt.
 */
export function renderVoicemailMessage(set: CompiledSet, input: RenderInput): string {
	if (!set.voicemailMessage) return '';
	return run(set.voicemailMessage, 'voicemailMessage', contextFor(input, false), {
		...input.data,
	});
}

/** The call language: the node's setting, the set's own, the candidate's, else German. */
export function resolveLanguage(
	setting: string,
	set: CompiledSet,
	candidate: string | undefined,
): string {
	const chosen = setting.trim();
	if (chosen) {
		if (!isLanguageCode(chosen)) {
			throw new ProblemError(
				`${quoted(chosen)} is not a language code`,
				`${LANGUAGE_CODE_HINT} (Options → Language).`,
			);
		}
		return chosen;
	}
	if (set.language) return set.language;
	const fromItem = candidate?.trim().toLowerCase();
	return fromItem && isLanguageCode(fromItem) ? fromItem : 'de';
}

const LOCALES: Record<string, string> = {
	de: 'de-DE',
	en: 'en-GB',
	fr: 'fr-FR',
	es: 'es-ES',
	it: 'it-IT',
	nl: 'nl-NL',
	pl: 'pl-PL',
	tr: 'tr-TR',
};

/** The date locale: the node's setting, the set's own, else one that fits the language. */
export function resolveLocale(setting: string, set: CompiledSet, language: string): string {
	const chosen = setting.trim();
	if (chosen) {
		if (!isLocale(chosen)) {
			throw new ProblemError(
				`${quoted(chosen)} (Options → Date Locale) is not a locale`,
				LOCALE_HINT,
			);
		}
		return chosen;
	}
	if (set.locale && (!set.language || set.language === language)) return set.locale;
	return LOCALES[language.slice(0, 2)] ?? language;
}

const LOCALE_HINT =
	'Use a BCP 47 locale such as de-DE, de-AT, en-GB or fr-FR, or leave it empty for the language’s own.';

/** The candidate's time zone, else the node's, else the workflow's. Each must be an IANA zone. */
export function resolveTimeZone(
	candidate: string | undefined,
	setting: string,
	workflowZone: string,
): string {
	for (const [zone, origin] of [
		[candidate, 'the item’s time zone field'],
		[setting, 'Options → Time Zone'],
	] as const) {
		const value = zone?.trim();
		if (!value) continue;
		if (!isZone(value)) {
			throw new ProblemError(
				`"${value}" (${origin}) is not a time zone`,
				'Use an IANA time zone name such as Europe/Berlin, Europe/Vienna or America/New_York.',
			);
		}
		return value;
	}
	return isZone(workflowZone) ? workflowZone : 'Europe/Berlin';
}
