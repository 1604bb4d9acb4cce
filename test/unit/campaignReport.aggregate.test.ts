/** The campaign report's numbers from a fixed set of results rows, edge cases included. */
import { windowRules } from '../../nodes/AgentCall/helpers/windowRules';
import {
	aggregate,
	answerChart,
	meetsMustHave,
} from '../../nodes/CampaignReport/helpers/aggregate';
import type { ReportSettings } from '../../nodes/CampaignReport/helpers/aggregate';
import { readCandidate } from '../../nodes/CampaignReport/helpers/candidates';
import { calendarDate, looseNumber, yesNo } from '../../nodes/CampaignReport/helpers/values';

const NOW = new Date('2026-12-07T08:00:00Z');
const rules = windowRules(
	{ days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00', skipHolidays: true },
	NOW,
);
if (!rules.ok) throw new Error(rules.message);

const SETTINGS: ReportSettings = {
	answers: [],
	mustHaves: [
		{ field: 'work_permit', condition: 'yes' },
		{ field: 'earliest_start_date', condition: 'onOrBefore', value: '31.03.2027' },
	],
	defaultRegion: 'DE',
	defaultZone: 'Europe/Berlin',
	window: rules.value,
	transcriptLinkBase: 'https://transcripts.example.de/',
};

/** Tuesday 1 December 2026: 08:30 UTC is 09:30 in Berlin. */
const TUESDAY_0930_BERLIN = '2026-12-01T08:30:00Z';

/** One row per case; the comment says what it stands for. */
const ROWS: Array<Record<string, unknown>> = [
	// 0: a completed screen on the first call, interested, meets both must-haves.
	{
		name: 'Jürgen Groß',
		phone: '0171 1234567',
		status: 'screened',
		callResult: 'answered',
		reachedVia: 'first_call',
		attempts: 1,
		startedAt: TUESDAY_0930_BERLIN,
		dataCollection: {
			consent_given: true,
			still_interested: true,
			work_permit: 'ja',
			earliest_start_date: '2027-03-01',
			salary_expectation: '3.500 €',
			shift_work: 'Früh',
		},
		durationSecs: 240,
		cost: '1.200',
		conversationId: 'conv_1',
	},
	// 1: completed on a retry, interested, but no work permit.
	{
		name: "Ana María O'Neil",
		phone: '+49 151 2345678',
		status: 'screened',
		reachedVia: 'retry',
		attempts: '2',
		startedAt: '2026-12-02T13:10:00Z',
		dataCollection: {
			consent_given: 'yes',
			still_interested: 'yes',
			work_permit: false,
			earliest_start_date: 'sofort',
			salary_expectation: '4200 EUR brutto',
			shift_work: 'Spät',
		},
		durationSecs: '300',
		cost: 1500,
		conversationId: 'conv_2',
	},
	// 2: completed via a call-back, not interested; the call was at 20:15 local time (outside).
	{
		name: '王小明',
		phone: '+49 30 1234567',
		status: 'screened',
		reachedVia: 'callback',
		attempts: 3,
		startedAt: '2026-12-03T19:15:00Z',
		dataCollection: {
			consent_given: true,
			still_interested: false,
			work_permit: 'yes',
			earliest_start_date: '01.06.2027',
			salary_expectation: 'keine Angabe',
			shift_work: 'Früh',
		},
		cost: '900',
	},
	// 3: call-back requested at an agreed time, before consent.
	{
		name: 'Marie Keller',
		phone: '0151 12345608',
		callResult: 'answered',
		attempts: 1,
		startedAt: '2026-12-01T14:00:00Z',
		dataCollection: { callback_requested: true, callback_time: '2026-12-02T17:00' },
		cost: '680',
	},
	// 4: declined consent (the sheet's status), reached through the browser.
	{ name: 'Elif Demir', status: 'consent_refused', reachedVia: 'browser', cost: 'free' },
	// 5: opted out; the sheet marked the number do-not-call.
	{ name: 'Lukas Hoffmann', status: 'opted_out', doNotCall: 'TRUE', attempts: 1 },
	// 6: the wrong person answered.
	{ name: 'Tom', callResult: 'answered', dataCollection: { reached_other_person: true } },
	// 7: voicemail (a status of its own).
	{ name: 'Jonas Becker', status: 'voicemail', attempts: 1, cost: 300 },
	// 8: no answer.
	{ name: 'Sophie Wagner', callResult: 'no_answer', attempts: 1 },
	// 9: busy, and the same person as row 0 in another format at the same attempt: dialled twice.
	{ name: 'Jürgen Groß (Duplikat)', phone: '+491711234567', callResult: 'busy', attempts: 1 },
	// 10: failed to place.
	{ name: 'Kai', status: 'error', error: 'Invalid number' },
	// 11: not dialled, outside the calling window.
	{ name: 'Nina', status: 'outside_window', nextWindowStart: '2026-12-08T09:00:00+01:00' },
	// 12: a row with no outcome column at all and no name.
	{ candidateId: 'C-13' },
	// 13: placed, no result yet.
	{ name: 'Paul', status: 'initiated', conversationId: 'conv_14' },
	// 14: an empty row (skipped).
	{},
];

describe('aggregate: a fixed set of rows', () => {
	const report = aggregate(ROWS, SETTINGS, NOW);
	const outcome = (i: number) => report.candidates[i].row.outcome;

	it('reads each row to one outcome', () => {
		expect(ROWS.slice(0, 14).map((_, i) => outcome(i))).toEqual([
			'completed',
			'completed',
			'completed',
			'callback',
			'consent_declined',
			'opted_out',
			'wrong_person',
			'voicemail',
			'no_answer',
			'busy',
			'failed',
			'not_dialled',
			'unknown',
			'pending',
		]);
		expect(report.emptyRows).toBe(1);
		expect(report.callbacks).toEqual([{ name: 'Marie Keller', time: '2026-12-02T17:00' }]);
	});

	it('counts the funnel, each step within the one before', () => {
		expect(Object.fromEntries(report.funnel.map((f) => [f.stage, f.count]))).toEqual({
			candidates: 14,
			dialled: 11,
			reached: 7,
			consented: 3,
			completed: 3,
			interested: 2,
			mustHaves: 1,
		});
		expect(report.candidates.map((c) => c.meetsMustHaves).slice(0, 4)).toEqual([
			true,
			false,
			undefined,
			undefined,
		]);
	});

	it('counts the outcomes', () => {
		expect(Object.fromEntries(report.outcomes.map((o) => [o.key, o.count]))).toEqual({
			completed: 3,
			callback: 1,
			consent_declined: 1,
			opted_out: 1,
			wrong_person: 1,
			voicemail: 1,
			no_answer: 1,
			busy: 1,
			failed: 1,
			pending: 1,
			not_dialled: 1,
			unknown: 1,
		});
	});

	it('counts reach by attempt and by way, unknown where the rows do not say', () => {
		expect(report.reach.byAttempt).toEqual([
			{ key: '1', count: 3 },
			{ key: '2', count: 1 },
			{ key: '3', count: 1 },
			{ key: '4+', count: 0 },
			{ key: 'unknown', count: 2 },
		]);
		expect(Object.fromEntries(report.reach.byWay.map((w) => [w.key, w.count]))).toEqual({
			first_call: 1,
			retry: 1,
			callback: 1,
			browser: 1,
			unknown: 3,
		});
	});

	it("puts answered calls into the heat map in the candidate's local time", () => {
		const cells: string[] = [];
		report.reach.heat.forEach((hours, day) =>
			hours.forEach((count, hour) => count && cells.push(`${day + 1}@${hour}:${count}`)),
		);
		// Tue 09:30, Wed 14:10, Thu 20:15, Tue 15:00 (Berlin, winter time = UTC+1).
		expect(cells.sort()).toEqual(['2@15:1', '2@9:1', '3@14:1', '4@20:1']);
		expect(report.reach.heatUnknown).toBe(3);
	});

	it('charts every collected answer by its kind', () => {
		const chart = (field: string) => report.answers.find((a) => a.field === field)?.chart;
		expect(report.answers.map((a) => a.field)).toEqual([
			'work_permit',
			'earliest_start_date',
			'salary_expectation',
			'shift_work',
		]);
		expect(chart('work_permit')).toEqual({ kind: 'yesno', yes: 2, no: 1, unknown: 4 });
		expect(chart('earliest_start_date')).toEqual({
			kind: 'dates',
			counts: [
				{ key: 'immediately', count: 1 },
				{ key: '2027-03', count: 1 },
				{ key: '2027-06', count: 1 },
			],
			unknown: 4,
		});
		expect(chart('salary_expectation')).toMatchObject({
			kind: 'numbers',
			median: 3850,
			unknown: 5,
		});
		expect(chart('shift_work')).toEqual({
			kind: 'choices',
			counts: [
				{ key: 'Früh', count: 2 },
				{ key: 'Spät', count: 1 },
			],
			unknown: 4,
		});
	});

	it('adds up the cost, per reached candidate and per completed screen', () => {
		expect(report.cost).toEqual({
			total: 4580,
			withCost: 5,
			unreadable: 1,
			perReached: 4580 / 7,
			perCompleted: 4580 / 3,
			minutes: 9,
		});
	});

	it('reports the compliance line', () => {
		expect(report.compliance).toEqual({
			window: { checked: 4, outside: 1, unchecked: 7 },
			dialledTwice: 1,
			optOuts: 1,
			optOutsOnList: 1,
			optOutsUnknown: 0,
			consentRate: 3 / 7,
		});
	});

	it('links transcripts by conversation id, and names what the data lacks', () => {
		expect(report.candidates[0].link).toBe('https://transcripts.example.de/conv_1');
		expect(report.candidates[4].link).toBe('');
		expect(Object.fromEntries(report.notes.map((n) => [n.key, n.count]))).toEqual({
			noName: 1,
			unknownOutcome: 1,
			costUnreadable: 1,
			noWay: 3,
		});
	});
});

describe('aggregate: edge cases', () => {
	it('makes an empty report of no rows and of empty rows', () => {
		for (const rows of [[], [{}, {}]]) {
			const report = aggregate(rows, { ...SETTINGS, mustHaves: [] }, NOW);
			expect(report.candidates).toEqual([]);
			expect(report.funnel.every((f) => f.count === 0)).toBe(true);
			expect(report.funnel.map((f) => f.stage)).not.toContain('mustHaves');
			expect(report.cost.perReached).toBeUndefined();
			expect(report.compliance.consentRate).toBeUndefined();
		}
	});

	it('does not check the window when asked not to, and ignores links that are not web links', () => {
		const report = aggregate(
			[{ name: 'x', callResult: 'answered', transcriptUrl: 'javascript:alert(1)' }],
			{ ...SETTINGS, window: undefined },
			NOW,
		);
		expect(report.compliance.window).toBeUndefined();
		expect(report.candidates[0].link).toBe('');
	});

	it('reads a row of Get Transcript (status done, callResult) and a demo row alike', () => {
		const fromTranscript = readCandidate(
			{ status: 'done', callResult: 'voicemail', conversationId: 'c' },
			0,
		);
		expect(fromTranscript).toMatchObject({ outcome: 'voicemail', dialled: true, reached: false });
		const demo = readCandidate({ outcome: 'answered', reached: 'no', optOut: '' }, 0);
		expect(demo).toMatchObject({ reached: false, outcome: 'unknown', dialled: true });
	});

	it('counts a reachedVia it does not know as unknown', () => {
		expect(readCandidate({ callResult: 'answered', reachedVia: 'carrier pigeon' }, 0).way).toBe(
			'unknown',
		);
	});
});

describe('values typed as text', () => {
	it.each([
		['3.500 €', 3500],
		['3500 EUR', 3500],
		['52.000,50', 52000.5],
		['1,234.56', 1234.56],
		['3,5', 3.5],
		['ca. 55 000 brutto', 55000],
		['-2', -2],
		[4200, 4200],
		['3000–3500', undefined],
		['3000-3500', undefined],
		['keine Angabe', undefined],
		[Number.NaN, undefined],
		[true, undefined],
	])('%p is %p', (value, expected) => {
		expect(looseNumber(value)).toBe(expected);
	});

	it('reads yes and no in German and English, nothing else', () => {
		expect(['ja', 'Yes', 'TRUE', 'x', 1, true].map(yesNo)).toEqual(new Array(6).fill(true));
		expect(['nein', 'No', 'false', 0, false].map(yesNo)).toEqual(new Array(5).fill(false));
		expect(['vielleicht', 2, null, {}].map(yesNo)).toEqual(new Array(4).fill(undefined));
	});

	it('reads dates in ISO and German form, not free text', () => {
		expect(calendarDate('01.03.2027')?.toISODate()).toBe('2027-03-01');
		expect(calendarDate('2027-03-01')?.toISODate()).toBe('2027-03-01');
		expect(calendarDate('31.02.2027')).toBeUndefined();
		expect(calendarDate('März')).toBeUndefined();
	});

	it('judges must-haves, unknown when the answer does not say', () => {
		expect(meetsMustHave('3.500 €', { field: 's', condition: 'atMost', value: '4000' })).toBe(true);
		expect(
			meetsMustHave('ab sofort', { field: 'd', condition: 'onOrBefore', value: '2027-01-01' }),
		).toBe(true);
		expect(
			meetsMustHave('irgendwann', { field: 'd', condition: 'onOrBefore', value: '2027-01-01' }),
		).toBeUndefined();
		expect(meetsMustHave(' Früh ', { field: 'x', condition: 'equals', value: 'früh' })).toBe(true);
		expect(meetsMustHave('', { field: 'x', condition: 'given' })).toBe(false);
	});

	it('charts a free-text answer as answered, not as a hundred bars', () => {
		const long = Array.from(
			{ length: 12 },
			(_, i) => `Ich habe ${i + 1} Jahre in der Pflege gearbeitet und möchte wechseln.`,
		);
		expect(answerChart([...long, undefined])).toEqual({ kind: 'text', answered: 12, unknown: 1 });
	});
});
