/**
 * Untrusted text on its way into what the agent reads (prompt values, dynamic variables,
 * overrides): no control or invisible characters (NUL, ESC, bidirectional overrides,
 * zero-width), bounded in length. Build Recruiting Prompt and Place Agent Call clean the same way.
 */

export const FENCE_OPEN = '⟦';
export const FENCE_CLOSE = '⟧';

/** The default longest value (characters); longer values are cut with "…". */
export const DEFAULT_MAX_VALUE_LENGTH = 1000;

// Control characters (tabs and line breaks included), invisible format characters (zero-width,
// bidirectional overrides, soft hyphen), line and paragraph separators.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]+/gu;
// The same, but keeping line breaks and tabs: prompts and first messages have lines.
const INVISIBLE_IN_LINES = /[^\P{Cc}\n\t]|[\p{Cf}\p{Zl}\p{Zp}]/gu;
const FENCE_CHARS = /[⟦⟧]/g;
const SPACE_CODE = 0x20;

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

/**
 * The text a value may carry into a prompt: one line, no control or invisible characters, no
 * fence characters (so it cannot close its own fence), no `{{` or `}}` (Handlebars and
 * ElevenLabs would both read those as placeholders), at most `maxLength` characters.
 */
export function cleanValue(value: string | number, maxLength = DEFAULT_MAX_VALUE_LENGTH): string {
	let text = typeof value === 'number' ? String(value) : value;
	if (isAlreadyClean(text, maxLength)) return text;
	// A huge value (10 MB) is cut before the work below, which copies it several times.
	const cutEarly = maxLength > 0 && text.length > maxLength * 4 + 16;
	if (cutEarly) text = text.slice(0, maxLength * 4 + 16);
	text = text
		.normalize('NFC')
		.replace(INVISIBLE, ' ')
		.replace(FENCE_CHARS, '')
		.replace(/\s+/g, ' ')
		.trim();
	text = text.replace(/\{{2,}/g, '{').replace(/\}{2,}/g, '}');
	const chars = Array.from(text);
	if (maxLength > 0 && (chars.length > maxLength || cutEarly)) {
		text =
			chars
				.slice(0, Math.max(1, maxLength - 1))
				.join('')
				.trimEnd() + '…';
	}
	return text;
}

/** Multi-line text (a system prompt, a first message) without control or invisible characters. */
export function cleanLines(text: string): string {
	return text.normalize('NFC').replace(/\r\n?/g, '\n').replace(INVISIBLE_IN_LINES, '');
}

/** Whether a raw value counts as given: not undefined, null, or empty / blank text. */
export function isGiven(value: unknown): boolean {
	if (value === undefined || value === null) return false;
	if (typeof value === 'string') return value.trim() !== '';
	return true;
}

/** Whether a raw value may be used in a template or as a dynamic variable: text, or a finite number. */
export function isScalar(value: unknown): value is string | number {
	return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
}
