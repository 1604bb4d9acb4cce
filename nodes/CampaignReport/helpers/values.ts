/** Reading a results row as a sheet or a node left it: loose yes/no, numbers typed as text, dates. */
import { DateTime } from 'luxon';

/** A field of the item by its name, or by a dotted path into nested objects (`dataCollection.opt_out`). */
export function fieldAt(item: Record<string, unknown>, path: string): unknown {
	if (Object.hasOwn(item, path)) return item[path];
	if (!path.includes('.')) return undefined;
	let value: unknown = item;
	for (const part of path.split('.')) {
		if (value === null || typeof value !== 'object' || !Object.hasOwn(value, part))
			return undefined;
		value = (value as Record<string, unknown>)[part];
	}
	return value;
}

/** Whether a value says nothing: missing, null, blank text, or a dash a sheet shows for it. */
export function isBlank(value: unknown): boolean {
	if (value === undefined || value === null) return true;
	if (typeof value === 'string') return /^\s*(|-|–|—|n\/a|null|undefined)\s*$/i.test(value);
	return false;
}

/**
 * The first of `names` that the item gives: on the item itself, then in its `dataCollection`
 * (what Get Transcript and the trigger output), then in its `dynamicVariables`.
 */
export function firstGiven(item: Record<string, unknown>, names: readonly string[]): unknown {
	for (const scope of [item, item.dataCollection, item.dynamicVariables]) {
		if (!scope || typeof scope !== 'object' || Array.isArray(scope)) continue;
		for (const name of names) {
			const value = fieldAt(scope as Record<string, unknown>, name);
			if (!isBlank(value)) return value;
		}
	}
	return undefined;
}

const YES = new Set([
	'true',
	'yes',
	'ja',
	'j',
	'y',
	'x',
	'1',
	'wahr',
	'success',
	'oui',
	'sí',
	'si',
]);
const NO = new Set(['false', 'no', 'nein', 'n', '0', 'falsch', 'failure', 'non']);

/** true / false for what a sheet or an analysis writes for yes and no; undefined for anything else. */
export function yesNo(value: unknown): boolean | undefined {
	if (typeof value === 'boolean') return value;
	if (typeof value === 'number') return value === 1 ? true : value === 0 ? false : undefined;
	if (typeof value !== 'string') return undefined;
	const word = value.trim().toLowerCase();
	if (YES.has(word)) return true;
	if (NO.has(word)) return false;
	return undefined;
}

/**
 * A number from a value typed as text: "3.500 €" and "3500 EUR" are 3500, "52.000,50" is
 * 52000.5, "1,234.56" is 1234.56, "3,5" is 3.5. One separator followed by exactly three digits is
 * a thousands separator (as people write amounts in German and English). A range ("3000–3500"),
 * two numbers or no number at all give undefined: the report shows those as unknown.
 */
export function looseNumber(value: unknown): number | undefined {
	if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
	if (typeof value !== 'string') return undefined;
	const text = value.trim();
	if (!text || text.length > 60) return undefined;
	const numbers = text.match(/-?\d[\d.,'’\s]*\d|-?\d/g);
	if (!numbers || numbers.length !== 1) return undefined;
	// A letter-free rest: currency signs, units and words such as "EUR", "brutto", "Monate".
	let digits = numbers[0].replace(/[\s'’]/g, '');
	const negative = digits.startsWith('-');
	if (negative) digits = digits.slice(1);
	const lastDot = digits.lastIndexOf('.');
	const lastComma = digits.lastIndexOf(',');
	let normalised: string;
	if (lastDot >= 0 && lastComma >= 0) {
		const decimal = lastDot > lastComma ? '.' : ',';
		const thousands = decimal === '.' ? ',' : '.';
		normalised = digits.split(thousands).join('').replace(decimal, '.');
	} else if (lastDot >= 0 || lastComma >= 0) {
		const separator = lastDot >= 0 ? '.' : ',';
		const parts = digits.split(separator);
		const thousands = parts.length > 2 || parts[parts.length - 1].length === 3;
		normalised = thousands ? parts.join('') : parts.join('.');
	} else {
		normalised = digits;
	}
	if (!/^\d+(\.\d+)?$/.test(normalised)) return undefined;
	const number = Number(normalised);
	return Number.isFinite(number) ? (negative ? -number : number) : undefined;
}

/** A point in time from an ISO text, a JavaScript date, or epoch seconds / milliseconds. */
export function instant(value: unknown): DateTime | undefined {
	let time: DateTime | undefined;
	if (value instanceof Date) time = DateTime.fromJSDate(value);
	else if (typeof value === 'number' && Number.isFinite(value))
		time = DateTime.fromMillis(value < 1e11 ? value * 1000 : value);
	else if (typeof value === 'string' && value.trim()) {
		const text = value.trim();
		time = /^\d{9,13}$/.test(text)
			? DateTime.fromMillis(Number(text) < 1e11 ? Number(text) * 1000 : Number(text))
			: DateTime.fromISO(text, { setZone: true });
		if (!time.isValid) time = DateTime.fromSQL(text, { setZone: true });
	}
	return time?.isValid ? time : undefined;
}

/** A calendar date from "2027-03-01", "01.03.2027" or an ISO time; undefined for "sofort", "ASAP" … */
export function calendarDate(value: unknown): DateTime | undefined {
	if (typeof value === 'string') {
		const german = /^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$/.exec(value);
		if (german) {
			const date = DateTime.fromObject({
				year: Number(german[3]),
				month: Number(german[2]),
				day: Number(german[1]),
			});
			return date.isValid ? date : undefined;
		}
		if (!/^\s*\d{4}-\d{2}-\d{2}/.test(value)) return undefined;
	}
	return instant(value);
}

/** A value as one line of text for a table cell; objects as JSON, cut to `max` characters. */
export function displayText(value: unknown, max = 300): string {
	if (isBlank(value)) return '';
	let text: string;
	if (typeof value === 'string') text = value;
	else if (typeof value === 'number' || typeof value === 'boolean') text = String(value);
	else {
		try {
			text = JSON.stringify(value) ?? '';
		} catch {
			text = '';
		}
	}
	text = text.replace(/\s+/g, ' ').trim();
	const chars = Array.from(text);
	return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
}
