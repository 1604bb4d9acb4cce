/** Window plan tests: a campaign submits only whom its lines finish before each window closes */
import { windowClosesAt } from '../../nodes/AgentCall/helpers/callingWindow';
import type { CallingWindow } from '../../nodes/AgentCall/helpers/callingWindow';
import { planWithinWindows } from '../../nodes/AgentCall/helpers/windowPlan';

const berlin: CallingWindow = {
	days: [1, 2, 3, 4, 5],
	startMinute: 9 * 60,
	endMinute: 18 * 60,
	zone: 'Europe/Berlin',
	holidays: { country: 'DE' },
};
const lisbon: CallingWindow = { ...berlin, zone: 'Europe/Lisbon', holidays: { country: 'PT' } };
// Wednesday 2 December 2026, 17:40 in Berlin.
const START = new Date('2026-12-02T16:40:00Z');
const MINUTE = 60_000;
const people = (n: number, window?: CallingWindow) =>
	Array.from({ length: n }, (_, id) => ({ id, window }));

describe('campaign plan inside the calling window', () => {
	it('knows when the open window closes, and that a closed one does not', () => {
		expect(windowClosesAt(berlin, START)).toEqual(new Date('2026-12-02T17:00:00Z'));
		expect(windowClosesAt(berlin, new Date('2026-12-02T17:00:00Z'))).toBeUndefined();
		// Saturday.
		expect(windowClosesAt(berlin, new Date('2026-12-05T10:00:00Z'))).toBeUndefined();
		// Round the clock from Wednesday to Friday: closes at midnight before Saturday.
		const roundTheClock = { ...berlin, startMinute: 0, endMinute: 24 * 60 };
		expect(windowClosesAt(roundTheClock, START)).toEqual(new Date('2026-12-04T23:00:00Z'));
	});

	it('submits whom five lines of three-minute calls finish by 18:00, in dispatch order; the rest wait for the next morning', () => {
		const plan = planWithinWindows(people(60, berlin), {
			startAt: START,
			lines: 5,
			callMs: 3 * MINUTE,
		});
		expect(plan.submit.map((s) => s.recipient.id)).toEqual([...Array(30).keys()]);
		expect(plan.submit[29].expectedStartAt).toEqual(new Date('2026-12-02T16:55:00Z'));
		expect(plan.closesAt).toEqual(new Date('2026-12-02T17:00:00Z'));
		expect(plan.wait).toHaveLength(30);
		expect(plan.wait[0]).toEqual({
			recipient: { id: 30, window: berlin },
			reason:
				'Would not be reached before the calling window closes at 18:00 in Europe/Berlin (30 calls ahead on 5 lines)',
			nextWindowStart: '2026-12-03T09:00:00.000+01:00',
		});
	});

	it('submits everyone without a window, and names no cut-off', () => {
		const plan = planWithinWindows(people(12), { startAt: START, lines: 1, callMs: 10 * MINUTE });
		expect(plan.submit).toHaveLength(12);
		expect(plan.wait).toEqual([]);
		expect(plan.closesAt).toBeUndefined();
	});

	it('holds the batch to the earliest close of those submitted: a later zone waits for the cut-off, not the next day', () => {
		// Lisbon is an hour behind: its window closes at 19:00 Berlin time.
		const list = [...people(5, berlin), ...people(20, lisbon)].map((p, id) => ({ ...p, id }));
		const plan = planWithinWindows(list, { startAt: START, lines: 5, callMs: 5 * MINUTE });
		// 17:40–17:45, 17:45–17:50, 17:50–17:55, 17:55–18:00 Berlin: four waves.
		expect(plan.submit).toHaveLength(20);
		expect(plan.closesAt).toEqual(new Date('2026-12-02T17:00:00Z'));
		expect(plan.wait.map((w) => w.nextWindowStart)).toEqual(
			Array(5).fill('2026-12-02T17:00:00.000+00:00'),
		);
		expect(plan.wait[0].reason).toContain('when another recipient');
	});

	it('measures each recipient against their own local window', () => {
		const list = [...people(5, lisbon), ...people(5, berlin)].map((p, id) => ({ ...p, id }));
		// One line, 15-minute calls: Lisbon's five run 17:40–19:55 Berlin time, inside 18:00 in Lisbon.
		const plan = planWithinWindows(list, { startAt: START, lines: 1, callMs: 15 * MINUTE });
		expect(plan.submit.map((s) => s.recipient.id)).toEqual([0, 1, 2, 3, 4]);
		expect(plan.closesAt).toEqual(new Date('2026-12-02T18:00:00Z'));
		expect(plan.wait.map((w) => w.recipient.id)).toEqual([5, 6, 7, 8, 9]);
		expect(plan.wait[0]).toMatchObject({
			reason: expect.stringContaining('closes at 18:00 in Europe/Berlin'),
			nextWindowStart: '2026-12-03T09:00:00.000+01:00',
		});
	});
});
