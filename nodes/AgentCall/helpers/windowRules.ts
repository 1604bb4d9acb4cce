/**
 * From the calling-window parameters to one candidate's window, the same for a single call and
 * for each recipient of a campaign: the hours and days are the node's; the time zone and the
 * public holidays are the candidate's own (the number's country) unless the node sets them.
 */
import { checkHolidayRegion, parseClockTime, resolveTimeZone } from './callingWindow';
import type { CallingWindow, Weekday } from './callingWindow';
import { parseCallingDays } from './callingDays';
import { problem } from '../../shared/n8n/problems';
import type { Checked } from '../../shared/n8n/problems';

/** The parameters as the node reads them. */
export interface WindowSettings {
	/** As given: the editor's list, or what an expression made of it (text, names, …). */
	days: unknown;
	start: unknown;
	end: unknown;
	/** One time zone for every candidate; empty: each candidate's own. */
	timeZone?: string;
	/** The country whose holidays are skipped; empty: each number's country. */
	holidayCountry?: string;
	holidayState?: string;
	skipHolidays: boolean;
}

/** The settings checked: what holds for every candidate. */
export interface WindowRules {
	days: Weekday[];
	startMinute: number;
	endMinute: number;
	zone?: string;
	/** `false`: no holiday check; `'number'`: the holidays of each number's country. */
	holidays: false | 'number' | { country: string; state?: string };
	holidayState?: string;
}

/** What a candidate brings: the item's own time-zone field and the number's country. */
export interface WindowCandidate {
	timezoneField: unknown;
	country?: string;
}

/** Checks the settings once, before any candidate: hours, days, a fixed zone or holiday country. */
export function windowRules(settings: WindowSettings, now: Date): Checked<WindowRules> {
	const start = parseClockTime(settings.start, 'earliest time');
	if (!start.ok) return start;
	const end = parseClockTime(settings.end, 'latest time');
	if (!end.ok) return end;
	if (end.value <= start.value) {
		return problem(
			'The calling window ends before it starts',
			'Set "Latest Local Time" after "Earliest Local Time" (windows over midnight are not supported).',
		);
	}
	const parsed = parseCallingDays(settings.days);
	if (!parsed.ok) return parsed;
	const days = parsed.value;
	if (!days.length)
		return problem('No calling days are chosen', 'Choose at least one day under "Calling Days".');
	let zone: string | undefined;
	if (settings.timeZone?.trim()) {
		const fixed = resolveTimeZone(settings.timeZone, undefined, now);
		if (!fixed.ok) return fixed;
		zone = fixed.value;
	}
	const state = settings.holidayState?.trim() || undefined;
	let holidays: WindowRules['holidays'] = settings.skipHolidays ? 'number' : false;
	if (holidays && settings.holidayCountry?.trim()) {
		const region = checkHolidayRegion(settings.holidayCountry, state);
		if (!region.ok) return region;
		holidays = region.value;
	}
	return {
		ok: true,
		value: {
			days,
			startMinute: start.value,
			endMinute: end.value,
			zone,
			holidays,
			holidayState: state,
		},
	};
}

/** The window of one candidate: in their time zone, with the holidays of their country. */
export function candidateWindow(
	rules: WindowRules,
	candidate: WindowCandidate,
	now: Date,
): Checked<CallingWindow> {
	const zone = rules.zone
		? { ok: true as const, value: rules.zone }
		: resolveTimeZone(candidate.timezoneField, candidate.country, now);
	if (!zone.ok) return zone;
	let holidays: CallingWindow['holidays'];
	if (rules.holidays === 'number') {
		if (!candidate.country) {
			return problem(
				'The country for public holidays cannot be told from this number',
				'Set "Holiday Country" in the calling window options, or switch off "Skip Public Holidays".',
			);
		}
		const region = checkHolidayRegion(candidate.country, rules.holidayState);
		if (!region.ok) return region;
		holidays = region.value;
	} else if (rules.holidays) {
		holidays = rules.holidays;
	}
	const { days, startMinute, endMinute } = rules;
	return { ok: true, value: { days, startMinute, endMinute, zone: zone.value, holidays } };
}
