/** Calling window tests: local hours, weekends, national and state holidays, daylight saving */
import {
	checkCallingWindow,
	checkHolidayRegion,
	parseClockTime,
	resolveTimeZone,
} from '../../nodes/AgentCall/helpers/callingWindow';
import type { CallingWindow } from '../../nodes/AgentCall/helpers/callingWindow';

const weekdays: CallingWindow = {
	days: [1, 2, 3, 4, 5],
	startMinute: 9 * 60,
	endMinute: 18 * 60,
	zone: 'Europe/Berlin',
	holidays: { country: 'DE' },
};
const at = (iso: string) => new Date(iso);

describe('calling window', () => {
	it('is open on a working day inside the hours, in the candidate’s local time', () => {
		// Tuesday 2025-03-11 10:00 in Berlin (09:00 UTC).
		expect(checkCallingWindow(weekdays, at('2025-03-11T09:00:00Z'))).toEqual({ open: true });
		// 08:59 local: closed, opens at 09:00 the same day.
		expect(checkCallingWindow(weekdays, at('2025-03-11T07:59:00Z'))).toEqual({
			open: false,
			reason: expect.stringContaining('before 09:00'),
			nextWindowStart: '2025-03-11T09:00:00.000+01:00',
		});
		// 18:00 local is the end (exclusive): next morning.
		expect(checkCallingWindow(weekdays, at('2025-03-11T17:00:00Z'))).toMatchObject({
			open: false,
			nextWindowStart: '2025-03-12T09:00:00.000+01:00',
		});
	});

	it('uses the candidate’s zone, not the server’s', () => {
		const newYork: CallingWindow = {
			...weekdays,
			zone: 'America/New_York',
			holidays: { country: 'US' },
		};
		// 15:00 UTC on a Tuesday is 11:00 in New York (EDT from 2025-03-09).
		expect(checkCallingWindow(newYork, at('2025-03-11T15:00:00Z'))).toEqual({ open: true });
		// 12:00 UTC is 08:00 in New York.
		expect(checkCallingWindow(newYork, at('2025-03-11T12:00:00Z'))).toMatchObject({
			open: false,
			nextWindowStart: '2025-03-11T09:00:00.000-04:00',
		});
	});

	it('skips weekends: Friday evening → Monday morning', () => {
		expect(checkCallingWindow(weekdays, at('2025-03-14T18:30:00Z'))).toMatchObject({
			open: false,
			nextWindowStart: '2025-03-17T09:00:00.000+01:00',
		});
		expect(checkCallingWindow(weekdays, at('2025-03-15T10:00:00Z'))).toMatchObject({
			open: false,
			reason: expect.stringContaining('Saturday is not a calling day'),
		});
	});

	it('skips German public holidays: Easter Monday, and Christmas through the weekend', () => {
		// Easter Monday 2025-04-21, 10:00 local.
		const easterMonday = checkCallingWindow(weekdays, at('2025-04-21T08:00:00Z'));
		expect(easterMonday).toMatchObject({
			open: false,
			nextWindowStart: '2025-04-22T09:00:00.000+02:00',
		});
		expect(easterMonday.open === false && easterMonday.reason).toContain('Ostermontag');
		// 2025-12-24 is a working day; 25 and 26 are holidays, then the weekend: Monday 29th.
		expect(checkCallingWindow(weekdays, at('2025-12-24T17:30:00Z'))).toMatchObject({
			nextWindowStart: '2025-12-29T09:00:00.000+01:00',
		});
	});

	it('knows the holidays of a state: Epiphany in Bavaria, not in Berlin', () => {
		const epiphany = at('2026-01-06T10:00:00Z'); // Tuesday
		expect(
			checkCallingWindow({ ...weekdays, holidays: { country: 'DE', state: 'BY' } }, epiphany),
		).toMatchObject({
			open: false,
			reason: expect.stringContaining('Heilige Drei Könige'),
		});
		expect(
			checkCallingWindow({ ...weekdays, holidays: { country: 'DE', state: 'BE' } }, epiphany),
		).toEqual({ open: true });
		expect(
			checkCallingWindow({ ...weekdays, holidays: undefined }, at('2025-12-25T10:00:00Z')),
		).toEqual({ open: true });
	});

	it('keeps local hours across daylight-saving changes', () => {
		// DST starts in Germany on Sunday 2025-03-30. Friday 18:00 → Monday 09:00 CEST (+02:00).
		expect(checkCallingWindow(weekdays, at('2025-03-28T17:30:00Z'))).toMatchObject({
			nextWindowStart: '2025-03-31T09:00:00.000+02:00',
		});
		// Monday 09:00 CEST is 07:00 UTC: open at 07:00 UTC, closed at 07:59 UTC the week before (08:59 CET).
		expect(checkCallingWindow(weekdays, at('2025-03-31T07:00:00Z'))).toEqual({ open: true });
		expect(checkCallingWindow(weekdays, at('2025-03-24T07:59:00Z')).open).toBe(false);
		// DST ends on Sunday 2025-10-26: Friday evening → Monday 09:00 CET (+01:00).
		expect(checkCallingWindow(weekdays, at('2025-10-24T18:00:00Z'))).toMatchObject({
			nextWindowStart: '2025-10-27T09:00:00.000+01:00',
		});
		// A window starting in the skipped hour (02:30 on 2025-03-30) opens at 03:30 CEST.
		const night: CallingWindow = {
			days: [7],
			startMinute: 150,
			endMinute: 240,
			zone: 'Europe/Berlin',
		};
		expect(checkCallingWindow(night, at('2025-03-29T12:00:00Z'))).toMatchObject({
			nextWindowStart: '2025-03-30T03:30:00.000+02:00',
		});
	});

	it('says when the window never opens', () => {
		const never: CallingWindow = { ...weekdays, days: [] };
		expect(checkCallingWindow(never, at('2025-03-11T09:00:00Z'))).toMatchObject({
			open: false,
			nextWindowStart: '',
		});
	});
});

