/** Handlebars helpers for templates: default, eq, ne, and, or, not, and formatDate by locale */
import type { HelperDelegate, HelperOptions } from 'handlebars';
import { DateTime } from 'luxon';
import type { DateTimeFormatOptions } from 'luxon';

import { ProblemError } from '../../shared/n8n/problems';
import { quoted } from '../../shared/text/quoted';
import { isLocale, isZone } from './locale';
import { PlaceholderValue, unwrap } from './values';

/** What every render passes as Handlebars data (`@now`, `@locale`, …). */
export interface RenderData {
	/**
	 * The execution's start, ISO 8601 (UTC); or a placeholder (e.g. ElevenLabs'
	 * `{{system__time_utc}}`) when the text is for the agent itself rather than one call.
	 */
	now: string | PlaceholderValue;
	/** BCP 47 locale for dates, e.g. de-DE. */
	locale: string;
	/** IANA time zone of the candidate, e.g. Europe/Berlin. */
	timezone: string;
	/** The call's language code, e.g. de. */
	language: string;
	/** The rendered knowledge base, when the system prompt should include it. */
	knowledgeBase?: string;
}

const PRESETS: Record<string, DateTimeFormatOptions> = {
	short: DateTime.DATE_SHORT,
	medium: DateTime.DATE_MED,
	long: DateTime.DATE_FULL,
	full: DateTime.DATE_HUGE,
	dateTime: DateTime.DATETIME_MED,
	time: DateTime.TIME_SIMPLE,
};

// Formats that German and English sheets and forms use besides ISO 8601.
const FORMATS = [
	'd.M.yyyy',
	'd.M.yy',
	'd.M.yyyy H:mm',
	'd.M.yyyy, H:mm',
	'yyyy-MM-dd H:mm',
	'd/M/yyyy',
	'd MMMM yyyy',
	'MMMM d, yyyy',
];

/** Reads a date from text (ISO 8601, German and English day-first forms, RFC 2822, HTTP). */
export function parseDate(text: string, zone: string, locale: string): DateTime | undefined {
	const trimmed = text.trim();
	const attempts = [
		() => DateTime.fromISO(trimmed, { zone }),
		() => DateTime.fromRFC2822(trimmed, { zone }),
		() => DateTime.fromHTTP(trimmed, { zone }),
		() => DateTime.fromSQL(trimmed, { zone }),
		...FORMATS.flatMap((format) => [
			() => DateTime.fromFormat(trimmed, format, { zone, locale }),
			() => DateTime.fromFormat(trimmed, format, { zone, locale: 'en' }),
		]),
	];
	for (const attempt of attempts) {
		const date = attempt();
		if (date.isValid) return date;
	}
	return undefined;
}

const formatted = new Map<string, string>();

function isPresent(value: unknown): boolean {
	const raw = unwrap(value);
	return raw !== undefined && raw !== null && raw !== '' && raw !== false;
}

function splitArgs(args: unknown[]): { params: unknown[]; options: HelperOptions } {
	return { params: args.slice(0, -1), options: args[args.length - 1] as HelperOptions };
}

/** A helper that answers true or false: as a subexpression its value; as a block, fn or inverse. */
function condition(test: (params: unknown[]) => boolean): HelperDelegate {
	return function (this: unknown, ...args: unknown[]) {
		const { params, options } = splitArgs(args);
		const result = test(params);
		if (typeof options?.fn === 'function') return result ? options.fn(this) : options.inverse(this);
		return result;
	};
}

const same = (a: unknown, b: unknown) => {
	const x = unwrap(a);
	const y = unwrap(b);
	if (x === undefined || x === null || y === undefined || y === null) return x === y;
	return String(x) === String(y);
};

/**
 * The helpers templates may use. Registered on a fresh environment per template set (never on
 * the global Handlebars, which other nodes in the same n8n process share).
 */
export const HELPERS: Record<string, HelperDelegate> = {
	/** `{{default jobLocation "Berlin"}}`: the first given value (variables or literals). */
	default(...args: unknown[]) {
		const { params } = splitArgs(args);
		return params.find(isPresent) ?? '';
	},
	/** `{{#if (eq language "de")}}` or `{{#eq language "de"}}…{{else}}…{{/eq}}`. */
	eq: condition(([a, b]) => same(a, b)),
	ne: condition(([a, b]) => !same(a, b)),
	and: condition((params) => params.length > 0 && params.every(isPresent)),
	or: condition((params) => params.some(isPresent)),
	not: condition(([a]) => !isPresent(a)),
	/**
	 * `{{formatDate startDate "d. MMMM yyyy"}}`, `{{formatDate @now "full"}}`: a date in the
	 * candidate's locale and time zone (hash `locale=` and `zone=` override them). The format is
	 * a Luxon token string or one of short, medium, long, full, dateTime, time. Text that is not
	 * a date is printed as it is (e.g. "ab sofort").
	 */
	formatDate(...args: unknown[]) {
		const { params, options } = splitArgs(args);
		const [value, format] = params;
		if (value instanceof PlaceholderValue || !isPresent(value)) return value ?? '';
		const data = (options?.data ?? {}) as Partial<RenderData>;
		const hash = (options?.hash ?? {}) as { locale?: unknown; zone?: unknown };
		const locale = String(unwrap(hash.locale) ?? data.locale ?? 'de-DE');
		if (!isLocale(locale)) {
			throw new ProblemError(
				`${quoted(locale)} in {{formatDate … locale=…}} is not a locale`,
				'Use a BCP 47 locale such as de-DE, en-GB or fr-FR.',
			);
		}
		const zone = String(unwrap(hash.zone) ?? data.timezone ?? 'Europe/Berlin');
		// Luxon turns an unknown zone into an invalid date, which would print the raw value.
		if (!isZone(zone)) {
			throw new ProblemError(
				`${quoted(zone)} in {{formatDate … zone=…}} is not a time zone`,
				'Use an IANA time zone name such as Europe/Berlin, Europe/Vienna or America/New_York.',
			);
		}
		const raw = unwrap(value);
		if (typeof raw !== 'string') return value;
		const pattern = typeof unwrap(format) === 'string' ? String(unwrap(format)) : 'long';
		// The same date (above all @now) is printed for every candidate of an execution.
		const key = `${raw}\u0000${pattern}\u0000${locale}\u0000${zone}`;
		let text = formatted.get(key);
		if (text === undefined) {
			const date = parseDate(raw, zone, locale);
			const local = date?.setZone(zone).setLocale(locale);
			text = !local
				? ''
				: PRESETS[pattern]
					? local.toLocaleString(PRESETS[pattern])
					: local.toFormat(pattern);
			if (formatted.size >= 1000) formatted.clear();
			formatted.set(key, text);
		}
		return text || value;
	},
};

/** Names the compiler knows as helpers (Handlebars' own block helpers plus ours). */
export const KNOWN_HELPERS = ['if', 'unless', 'each', 'with', 'lookup', ...Object.keys(HELPERS)];

/** Helpers whose parameters may be absent: a variable used only there is optional. */
export const TOLERANT_HELPERS = new Set([
	'if',
	'unless',
	'each',
	'with',
	'default',
	'eq',
	'ne',
	'and',
	'or',
	'not',
	'lookup',
]);
