/**
 * Candidate data is untrusted. It reaches a prompt only as a value: cleaned here, and wrapped in
 * a fence (⟦…⟧) that the master prompt tells the agent to read as data, never as instructions.
 * Values are never compiled as template source.
 */

export const FENCE_OPEN = '⟦';
export const FENCE_CLOSE = '⟧';

/** The default longest value (characters); longer values are cut with "…". */
export const DEFAULT_MAX_VALUE_LENGTH = 1000;

// Control characters (tabs and line breaks included), invisible format characters (zero-width,
// bidirectional overrides, soft hyphen), line and paragraph separators.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]+/gu;
const FENCE_CHARS = /[⟦⟧]/g;
const SPACE_CODE = 0x20;

/**
 * The text a value may carry into a prompt: one line, no control or invisible characters, no
 * fence characters (so it cannot close its own fence), no `{{` or `}}` (Handlebars and
 * ElevenLabs would both read those as placeholders), at most `maxLength` characters.
 */
export function cleanValue(value: string | number, maxLength = DEFAULT_MAX_VALUE_LENGTH): string {
	const given = typeof value === 'number' ? String(value) : value;
	if (isAlreadyClean(given, maxLength)) return given;
	let text = given.normalize('NFC');
	text = text.replace(INVISIBLE, ' ').replace(FENCE_CHARS, '').replace(/\s+/g, ' ').trim();
	text = text.replace(/\{{2,}/g, '{').replace(/\}{2,}/g, '}');
	const chars = Array.from(text);
	if (maxLength > 0 && chars.length > maxLength) {
		text = chars.slice(0, Math.max(1, maxLength - 1)).join('').trimEnd() + '…';
	}
	return text;
}

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const SOFT_HYPHEN = 0xad;

/**
 * Whether cleanValue would return the text unchanged, found in one pass over its characters
 * (the common case: a name, a city, a job title). Only characters that need neither
 * normalising nor replacing pass: printable ASCII, and the letters of Latin-1 and Latin
 * Extended-A (ä, ß, é, ı, ł, ş, …), which are their own NFC form. Anything else (control,
 * invisible or fence characters, other scripts, combining marks) takes the full cleaning.
 */
function isAlreadyClean(text: string, maxLength: number): boolean {
	const length = text.length;
	if (length === 0 || (maxLength > 0 && length > maxLength)) return false;
	let previous = SPACE_CODE;
	for (let i = 0; i < length; i++) {
		const c = text.charCodeAt(i);
		if (c < SPACE_CODE || (c > 0x7e && c < 0xa1) || c === SOFT_HYPHEN || c > 0x17f) return false;
		// Two spaces (or one at the start) collapse; {{ and }} are cut to one brace.
		if (c === previous && (c === SPACE_CODE || c === OPEN_BRACE || c === CLOSE_BRACE)) return false;
		previous = c;
	}
	return previous !== SPACE_CODE;
}

/** Whether a raw value counts as given: not undefined, null, or empty / blank text. */
export function isGiven(value: unknown): boolean {
	if (value === undefined || value === null) return false;
	if (typeof value === 'string') return value.trim() !== '';
	return true;
}

/** Whether a raw value may be used in a template: text, or a finite number. */
export function isScalar(value: unknown): value is string | number {
	return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
}

/**
 * A cleaned value in a template context. Handlebars (with `noEscape`) prints it through
 * toString: fenced in the system prompt and knowledge base, plain in the spoken first message.
 */
export class TemplateValue {
	/** What the template prints, made on first use only: a name is printed several times in a prompt. */
	private printed?: string;

	constructor(
		readonly text: string,
		readonly fenced: boolean,
	) {}

	toString(): string {
		return (this.printed ??= this.fenced ? `${FENCE_OPEN}${this.text}${FENCE_CLOSE}` : this.text);
	}
}

/**
 * A candidate field left as an ElevenLabs dynamic variable (`{{name}}`) instead of its value:
 * what the agent's own prompt holds when a template set is published to the agent, so that
 * ElevenLabs fills in each call's values.
 */
export class PlaceholderValue extends TemplateValue {
	constructor(
		readonly variable: string,
		fenced: boolean,
	) {
		super(`{{${variable}}}`, fenced);
	}
}

/** The plain text behind a template value; other values unchanged. */
export function unwrap(value: unknown): unknown {
	return value instanceof TemplateValue ? value.text : value;
}

/** ElevenLabs accepts dynamic-variable names like these (and reserves the system__ prefix). */
export function isDynamicVariableName(name: string): boolean {
	return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !name.startsWith('system__');
}

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}/g;

/** The `{{name}}` placeholders in a rendered text (which ElevenLabs resolves as dynamic variables). */
export function placeholdersIn(text: string): string[] {
	const names = new Set<string>();
	for (const match of text.matchAll(PLACEHOLDER)) names.add(match[1]);
	return [...names];
}
