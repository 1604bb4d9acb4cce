/**
 * Campaign → Retry through the call ledger, n8n's engine and the sandbox: each failed recipient
 * of the batch is checked and claimed as Submit does (do-not-call list, attempt budget, pause),
 * only those who pass are dialled, and the ones held back are listed. The sandbox's batch dials
 * on its own clock, which stands still here (only Date is faked) and is moved by hand.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { conversationStore } from '../../sandbox/conversations';
import { ATTEMPT_VARIABLE } from '../../nodes/shared/conversation/reachedVia';
import { CANDIDATE, NODE, campaignNode } from './agentCall.helpers';
import { runNode } from './harness';
import type { PackageNode } from './harness';
import { elevenLabsCredential } from './sandbox.helpers';
import { standingDate } from './standingDate';
import { NODE as TRANSCRIPT, runTranscript } from './transcript.helpers';

/** Wednesday 2 December 2026, 10:00 in Berlin. */
const START = new Date('2026-12-02T09:00:00Z');
const HOUR = 3_600_000;
const CAMPAIGN = 'lager-leipzig';

let sandbox: Sandbox;

// Date stands at START for the node, the ledger and the sandbox's clock alike.
standingDate(START);

beforeEach(async () => {
	jest.setSystemTime(START);
	sandbox = await startSandbox({ port: 0, clock: { start: START } });
});
afterEach(async () => await sandbox.close());

/** Three candidates whose first call fails: busy, no answer, rejected by the carrier. */
function failing(): IDataObject[] {
	const { busy, noAnswer, failed } = sandbox.scenarios;
	return [busy, noAnswer, failed].map((scenario, n) => ({
		...CANDIDATE,
		candidateId: `retry-${n}`,
		phone: scenario.number,
	}));
}

/** The first round: all three submitted, dialled and failed; then past the 4 h pause. */
async function firstRound(): Promise<string> {
	const node = campaignNode(sandbox, 'submit', {
		callName: CAMPAIGN,
		campaign: CAMPAIGN,
		useCallingWindow: false,
	});
	const run = await runNode(node, { credentials: elevenLabsCredential(sandbox), items: failing() });
	expect(run.json(NODE)[0].recipients).toBe(3);
	sandbox.clock.advance(10 * 60_000);
	expect(conversationStore(sandbox).list()).toHaveLength(3);
	// The node's clock and the sandbox's agree, as the ledger's and ElevenLabs' do.
	jest.setSystemTime(START.getTime() + 10 * 60_000 + 5 * HOUR);
	sandbox.clock.advance(5 * HOUR);
	return String(run.json(NODE)[0].campaignId);
}

async function retry(campaignId: string, options: INodeParameters = {}) {
	const node = campaignNode(sandbox, 'retry', { campaignId, options });
	return await runNode(node, { credentials: elevenLabsCredential(sandbox), items: [{}] });
}

/** The conversations that called this number (first round and retries alike). */
function callsTo(e164: string): number {
	return conversationStore(sandbox)
		.list()
		.filter((c) => c.phoneCall?.externalNumber === e164).length;
}

function callsOfAll(): number[] {
	const { busy, noAnswer, failed } = sandbox.scenarios;
	return [busy, noAnswer, failed].map((s) => callsTo(s.number));
}

