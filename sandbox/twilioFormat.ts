/** Twilio REST conventions shared by the Twilio route modules. */

export const TWILIO_API_PREFIX = '/2010-04-01';

/** Twilio's dates are RFC 2822: "Mon, 12 Jan 2026 09:00:00 +0000". */
export function twilioDate(date: Date | null | undefined): string | null {
	return date ? date.toUTCString().replace(/GMT$/, '+0000') : null;
}

/**
 * A form-encoded body (Twilio's request format). Repeated keys (e.g. `StatusCallbackEvent`,
 * which the SDK sends once per value) become arrays.
 */
export function parseForm(text: string): Record<string, string | string[]> {
	const out: Record<string, string | string[]> = {};
	for (const [key, value] of new URLSearchParams(text)) {
		const existing = out[key];
		out[key] =
			existing === undefined
				? value
				: Array.isArray(existing)
					? [...existing, value]
					: [existing, value];
	}
	return out;
}

/** The first value of a query / form parameter. */
export function firstValue(value: unknown): string | undefined {
	if (Array.isArray(value)) return value.length > 0 ? String(value[0]) : undefined;
	return value === undefined || value === null ? undefined : String(value);
}

export interface TwilioPageOptions<T> {
	/** Path of the list resource, e.g. `/2010-04-01/Accounts/AC…/IncomingPhoneNumbers.json`. */
	path: string;
	/** The key the records go under, e.g. `incoming_phone_numbers`. */
	key: string;
	/** The request's query (PageSize, Page, PageToken and the list's filters). */
	query: Record<string, unknown>;
	/** Filter parameters this list supports, carried into the paging URIs. */
	filterNames: string[];
	records: T[];
	render: (record: T) => unknown;
	/** Token for the page after a record (Twilio: "PA" + the last SID). */
	tokenAfter: (record: T) => string;
}

const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 1000;

/**
 * One page of a Twilio list in Twilio's envelope (`first_page_uri`, `next_page_uri`, `page`,
 * `page_size`, `previous_page_uri`, `start`, `end`, `uri`), as the SDK's `Page` reads it.
 */
export function twilioPage<T>(options: TwilioPageOptions<T>): Record<string, unknown> {
	const size = Math.min(
		MAX_PAGE_SIZE,
		Math.max(1, Number(firstValue(options.query.PageSize)) || DEFAULT_PAGE_SIZE),
	);
	const page = Math.max(0, Math.floor(Number(firstValue(options.query.Page)) || 0));
	const filters = new URLSearchParams();
	for (const name of options.filterNames) {
		const value = firstValue(options.query[name]);
		if (value !== undefined) filters.set(name, value);
	}
	const uri = (pageNumber: number, token?: string) => {
		const params = new URLSearchParams(filters);
		params.set('PageSize', String(size));
		params.set('Page', String(pageNumber));
		if (token) params.set('PageToken', token);
		return `${options.path}?${params.toString()}`;
	};
	const start = page * size;
	const slice = options.records.slice(start, start + size);
	const hasNext = start + size < options.records.length;
	const previousToken = page > 0 ? options.records[start] : undefined;
	return {
		[options.key]: slice.map(options.render),
		end: start + Math.max(0, slice.length - 1),
		first_page_uri: uri(0),
		next_page_uri: hasNext ? uri(page + 1, options.tokenAfter(slice[slice.length - 1])) : null,
		page,
		page_size: size,
		previous_page_uri: previousToken
			? uri(page - 1, `PB${options.tokenAfter(previousToken).slice(2)}`)
			: null,
		start,
		uri: uri(page, firstValue(options.query.PageToken)),
	};
}
