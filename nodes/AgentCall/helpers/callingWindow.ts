/** Calling window: local days and hours, public holidays, time zones, and when it next opens */
import type Holidays from 'date-holidays';
import { DateTime, IANAZone } from 'luxon';

import { lazyModule } from '../../shared/n8n/lazyModule';
import { problem } from '../../shared/n8n/problems';
import type { Checked } from '../../shared/n8n/problems';
import { quoted } from '../../shared/text/quoted';

// The calendars of every country, with astronomy for lunar holidays: loaded when first asked.
const HolidaysModule = lazyModule(
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	() => require('date-holidays') as typeof Holidays,
);

/** ISO weekday numbers as luxon counts them: 1 = Monday … 7 = Sunday. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export const WEEKDAY_NAMES: Record<Weekday, string> = {
	1: 'Monday',
	2: 'Tuesday',
	3: 'Wednesday',
	4: 'Thursday',
	5: 'Friday',
	6: 'Saturday',
	7: 'Sunday',
};

export interface CallingWindow {
	days: Weekday[];
	/** Local start and end, minutes after midnight; end is exclusive. */
	startMinute: number;
	endMinute: number;
	/** The candidate's IANA time zone. */
	zone: string;
	/** Public holidays to skip; none when the holiday check is off. */
	holidays?: { country: string; state?: string };
}

export type WindowCheck = { open: true } | { open: false; reason: string; nextWindowStart: string };

/**
 * "09:00" → 540. A whole number is read as hours (9 → 09:00), as a sheet or an expression gives
 * it; anything else that is not HH:MM text says what is expected.
 */
export function parseClockTime(value: unknown, label: string): Checked<number> {
	const hint = 'Enter the time as HH:MM in 24-hour format, e.g. 09:00 or 18:30.';
	if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 24)
		return { ok: true, value: value * 60 };
	if (typeof value !== 'string') {
		const what =
			value === null || value === undefined ? 'is empty' : `is ${quoted(value)}, not a time`;
		return problem(`The calling window's ${label} ${what}`, hint);
	}
	const match = /^([01]?\d|2[0-4]):([0-5]\d)$/.exec(value.trim());
	const minutes = match ? Number(match[1]) * 60 + Number(match[2]) : NaN;
	if (!match || minutes > 24 * 60) {
		return problem(`The calling window's ${label} ${quoted(value)} is not a time`, hint);
	}
	return { ok: true, value: minutes };
}

const holidayCalendars = new Map<string, Holidays | undefined>();

/** A calendar of the country's (and state's) public holidays, or undefined when unknown. */
function holidayCalendar(country: string, state?: string): Holidays | undefined {
	const key = `${country}/${state ?? ''}`;
	if (!holidayCalendars.has(key)) {
		const Calendar = HolidaysModule();
		const known = new Calendar().getCountries();
		const states = known[country] ? new Calendar().getStates(country) : undefined;
		const ok = Boolean(known[country]) && (!state || Boolean(states?.[state]));
		holidayCalendars.set(
			key,
			ok ? new Calendar(country, state ?? '', { types: ['public'] }) : undefined,
		);
	}
	return holidayCalendars.get(key);
}

/** Checks that a country (and state) has a holiday calendar, with what to change when not. */
export function checkHolidayRegion(
	country: string,
	state?: string,
): Checked<{ country: string; state?: string }> {
	const c = country.trim().toUpperCase();
	const s = state?.trim().toUpperCase() || undefined;
	if (holidayCalendar(c)) {
		if (!s || holidayCalendar(c, s)) return { ok: true, value: { country: c, state: s } };
		const Calendar = HolidaysModule();
		const states = Object.keys(new Calendar().getStates(c) ?? {});
		return problem(
			`"${state}" is not a state or region of ${c} with its own public holidays`,
			states.length
				? `Use one of: ${states.join(', ')} (for Germany e.g. BY for Bavaria, NW for North Rhine-Westphalia), or leave the state empty.`
				: `${c} has no states with their own holidays: leave the state empty.`,
		);
	}
	return problem(
		`No public-holiday calendar is known for the country "${country}"`,
		'Enter the two-letter country code under "Holiday Country", or switch off "Skip Public Holidays" if you check holidays yourself.',
	);
}

/** The public holiday on a local date (YYYY-MM-DD), if any. */
export function holidayOn(
	localDate: DateTime,
	region: { country: string; state?: string },
): string | undefined {
	const key = `${region.country}/${region.state ?? ''}/${localDate.year}`;
	let days = holidaysByYear.get(key);
	if (!days) {
		// A year's holidays are worked out once: a report checks thousands of calls against them.
		days = new Map();
		const calendar = holidayCalendar(region.country, region.state);
		for (const holiday of calendar?.getHolidays(localDate.year) ?? []) {
			const date = holiday.date.slice(0, 10);
			if (holiday.type === 'public' && !days.has(date)) days.set(date, holiday.name);
		}
		holidaysByYear.set(key, days);
	}
	return days.get(localDate.toISODate() ?? '');
}

