/**
 * The call ledger around ElevenLabs' batches, through n8n's engine against the sandbox: a
 * recipient the batch has not dialled yet is not dialled by a Place in between. The sandbox's
 * batch dials on its own clock, which stands still here (only Date is faked) and is moved by hand.
 */
import type { IDataObject } from 'n8n-workflow';

import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { conversationStore } from '../../sandbox/conversations';
import { CANDIDATE, NODE, campaignNode, dialAttempts, placeNode } from './agentCall.helpers';
import { runNode } from './harness';
import { elevenLabsCredential } from './sandbox.helpers';
import { standingDate } from './standingDate';

/** Wednesday 2 December 2026, 10:00 in Berlin. */
const START = new Date('2026-12-02T09:00:00Z');
const HOUR = 3_600_000;
const CAMPAIGN = 'lager-leipzig';

let sandbox: Sandbox;

// Date stands at START for the node, the ledger and the sandbox's clock alike.
standingDate(START);

beforeEach(async () => {
	jest.setSystemTime(START);
	sandbox = await startSandbox({
		port: 0,
		clock: { start: START },
		callLengths: { minSecs: 180, maxSecs: 180, seed: 'batch' },
	});
});
afterEach(async () => await sandbox.close());

/** Sixty candidates, each with a number of their own that answers. */
const SIXTY: IDataObject[] = Array.from({ length: 60 }, (_, n) => ({
	...CANDIDATE,
	candidateId: `batch-${n}`,
	phone: `0151 23450${String(n).padStart(3, '0')}`,
}));

/** Campaign → Submit of the sixty on the agent's five lines, at any hour. */
async function submitSixty(): Promise<IDataObject> {
	const node = campaignNode(sandbox, 'submit', {
		callName: CAMPAIGN,
		campaign: CAMPAIGN,
		useCallingWindow: false,
	});
	const run = await runNode(node, { credentials: elevenLabsCredential(sandbox), items: SIXTY });
	expect(run.status).toBe('success');
	return run.json(NODE)[0];
}

/** Place Agent Call of one of the sixty, in the campaign of the batch. */
async function placeOne(index: number, hoursBetweenAttempts: number) {
	const node = placeNode(sandbox, {
		campaign: CAMPAIGN,
		useCallingWindow: false,
		// The batch holds every line on the standing clock: the guard would wait for one in vain.
		options: { callsPerMinute: 0, hoursBetweenAttempts, concurrencyGuard: false },
	});
	return await runNode(node, { credentials: { ...sandbox.credentials() }, items: [SIXTY[index]] });
}

/** The conversations that called this number (batch and single calls alike). */
function callsTo(index: number): number {
	const e164 = `+49151234500${String(index).padStart(2, '0')}`;
	return conversationStore(sandbox)
		.list()
		.filter((c) => c.phoneCall?.externalNumber === e164).length;
}

describe('Call ledger: a recipient a batch has not dialled yet', () => {
	it.each([0, 4])(
		'is not dialled by a Place in between (pause %i h): the batch may dial them any moment',
		async (hours) => {
			const batch = await submitSixty();
			expect(batch.recipients).toBe(60);
			expect(callsTo(50)).toBe(0);
			// Past the pause on the node's clock; the batch has not reached recipient 50.
			jest.setSystemTime(START.getTime() + hours * HOUR + 60_000);
			const place = await placeOne(50, hours);
			expect(dialAttempts(sandbox)).toBe(0);
			expect(place.json(NODE)[0]).toMatchObject({
				status: 'already_called',
				campaignId: batch.campaignId,
				previousCallStatus: 'initiated',
			});
			expect(callsTo(50)).toBe(0);
			sandbox.clock.advance(24 * HOUR);
			expect(callsTo(50)).toBe(1);
		},
	);
});

describe('Campaign → Cancel', () => {
	it('frees the recipients it stopped: the next Submit of the list dials them, not those already called', async () => {
		const batch = await submitSixty();
		const cancel = await runNode(
			campaignNode(sandbox, 'cancel', { campaignId: batch.campaignId as string }),
			{
				credentials: elevenLabsCredential(sandbox),
				items: [{}],
			},
		);
		expect(cancel.json(NODE)[0]).toMatchObject({ status: 'cancelled', releasedRecipients: 55 });
		const next = await submitSixty();
		expect(next.recipients).toBe(55);
		expect((next.alreadyCalled as IDataObject[]).map((a) => a.itemIndex)).toEqual([0, 1, 2, 3, 4]);
	});
});

describe('Call ledger: the pause between attempts', () => {
	it('counts from the call’s start as ElevenLabs reports it, not from the claim', async () => {
		const noAnswer = {
			...CANDIDATE,
			candidateId: 'pause',
			phone: sandbox.scenarios.noAnswer.number,
		};
		const node = campaignNode(sandbox, 'submit', {
			callName: CAMPAIGN,
			campaign: CAMPAIGN,
			useCallingWindow: false,
			// The batch starts three hours after its submit (and claim).
			options: { scheduledTime: new Date(START.getTime() + 3 * HOUR).toISOString() },
		});
		const run = await runNode(node, {
			credentials: elevenLabsCredential(sandbox),
			items: [noAnswer],
		});
		expect(run.json(NODE)[0].recipients).toBe(1);
		sandbox.clock.advance(3 * HOUR + 10 * 60_000);
		expect(conversationStore(sandbox).list()).toHaveLength(1);

		// Four hours after the claim, one after the call: the pause is not over.
		jest.setSystemTime(START.getTime() + 4 * HOUR + 60_000);
		const place = placeNode(sandbox, {
			campaign: CAMPAIGN,
			useCallingWindow: false,
			options: { callsPerMinute: 0, hoursBetweenAttempts: 4 },
		});
		const again = await runNode(place, {
			credentials: { ...sandbox.credentials() },
			items: [noAnswer],
		});
		expect(dialAttempts(sandbox)).toBe(0);
		const out = again.json(NODE)[0];
		expect(out).toMatchObject({ status: 'too_soon' });
		const after = Date.parse(String(out.nextAttemptAfter)) - (START.getTime() + 7 * HOUR);
		expect(Math.abs(after)).toBeLessThan(5 * 60_000);
	});
});