describe('Campaign → Retry through the call ledger', () => {
	it('does not dial a person who opted out after the first round; dials the others; lists the one held back', async () => {
		const campaignId = await firstRound();
		const optedOut = sandbox.scenarios.busy.number;
		const add: PackageNode = {
			type: 'agentCall',
			name: NODE,
			parameters: { resource: 'doNotCall', operation: 'add', phone: optedOut },
		};
		const added = await runNode(add, { credentials: { ...sandbox.credentials() }, items: [{}] });
		expect(added.json(NODE)[0]).toMatchObject({ doNotCall: true, added: true });

		const run = await retry(campaignId);
		expect(run.status).toBe('success');
		const out = run.json(NODE)[0];
		expect(out).toMatchObject({ recipients: 2, retriedFrom: campaignId });
		expect(out.campaignId).not.toBe(campaignId);
		expect(out.heldBack).toEqual([
			expect.objectContaining({ toNumber: optedOut, status: 'do_not_call' }),
		]);
		sandbox.clock.advance(10 * 60_000);
		expect(callsOfAll()).toEqual([1, 2, 2]);
		// The new batch's calls are second attempts, and say so (reachedVia: retry).
		const resubmit = sandbox.requests.last('POST', '/v1/convai/batch-calling/submit')?.body as {
			recipients: Array<{
				conversation_initiation_client_data: { dynamic_variables: IDataObject };
			}>;
		};
		expect(
			resubmit.recipients.map(
				(r) => r.conversation_initiation_client_data.dynamic_variables[ATTEMPT_VARIABLE],
			),
		).toEqual([2, 2]);
	});

	it('calls everyone again as second attempts when every failed recipient passes', async () => {
		const campaignId = await firstRound();
		const run = await retry(campaignId);
		const out = run.json(NODE)[0];
		expect(out).toMatchObject({ recipients: 3, retriedFrom: campaignId });
		expect(out.heldBack).toEqual([]);
		sandbox.clock.advance(10 * 60_000);
		expect(callsOfAll()).toEqual([2, 2, 2]);
		// Each call says which attempt it is: ElevenLabs' own retry would send the first round's data.
		const resubmit = sandbox.requests.last('POST', '/v1/convai/batch-calling/submit')?.body as {
			recipients: Array<{
				conversation_initiation_client_data: { dynamic_variables: IDataObject };
			}>;
		};
		expect(
			resubmit.recipients.map(
				(r) => r.conversation_initiation_client_data.dynamic_variables[ATTEMPT_VARIABLE],
			),
		).toEqual([2, 2, 2]);
	});

	it('a retried recipient who answers the second call reads as reached by retry', async () => {
		const later = sandbox.scenarios.answersSecondCall.number;
		const node = campaignNode(sandbox, 'submit', {
			callName: CAMPAIGN,
			campaign: CAMPAIGN,
			useCallingWindow: false,
		});
		const items = [{ ...CANDIDATE, candidateId: 'retry-later', phone: later }];
		const run = await runNode(node, { credentials: elevenLabsCredential(sandbox), items });
		sandbox.clock.advance(10 * 60_000);
		jest.setSystemTime(START.getTime() + 10 * 60_000 + 5 * HOUR);
		sandbox.clock.advance(5 * HOUR);
		await retry(String(run.json(NODE)[0].campaignId));
		sandbox.clock.advance(10 * 60_000);
		conversationStore(sandbox).settleAll();
		const calls = conversationStore(sandbox)
			.list()
			.filter((c) => c.phoneCall?.externalNumber === later);
		expect(calls.map((c) => c.callResult).sort()).toEqual(['answered', 'no_answer']);
		const reached = calls.find((c) => c.callResult === 'answered')!;
		const got = await runTranscript(sandbox, { operation: 'get' }, [
			{ conversationId: reached.conversationId },
		]);
		expect(got.json(TRANSCRIPT)[0]).toMatchObject({ callResult: 'answered', reachedVia: 'retry' });
	});

	it('calls nobody outside their calling window, lists them, and calls them once it is open', async () => {
		const campaignId = await firstRound();
		// 19:10 in Berlin, after the default window (Monday–Friday 09:00–18:00) has closed.
		jest.setSystemTime(START.getTime() + 10 * 60_000 + 9 * HOUR);
		sandbox.clock.advance(4 * HOUR);
		const evening = (await retry(campaignId)).json(NODE)[0];
		expect(evening).toMatchObject({ campaignId: null, status: 'nothing_to_submit', recipients: 0 });
		expect(evening.outsideWindow).toEqual(
			failing().map((candidate) =>
				expect.objectContaining({
					toNumber: candidate.phone,
					nextWindowStart: '2026-12-03T09:00:00.000+01:00',
				}),
			),
		);
		sandbox.clock.advance(10 * 60_000);
		expect(callsOfAll()).toEqual([1, 1, 1]);
		// Nobody was claimed: the next morning's Retry calls all three.
		jest.setSystemTime(new Date('2026-12-03T08:30:00Z'));
		sandbox.clock.advance(13 * HOUR);
		const morning = (await retry(campaignId)).json(NODE)[0];
		expect(morning).toMatchObject({ recipients: 3, outsideWindow: [] });
		sandbox.clock.advance(10 * 60_000);
		expect(callsOfAll()).toEqual([2, 2, 2]);
	});

	it('holds back recipients whose attempt budget is used up', async () => {
		const campaignId = await firstRound();
		const run = await retry(campaignId, { maxAttempts: 1 });
		const out = run.json(NODE)[0];
		expect(out).toMatchObject({ campaignId: null, status: 'nothing_to_submit', recipients: 0 });
		expect((out.heldBack as IDataObject[]).map((h) => h.status)).toEqual([
			'attempts_exhausted',
			'attempts_exhausted',
			'attempts_exhausted',
		]);
		sandbox.clock.advance(10 * 60_000);
		expect(callsOfAll()).toEqual([1, 1, 1]);
	});

	it('holds back everybody until the pause after their failed call is over', async () => {
		const node = campaignNode(sandbox, 'submit', {
			callName: CAMPAIGN,
			campaign: CAMPAIGN,
			useCallingWindow: false,
		});
		const run = await runNode(node, {
			credentials: elevenLabsCredential(sandbox),
			items: failing(),
		});
		sandbox.clock.advance(10 * 60_000);
		jest.setSystemTime(START.getTime() + 10 * 60_000);
		const early = await retry(String(run.json(NODE)[0].campaignId));
		const out = early.json(NODE)[0];
		expect(out.status).toBe('nothing_to_submit');
		expect((out.heldBack as IDataObject[]).map((h) => h.status)).toEqual([
			'too_soon',
			'too_soon',
			'too_soon',
		]);
		expect(callsOfAll()).toEqual([1, 1, 1]);
	});

	it('dials each person once when Retry runs twice at once', async () => {
		const campaignId = await firstRound();
		// An hour's pause: a retry that fails at once (the carrier's rejection) is not a reason for
		// the second run to call again within the same round.
		const runs = await Promise.all([
			retry(campaignId, { hoursBetweenAttempts: 1 }),
			retry(campaignId, { hoursBetweenAttempts: 1 }),
		]);
		expect(runs.map((r) => r.status)).toEqual(['success', 'success']);
		sandbox.clock.advance(10 * 60_000);
		expect(callsOfAll()).toEqual([2, 2, 2]);
	});
});
