/** Calling Days and window times as a no-code user types them, or a clear error. */
import { parseCallingDays } from '../../nodes/AgentCall/helpers/callingDays';
import { parseClockTime } from '../../nodes/AgentCall/helpers/callingWindow';

describe('parseCallingDays', () => {
	it.each([
		[
			[1, 2, 3, 4, 5],
			[1, 2, 3, 4, 5],
		],
		[
			['1', '3'],
			[1, 3],
		],
		['1,2,3', [1, 2, 3]],
		['1-5', [1, 2, 3, 4, 5]],
		['Mon - Fri, Sun', [1, 2, 3, 4, 5, 7]],
		['Montag, Mittwoch; Fr.', [1, 3, 5]],
		['monday tuesday', [1, 2]],
		[
			[5, 1, 5],
			[1, 5],
		],
		[3, [3]],
	])('reads %j', (value, days) => {
		expect(parseCallingDays(value)).toEqual({ ok: true, value: days });
	});

	it.each([
		[[0, 8], '"Calling Days" has 0, 8, which are not weekdays'],
		['Funday', '"Calling Days" has "Funday", which is not a weekday'],
		['Fri-Mon', '"Calling Days" has "Fri-Mon", which is not a weekday'],
		[[1.5], '"Calling Days" has 1.5, which is not a weekday'],
		[null, '"Calling Days" must be a list of weekdays, not null'],
		[{ monday: true }, '"Calling Days" must be a list of weekdays, not {"monday":true}'],
	])('refuses %j', (value, message) => {
		expect(parseCallingDays(value)).toMatchObject({
			ok: false,
			message,
			hint: expect.stringContaining('1 (Monday) to 7 (Sunday)'),
		});
	});
});

describe('parseClockTime with what an expression gives', () => {
	it('reads a whole number as hours', () => {
		expect(parseClockTime(9, 'earliest time')).toEqual({ ok: true, value: 540 });
		expect(parseClockTime(24, 'latest time')).toEqual({ ok: true, value: 1440 });
	});

	it.each([
		[null, "The calling window's earliest time is empty"],
		[9.5, "The calling window's earliest time is 9.5, not a time"],
		[true, "The calling window's earliest time is true, not a time"],
		[
			'x'.repeat(100_000),
			`The calling window's earliest time "${'x'.repeat(59)}… (100,000 characters) is not a time`,
		],
	])('refuses %p with what it is', (value, message) => {
		expect(parseClockTime(value, 'earliest time')).toMatchObject({ ok: false, message });
	});
});
