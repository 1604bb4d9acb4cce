/** The longest stretch of user input an error message repeats (a 10 MB value stays out). */
export const MAX_QUOTED_CHARACTERS = 60;

/**
 * A value as an error message shows it: text in quotes, numbers as they are (NaN included),
 * anything else as JSON; cut to MAX_QUOTED_CHARACTERS with "…" and the full length.
 */
export function quoted(value: unknown, max = MAX_QUOTED_CHARACTERS): string {
	if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
		return String(value);
	if (value === undefined) return 'nothing';
	let text: string;
	try {
		// Only the start of a long text is shown: do not copy all of it first.
		text =
			JSON.stringify(typeof value === 'string' ? value.slice(0, max * 2) : value) ?? String(value);
	} catch {
		text = Object.prototype.toString.call(value);
	}
	const length = typeof value === 'string' ? value.length : text.length;
	const chars = Array.from(text.length > max * 4 ? text.slice(0, max * 4) : text);
	if (chars.length <= max && length <= max * 2) return text;
	return `${chars.slice(0, max).join('')}… (${length.toLocaleString('en')} characters)`;
}
