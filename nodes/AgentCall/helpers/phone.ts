/** Candidate phone numbers to E.164, refusing service numbers a person does not answer */
import type { CountryCode, NumberType } from 'libphonenumber-js/max';

import { lazyModule } from '../../shared/n8n/lazyModule';
import { problem } from '../../shared/n8n/problems';
import type { Checked } from '../../shared/n8n/problems';
import { quoted } from '../../shared/text/quoted';

// Its metadata with number types (the "max" set) and 70 modules load when a number is first read.
const phoneNumbers = lazyModule(
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	() => require('libphonenumber-js/max') as typeof import('libphonenumber-js/max'),
);

export interface CandidateNumber {
	/** The number in E.164, e.g. +491711234567. */
	e164: string;
	/** ISO country of the number, e.g. DE; none for non-geographic numbers (+800, +882 …). */
	country?: string;
	type: NumberType;
}

/** Number types a person answers. Everything else (premium, shared cost, toll free, pager …) is a service. */
const CALLABLE: ReadonlySet<NumberType> = new Set([
	'MOBILE',
	'FIXED_LINE',
	'FIXED_LINE_OR_MOBILE',
	'VOIP',
]);

const TYPE_WORDS: Partial<Record<NonNullable<NumberType>, string>> = {
	PREMIUM_RATE: 'a premium-rate number',
	SHARED_COST: 'a shared-cost service number',
	TOLL_FREE: 'a toll-free service number',
	PERSONAL_NUMBER: 'a personal forwarding number (e.g. 0700), which the caller pays extra for',
	PAGER: 'a pager number',
	UAN: 'a company switchboard (UAN) number',
	VOICEMAIL: 'a voicemail access number',
};

export function isCountryCode(value: string): value is CountryCode {
	return /^[A-Z]{2}$/.test(value);
}

/**
 * Spreadsheets drop the "+" of numbers stored as numbers: "491711234567" would otherwise be read
 * as a (valid!) German landline 0491 171…. A number without "+" or a leading 0 that starts with
 * the region's own country code and is valid as an international number is taken as one.
 */
function withoutLostPlus(text: string, region: CountryCode): string {
	const digits = text.replace(/[\s()./-]/g, '');
	if (!/^[1-9]\d+$/.test(digits)) return text;
	const { getCountryCallingCode, parsePhoneNumberFromString } = phoneNumbers();
	if (!digits.startsWith(getCountryCallingCode(region))) return text;
	return parsePhoneNumberFromString(`+${digits}`)?.isValid() ? `+${digits}` : text;
}

/**
 * The candidate's number in E.164, or why it cannot be called. National numbers are read with
 * the default region (`0171 1234567` in DE); `+49…` and `0049…` work everywhere.
 */
export interface NumberKinds {
	/**
	 * Satellite and international network numbers (+870 Inmarsat, +881 Iridium / Thuraya, +882 and
	 * +883 networks): valid mobiles to libphonenumber, but of no country, and several euros a minute.
	 */
	nonGeographic?: boolean;
}

/** Longer than any way of writing a phone number, extension and spacing included. */
const MAX_PHONE_TEXT = 100;

export function parseCandidatePhone(
	raw: unknown,
	defaultRegion: string,
	allow: NumberKinds = {},
): Checked<CandidateNumber> {
	if (raw !== undefined && raw !== null && typeof raw !== 'string' && typeof raw !== 'number') {
		const what = Array.isArray(raw)
			? 'a list'
			: typeof raw === 'boolean'
				? `a true/false value (${String(raw)})`
				: typeof raw === 'object'
					? 'an object'
					: `of type ${typeof raw}`;
		return problem(
			`The candidate's phone number is ${what}, not text: ${quoted(raw)}`,
			'Map the "Candidate Phone Number" parameter to the field that holds the number itself, e.g. {{ $json.contact.phone }} instead of {{ $json.contact }}, or the first entry of a list.',
		);
	}
	const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
	if (!text) {
		return problem(
			"The candidate's phone number is empty",
			'Map the "Candidate Phone Number" parameter to the field that holds the number (by default the item field "phone").',
		);
	}
	const region = defaultRegion.trim().toUpperCase();
	if (!isCountryCode(region)) {
		return problem(
			`The default region "${defaultRegion}" is not a two-letter country code`,
			'Enter a country code such as DE, AT or CH under "Default Phone Region".',
		);
	}
	// No phone number is this long; a huge text would only send the parser's regular expressions
	// into deep backtracking (a stack overflow on 10 MB).
	const parsed =
		text.length > MAX_PHONE_TEXT
			? undefined
			: phoneNumbers().parsePhoneNumberFromString(withoutLostPlus(text, region), region);
	if (!parsed || !parsed.isValid()) {
		return problem(
			`${quoted(text)} is not a valid phone number`,
			`Check the number. A national number such as 0171 1234567 is read as a number in ${region} (the default region); numbers of other countries need their country code, e.g. +43 or 0043.`,
		);
	}
	if (parsed.ext) {
		return problem(
			`${quoted(text)} has an extension (${parsed.ext}), which the agent cannot dial`,
			"Use the candidate's direct number without an extension.",
		);
	}
	const type = parsed.getType();
	// A valid number whose type the metadata cannot tell is most often a plain line: allow it.
	if (type !== undefined && !CALLABLE.has(type)) {
		return problem(
			`${quoted(text)} is ${TYPE_WORDS[type] ?? 'a service number'}, not a personal phone`,
			'Ask the candidate for a mobile or landline number. Service numbers cost the caller extra or reach no person.',
		);
	}
	if (!parsed.country && !allow.nonGeographic) {
		return problem(
			`${quoted(text)} is a satellite or international network number (+${parsed.countryCallingCode}), not a number of a country`,
			'Such calls cost several euros a minute. Ask the candidate for a mobile or landline number, or switch on Options → Allow Satellite and Network Numbers for candidates who can only be reached there.',
		);
	}
	return { ok: true, value: { e164: parsed.number, country: parsed.country, type } };
}