const holidaysByYear = new Map<string, Map<string, string>>();

/** Time zones of a country, from the holiday calendar's data. */
function countryZones(country: string): string[] {
	const calendar = holidayCalendar(country);
	return calendar ? calendar.getTimezones() : [];
}

/**
 * The candidate's time zone: the item's own field when given, else the zone of the number's
 * country, when that country keeps one time (several zones with one offset count as one).
 */
export function resolveTimeZone(
	field: unknown,
	country: string | undefined,
	now: Date,
): Checked<string> {
	const given = typeof field === 'string' ? field.trim() : '';
	if (given) {
		if (IANAZone.isValidZone(given)) return { ok: true, value: given };
		return problem(
			`"${given}" is not a time zone`,
			'Use an IANA time zone name such as Europe/Berlin or America/New_York.',
		);
	}
	const zones = country ? countryZones(country) : [];
	if (!zones.length) {
		return problem(
			`The candidate's time zone cannot be told from the phone number${country ? ` (country ${country})` : ''}`,
			'Give the item a "timezone" field (e.g. Europe/Berlin), or set "Candidate Time Zone" in the calling window.',
		);
	}
	const year = DateTime.fromJSDate(now).year;
	const offsets = (zone: string) =>
		[1, 7].map((month) => DateTime.fromObject({ year, month, day: 15 }, { zone }).offset).join('/');
	if (new Set(zones.map(offsets)).size > 1) {
		return problem(
			`${country} spans several time zones, so the candidate's local time is not known from the number`,
			'Give the item a "timezone" field (e.g. America/Chicago), or set "Candidate Time Zone" in the calling window.',
		);
	}
	return { ok: true, value: zones[0] };
}

function formatMinute(minute: number): string {
	return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

/** The window's start and end on a local day, as absolute times (DST gaps move forward). */
function bounds(day: DateTime, window: CallingWindow): [DateTime, DateTime] {
	const at = (minute: number) =>
		minute >= 24 * 60
			? day.plus({ days: 1 }).startOf('day')
			: day.set({ hour: Math.floor(minute / 60), minute: minute % 60 });
	return [at(window.startMinute), at(window.endMinute)];
}

/** Why a local day is closed, or undefined when calls are allowed on it. */
function closedReason(day: DateTime, window: CallingWindow): string | undefined {
	if (!window.days.includes(day.weekday as Weekday))
		return `${WEEKDAY_NAMES[day.weekday as Weekday]} is not a calling day`;
	if (window.holidays) {
		const holiday = holidayOn(day, window.holidays);
		if (holiday) return `${day.toISODate()} is a public holiday (${holiday})`;
	}
	return undefined;
}

const SEARCH_DAYS = 400;

/**
 * When the window that is open at `now` closes, or undefined when it is not open then. A window
 * from 00:00 to 24:00 runs on into the next day when that is a calling day too.
 */
export function windowClosesAt(window: CallingWindow, now: Date): Date | undefined {
	const local = DateTime.fromJSDate(now, { zone: window.zone });
	let day = local.startOf('day');
	if (closedReason(day, window)) return undefined;
	const [start, end] = bounds(day, window);
	if (local < start || local >= end) return undefined;
	const roundTheClock = window.startMinute === 0 && window.endMinute >= 24 * 60;
	for (let offset = 0; roundTheClock && offset < SEARCH_DAYS; offset++) {
		const next = day.plus({ days: 1 });
		if (closedReason(next, window)) break;
		day = next;
	}
	return bounds(day, window)[1].toJSDate();
}

/**
 * Whether `now` lies inside the calling window in the candidate's time zone and, when not,
 * the next moment it opens (ISO time with the candidate's offset).
 */
export function checkCallingWindow(window: CallingWindow, now: Date): WindowCheck {
	const local = DateTime.fromJSDate(now, { zone: window.zone });
	const today = local.startOf('day');
	const closedToday = closedReason(today, window);
	const [start, end] = bounds(today, window);
	if (!closedToday && local >= start && local < end) return { open: true };
	const reason =
		closedToday ??
		(local < start
			? `it is ${local.toFormat('HH:mm')} there, before ${formatMinute(window.startMinute)}`
			: `it is ${local.toFormat('HH:mm')} there, after ${formatMinute(window.endMinute)}`);
	for (let offset = 0; offset <= SEARCH_DAYS; offset++) {
		const day = today.plus({ days: offset });
		if (closedReason(day, window)) continue;
		const [dayStart] = bounds(day, window);
		if (dayStart > local) {
			return {
				open: false,
				reason: `Outside the calling window in ${window.zone}: ${reason}`,
				nextWindowStart: dayStart.toISO()!,
			};
		}
	}
	return {
		open: false,
		reason: `Outside the calling window in ${window.zone}: ${reason}, and it does not open within a year`,
		nextWindowStart: '',
	};
}
