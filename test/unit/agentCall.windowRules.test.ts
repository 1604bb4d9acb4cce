/** Window rule tests: settings checked once, each candidate's zone, and the campaign's start */
import { campaignStart } from '../../nodes/AgentCall/helpers/campaignStart';
import type { CallingWindow } from '../../nodes/AgentCall/helpers/callingWindow';
import { candidateWindow, windowRules } from '../../nodes/AgentCall/helpers/windowRules';
import type { WindowRules, WindowSettings } from '../../nodes/AgentCall/helpers/windowRules';

const now = new Date('2025-03-11T09:00:00Z'); // Tuesday, 10:00 in Berlin
const settings: WindowSettings = {
	days: [1, 2, 3, 4, 5],
	start: '09:00',
	end: '18:00',
	skipHolidays: true,
};

function rules(extra: Partial<WindowSettings> = {}): WindowRules {
	const checked = windowRules({ ...settings, ...extra }, now);
	if (!checked.ok) throw new Error(checked.message);
	return checked.value;
}

describe('calling-window settings', () => {
	it('rejects hours that end before they start, and no days', () => {
		expect(windowRules({ ...settings, start: '18:00', end: '09:00' }, now)).toMatchObject({
			ok: false,
			message: 'The calling window ends before it starts',
		});
		expect(windowRules({ ...settings, days: [] }, now)).toMatchObject({
			ok: false,
			message: 'No calling days are chosen',
		});
		expect(windowRules({ ...settings, start: '9' }, now)).toMatchObject({ ok: false });
	});

	it('checks a fixed time zone and holiday country once, before any candidate', () => {
		expect(windowRules({ ...settings, timeZone: 'Mars/Olympus' }, now)).toMatchObject({
			ok: false,
		});
		expect(windowRules({ ...settings, holidayCountry: 'XX' }, now)).toMatchObject({ ok: false });
		expect(rules({ holidayCountry: 'de', holidayState: 'by' }).holidays).toEqual({
			country: 'DE',
			state: 'BY',
		});
		expect(rules().holidays).toBe('number');
		expect(rules({ skipHolidays: false, holidayCountry: 'DE' }).holidays).toBe(false);
	});
});

describe('a candidate’s calling window', () => {
	it('takes the time zone and the holidays of the number’s country', () => {
		expect(candidateWindow(rules(), { timezoneField: undefined, country: 'AT' }, now)).toEqual({
			ok: true,
			value: {
				days: [1, 2, 3, 4, 5],
				startMinute: 540,
				endMinute: 1080,
				zone: 'Europe/Vienna',
				holidays: { country: 'AT' },
			},
		});
		const bavaria = candidateWindow(
			rules({ holidayState: 'BY' }),
			{ timezoneField: '', country: 'DE' },
			now,
		);
		expect(bavaria).toMatchObject({
			ok: true,
			value: { holidays: { country: 'DE', state: 'BY' } },
		});
	});

	it('prefers the node’s zone, then the item’s field, and needs one for a country of several zones', () => {
		const fixed = candidateWindow(
			rules({ timeZone: 'Europe/Lisbon' }),
			{ timezoneField: 'Asia/Tokyo', country: 'DE' },
			now,
		);
		expect(fixed).toMatchObject({ ok: true, value: { zone: 'Europe/Lisbon' } });
		const field = candidateWindow(
			rules(),
			{ timezoneField: 'America/Chicago', country: 'US' },
			now,
		);
		expect(field).toMatchObject({
			ok: true,
			value: { zone: 'America/Chicago', holidays: { country: 'US' } },
		});
		expect(
			candidateWindow(rules(), { timezoneField: undefined, country: 'US' }, now),
		).toMatchObject({
			ok: false,
			message: expect.stringContaining('several time zones'),
		});
	});

	it('says so when the holidays cannot be told from the number, unless a country or no check is set', () => {
		const noCountry = { timezoneField: 'Europe/Berlin', country: undefined };
		expect(candidateWindow(rules(), noCountry, now)).toMatchObject({
			ok: false,
			message: 'The country for public holidays cannot be told from this number',
		});
		expect(candidateWindow(rules({ holidayCountry: 'DE' }), noCountry, now)).toMatchObject({
			ok: true,
		});
		expect(candidateWindow(rules({ skipHolidays: false }), noCountry, now)).toMatchObject({
			ok: true,
			value: { holidays: undefined },
		});
	});
});

describe('a campaign’s start', () => {
	const berlin: CallingWindow = {
		days: [1, 2, 3, 4, 5],
		startMinute: 540,
		endMinute: 1080,
		zone: 'Europe/Berlin',
		holidays: { country: 'DE' },
	};
	const newYork: CallingWindow = {
		...berlin,
		zone: 'America/New_York',
		holidays: { country: 'US' },
	};
	const evening = new Date('2025-03-11T19:00:00Z'); // 20:00 in Berlin, 15:00 in New York

	it('starts now (or when scheduled) when anybody’s window is open then', () => {
		expect(campaignStart([berlin, newYork], undefined, evening)).toEqual({
			ok: true,
			value: { at: evening },
		});
		expect(campaignStart([], undefined, evening)).toEqual({ ok: true, value: { at: evening } });
	});

	it('moves to the first moment a window opens when nobody can be called now', () => {
		const start = campaignStart([berlin], undefined, evening);
		expect(start).toEqual({
			ok: true,
			value: {
				at: new Date('2025-03-12T08:00:00Z'),
				movedBecause: expect.stringContaining('after 18:00'),
			},
		});
	});

	it('does not move a scheduled time: outside every window it is an error that names the next start', () => {
		expect(campaignStart([berlin], evening, now)).toMatchObject({
			ok: false,
			message: expect.stringContaining('The campaign would start outside the calling window'),
			hint: expect.stringContaining('2025-03-12T09:00:00.000+01:00'),
		});
	});
});
