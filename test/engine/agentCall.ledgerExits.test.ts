/**
 * The call ledger on the way from the claim to the dial, through n8n's engine against the sandbox
 * at real-API latency: a claim whose dial request never went out is released however the run
 * ends, so the next run may call the person at once.
 */
import { DateTime } from 'luxon';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import {
	CANDIDATE,
	NODE,
	dialAttempts,
	dialled,
	placeNode,
	runPlace,
	submitParameters,
} from './agentCall.helpers';
import { runError, runNode } from './harness';
import type { RunResult } from './harness';
import { endSandboxCalls, startSandboxCall } from './sandbox.helpers';
import { conversationStore } from '../../sandbox/conversations';
import { fakeDateOnly } from './standingDate';

const LATENCY_MS = 300;
const LIVE_COUNT = '/v1/convai/analytics/live-count';
const SUBMIT = '/v1/convai/batch-calling/submit';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
});
afterAll(async () => await sandbox.close());
beforeEach(() => {
	sandbox.reset();
	sandbox.setLatency(LATENCY_MS);
});

const first = (result: RunResult) => result.json(NODE)[0];

/** Five people with their own ids and numbers. */
const FIVE = [1, 2, 3, 4, 5].map((n) => ({
	...CANDIDATE,
	candidateId: `exit-${n}`,
	phone: `0171 2345670${n}`,
}));

async function runSubmit(items: IDataObject[]) {
	const parameters: INodeParameters = {
		resource: 'campaign',
		operation: 'submit',
		...submitParameters(sandbox),
	};
	return await runNode(
		{ type: 'agentCall', name: NODE, parameters },
		{ credentials: { ...sandbox.credentials() }, items },
	);
}

describe('Call ledger: a claim whose dial never went out is released', () => {
	it('Submit stopped by a key conflict on row 4 leaves rows 0–3 free for the next run at once', async () => {
		// Row 4's candidate id was used in this campaign for another number.
		expect((await runSubmit([FIVE[4]])).status).toBe('success');
		const conflict = { ...FIVE[4], phone: '0171 23456799' };
		const stopped = await runSubmit([...FIVE.slice(0, 4), conflict]);
		expect(stopped.status).toBe('error');
		expect(sandbox.requests.count('POST', SUBMIT)).toBe(1);

		// Without the release each row waits out the stranded claim (30 s), then counts as called.
		const next = first(await runSubmit(FIVE.slice(0, 2)));
		expect(next).toMatchObject({ recipients: 2, alreadyCalled: [] });
	}, 120_000);

	it.each<[string, () => void, INodeParameters]>([
		[
			'the live count fails',
			() =>
				sandbox.faults.add({
					method: 'GET',
					path: LIVE_COUNT,
					kind: 'status',
					status: 500,
					times: 10,
				}),
			{},
		],
		[
			'the own Twilio credential is broken',
			() => undefined,
			{ transport: 'ownTwilio', fromNumber: '+493012345670' },
		],
	])(
		'Place stopped after the claim because %s: the next run dials at once',
		async (_, fault, extra) => {
			fault();
			const broken =
				'transport' in extra
					? {
							credentials: {
								twilioCallsApi: { ...sandbox.credentials().twilioCallsApi, accountSid: 'XX' },
							},
						}
					: {};
			const failed = await runPlace(sandbox, [CANDIDATE], extra, broken);
			expect(failed.status).toBe('error');
			expect(dialled(sandbox)).toBe(0);
			sandbox.faults.clear();

			expect(first(await runPlace(sandbox, [CANDIDATE]))).toMatchObject({ status: 'initiated' });
			expect(dialled(sandbox)).toBe(1);
		},
		120_000,
	);
});

