/**
 * A campaign submitted late in the calling window, through n8n's engine against the sandbox:
 * ElevenLabs' batch dials until it is done or cancelled, so Submit hands the batch only those it
 * reaches before 18:00 and the rest back for the next run, with their claims released. The
 * sandbox's batch dials on its own clock, which stands still here (only Date is faked, at the
 * start) and is moved forward by hand, so the whole evening plays out in a moment.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { conversationStore } from '../../sandbox/conversations';
import { CANDIDATE, NODE } from './agentCall.helpers';
import { locator, runNode } from './harness';
import { elevenLabsCredential } from './sandbox.helpers';
import { fakeDateOnly } from './standingDate';

/** Wednesday 2 December 2026, 17:40 in Berlin (no holiday). */
const START = new Date('2026-12-02T16:40:00Z');
/** 18:00 in Berlin. */
const CLOSE = Date.parse('2026-12-02T17:00:00Z');
const MINUTE = 60_000;

let sandbox: Sandbox;

// Date stands at START for the node, the ledger and the sandbox's clock alike.
beforeAll(() => {
	fakeDateOnly(START);
});
afterAll(() => jest.useRealTimers());

// A sandbox per test, its clock at 17:40 (the clock only moves forward). Three-minute talks;
// the agent (recruitingDe) has five lines.
beforeEach(async () => {
	sandbox = await startSandbox({
		port: 0,
		clock: { start: START },
		callLengths: { minSecs: 180, maxSecs: 180, seed: 'window' },
	});
});
afterEach(async () => await sandbox.close());

/** Sixty candidates, each with a number of their own that answers. */
const SIXTY: IDataObject[] = Array.from({ length: 60 }, (_, n) => ({
	...CANDIDATE,
	candidateId: `late-${n}`,
	phone: `0151 23450${String(n).padStart(3, '0')}`,
}));

function campaignNode(operation: string, parameters: INodeParameters) {
	return {
		type: 'agentCall',
		name: NODE,
		parameters: {
			resource: 'campaign',
			operation,
			agentId: locator(sandbox.ids.agents.recruitingDe),
			phoneNumberId: locator(sandbox.ids.phoneNumbers.twilioDe),
			...parameters,
		},
	};
}

async function submit(campaign: string, parameters: INodeParameters = {}) {
	const node = campaignNode('submit', { callName: campaign, campaign, ...parameters });
	const run = await runNode(node, { credentials: elevenLabsCredential(sandbox), items: SIXTY });
	expect(run.status).toBe('success');
	return run.json(NODE)[0];
}

/** When each call of the campaign was dialled (sandbox clock, ms). */
function dialTimes(campaignId: unknown): number[] {
	return conversationStore(sandbox)
		.list()
		.filter((c) => c.batchCall?.batchCallId === campaignId)
		.map((c) => c.createdAtMs);
}

describe('Campaign inside the calling window', () => {
	it('dials nobody at or after 18:00 and reports the rest for the next run, whose claims are free', async () => {
		const out = await submit('spaetschicht', { options: { typicalCallMinutes: 3 } });
		// Five lines of three-minute calls from 17:40 finish six rounds by 18:00.
		expect(out).toMatchObject({
			campaignId: expect.stringMatching(/^btcal_/),
			recipients: 30,
			plannedLines: 5,
			typicalCallMinutes: 3,
			windowClosesAt: '2026-12-02T17:00:00.000Z',
			cancelAt: '2026-12-02T16:59:00.000Z',
		});
		const submitted = out.submitted as IDataObject[];
		expect(submitted.map((s) => s.itemIndex)).toEqual([...Array(30).keys()]);
		const waiting = out.waitingForNextWindow as IDataObject[];
		expect(waiting).toHaveLength(30);
		expect(waiting[0]).toEqual({
			itemIndex: 30,
			toNumber: '+4915123450030',
			idempotencyKey: expect.any(String),
			reason:
				'Would not be reached before the calling window closes at 18:00 in Europe/Berlin (30 calls ahead on 5 lines)',
			nextWindowStart: '2026-12-03T09:00:00.000+01:00',
		});

		// The batch dials over time: five at once, the next as a line frees up.
		expect(dialTimes(out.campaignId)).toHaveLength(5);
		sandbox.clock.advance(2 * 60 * MINUTE);
		const times = dialTimes(out.campaignId);
		expect(times).toHaveLength(30);
		expect(new Set(times).size).toBeGreaterThanOrEqual(6);
		expect(Math.max(...times)).toBeLessThan(CLOSE);

		// The next run claims those who waited: nobody of them was called.
		const next = await submit('spaetschicht', {
			callingDays: [1, 2, 3, 4, 5, 6, 7],
			windowStart: '00:00',
			windowEnd: '24:00',
		});
		expect(next.recipients).toBe(30);
		expect((next.alreadyCalled as IDataObject[]).map((a) => a.itemIndex)).toEqual([
			...Array(30).keys(),
		]);
		expect((next.submitted as IDataObject[]).map((s) => s.itemIndex)).toEqual(
			[...Array(30).keys()].map((n) => n + 30),
		);
	});

	it('a Cancel at cancelAt stops a batch whose calls run longer than planned before 18:00', async () => {
		// Planned with two-minute calls, the three-minute ones would push the last rounds past 18:00.
		const out = await submit('spaetschicht-lang', { options: { typicalCallMinutes: 2 } });
		expect(out.recipients).toBe(50);
		sandbox.clock.set(Date.parse(out.cancelAt as string));
		const cancel = await runNode(campaignNode('cancel', { campaignId: out.campaignId as string }), {
			credentials: elevenLabsCredential(sandbox),
			items: [{}],
		});
		expect(cancel.json(NODE)[0]).toMatchObject({ status: 'cancelled' });
		sandbox.clock.advance(2 * 60 * MINUTE);
		const times = dialTimes(out.campaignId);
		expect(times.length).toBeLessThan(50);
		expect(Math.max(...times)).toBeLessThan(CLOSE);
	});

	it('submits nothing when nobody can be reached before the window closes, and frees every claim', async () => {
		const out = await submit('zu-spaet', {
			windowEnd: '17:44',
			options: { typicalCallMinutes: 5 },
		});
		expect(out).toMatchObject({ campaignId: null, status: 'nothing_to_submit', recipients: 0 });
		expect(out.waitingForNextWindow).toHaveLength(60);
		const next = await submit('zu-spaet', {
			callingDays: [1, 2, 3, 4, 5, 6, 7],
			windowStart: '00:00',
			windowEnd: '24:00',
		});
		expect(next).toMatchObject({ recipients: 60, alreadyCalled: [] });
	});
});