describe('window settings', () => {
	it('reads clock times', () => {
		expect(parseClockTime('09:00', 'start')).toEqual({ ok: true, value: 540 });
		expect(parseClockTime('24:00', 'end')).toEqual({ ok: true, value: 1440 });
		expect(parseClockTime('9', 'start')).toMatchObject({
			ok: false,
			message: expect.stringContaining('"9"'),
		});
		expect(parseClockTime('25:00', 'end').ok).toBe(false);
	});

	it('finds the candidate’s zone from the field or the number’s country', () => {
		const now = at('2025-03-11T09:00:00Z');
		expect(resolveTimeZone('America/Chicago', 'DE', now)).toEqual({
			ok: true,
			value: 'America/Chicago',
		});
		expect(resolveTimeZone('', 'DE', now)).toEqual({ ok: true, value: 'Europe/Berlin' });
		expect(resolveTimeZone(undefined, 'AT', now)).toEqual({ ok: true, value: 'Europe/Vienna' });
		expect(resolveTimeZone('Mars/Olympus', 'DE', now)).toMatchObject({
			ok: false,
			message: expect.stringContaining('not a time zone'),
		});
		expect(resolveTimeZone('', 'US', now)).toMatchObject({
			ok: false,
			message: expect.stringContaining('several time zones'),
		});
		expect(resolveTimeZone('', 'ES', now)).toMatchObject({ ok: false });
		expect(resolveTimeZone('', undefined, now)).toMatchObject({ ok: false });
	});

	it('checks holiday countries and states', () => {
		expect(checkHolidayRegion('de', 'by')).toEqual({
			ok: true,
			value: { country: 'DE', state: 'BY' },
		});
		expect(checkHolidayRegion('DE', '')).toEqual({
			ok: true,
			value: { country: 'DE', state: undefined },
		});
		expect(checkHolidayRegion('DE', 'Bayern')).toMatchObject({
			ok: false,
			hint: expect.stringContaining('BY'),
		});
		expect(checkHolidayRegion('XX')).toMatchObject({ ok: false });
	});
});