describe('Call ledger: the reach check asks ElevenLabs, and says so when ElevenLabs fails', () => {
	const noAnswer = () => ({
		...CANDIDATE,
		candidateId: 'reach',
		phone: sandbox.scenarios.noAnswer.number,
	});
	const budget = { options: { callsPerMinute: 0, maxAttempts: 3, hoursBetweenAttempts: 0 } };

	it('a conversation deleted since the call counts as unknown: already called, not a ledger error', async () => {
		const placed = first(await runPlace(sandbox, [noAnswer()], budget));
		endSandboxCalls(sandbox);
		conversationStore(sandbox).delete(String(placed.conversationId));
		const again = await runPlace(sandbox, [noAnswer()], budget);
		expect(again.status).toBe('success');
		expect(first(again)).toMatchObject({
			status: 'already_called',
			conversationId: placed.conversationId,
		});
		expect(dialled(sandbox)).toBe(0);
	});

	it('an ElevenLabs error during the check is reported as what failed, not as the ledger', async () => {
		first(await runPlace(sandbox, [noAnswer()], budget));
		endSandboxCalls(sandbox);
		sandbox.faults.add({
			method: 'GET',
			path: /^\/v1\/convai\/conversations\/[^/]+$/,
			kind: 'status',
			status: 403,
		});
		const failed = await runPlace(sandbox, [noAnswer()], budget);
		const message = runError(failed).message;
		expect(message).toContain(
			'ElevenLabs refused to check whether the last call reached the candidate',
		);
		expect(message).not.toContain('call ledger');
		expect(dialled(sandbox)).toBe(1);
	});
});

describe('Place Agent Call: the last look right before the dial, after the wait for a line', () => {
	/** The agent's five lines taken by calls that run until ended. */
	async function takeEveryLine() {
		await Promise.all([1, 2, 3, 4, 5].map(async () => await startSandboxCall(sandbox, 'answered')));
	}

	/** Waits until Place has claimed the candidate and is looking for a free line. */
	async function whileItWaits() {
		for (let n = 0; n < 100 && sandbox.requests.count('GET', LIVE_COUNT) < 2; n++)
			await new Promise((resolve) => setTimeout(resolve, 100));
		expect(sandbox.requests.count('GET', LIVE_COUNT)).toBeGreaterThanOrEqual(2);
	}

	const waiting = { options: { callsPerMinute: 0, maxWaitSeconds: 60 } };

	it('a number put on the do-not-call list while the item waits is not dialled', async () => {
		await takeEveryLine();
		const place = runPlace(sandbox, [CANDIDATE], waiting);
		await whileItWaits();
		const add = await runNode(
			{
				type: 'agentCall',
				name: NODE,
				parameters: { resource: 'doNotCall', operation: 'add', phone: CANDIDATE.phone },
			},
			{ credentials: { ...sandbox.credentials() }, items: [{}] },
		);
		expect(add.status).toBe('success');
		endSandboxCalls(sandbox);
		expect(first(await place)).toMatchObject({ status: 'do_not_call' });
		expect(dialAttempts(sandbox)).toBe(5);
	}, 120_000);

	it('n8n’s Stop while the item waits for a line releases its claim: the next run dials at once', async () => {
		await takeEveryLine();
		let stop!: () => void;
		const stopped = new Promise<void>((resolve) => (stop = resolve));
		const place = runNode(placeNode(sandbox, waiting), {
			credentials: { ...sandbox.credentials() },
			items: [CANDIDATE],
			stopWhen: stopped,
		});
		await whileItWaits();
		stop();
		// n8n marks the execution as stopped; the node ends with the wait's cancellation.
		expect(runError(await place).message).toBe('The execution was cancelled');
		expect(dialAttempts(sandbox)).toBe(5);
		endSandboxCalls(sandbox);
		// A claim left behind would make this run report the person as already called.
		expect(first(await runPlace(sandbox, [CANDIDATE], waiting))).toMatchObject({
			status: 'initiated',
		});
		expect(dialAttempts(sandbox)).toBe(6);
	}, 120_000);

	it('a calling window that closed during the wait is kept: outside_window, nobody dialled', async () => {
		await takeEveryLine();
		// Open all of today (Berlin) and on no other day of the week.
		const now = new Date();
		const today = DateTime.fromJSDate(now).setZone('Europe/Berlin').weekday;
		const place = runPlace(sandbox, [CANDIDATE], { ...waiting, callingDays: [today] });
		await whileItWaits();
		// The node's clock passes into tomorrow while it waits (only Date moves).
		fakeDateOnly(now.getTime() + 24 * 3_600_000);
		try {
			endSandboxCalls(sandbox);
			expect(first(await place)).toMatchObject({ status: 'outside_window' });
		} finally {
			jest.useRealTimers();
		}
		expect(dialAttempts(sandbox)).toBe(5);
	}, 120_000);
});
