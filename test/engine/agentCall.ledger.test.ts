/**
 * The call ledger through n8n's engine against the sandbox, with API round trips as slow as the
 * real API's: deliveries of one candidate that run at the same time dial once, n8n's Retry On
 * Fail never dials twice, the do-not-call list and the attempt budget hold, and a ledger that
 * cannot be reached stops the node before anything is dialled. The ledger store itself, across
 * processes, is tested in test/ledger/.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { readdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';

import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { freshPostgresDatabase } from '../ledger/postgres';
import type { FreshDatabase } from '../ledger/postgres';
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
import type { CredentialData, PackageNode, RunResult } from './harness';
import { endSandboxCalls } from './sandbox.helpers';

/** A few hundred milliseconds per request, as on the real API: the window in which races happen. */
const LATENCY_MS = 300;
const OUTBOUND = '/v1/convai/twilio/outbound-call';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
});
afterAll(async () => await sandbox.close());
beforeEach(() => {
	sandbox.reset();
	sandbox.setLatency(LATENCY_MS);
});

const statuses = (result: RunResult) => result.json(NODE).map((item) => item.status);

/** Four people with their own ids and numbers. */
const LIST = [1, 2, 3, 4].map((n) => ({
	...CANDIDATE,
	candidateId: `list-${n}`,
	phone: `0171 1234567${n}`,
}));

/** The sandbox's scenario for this number ends without reaching anyone. */
const NO_ANSWER = { ...CANDIDATE, candidateId: 'no-answer', phone: '' };

/** Campaign → Submit of `items` as one batch, in a window open at any moment. */
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

describe('Call ledger: deliveries of one candidate at the same time', () => {
	it('five executions of the same candidate started together dial once; the others report the winner’s call', async () => {
		const runs = await Promise.all(
			[1, 2, 3, 4, 5].map(async () => await runPlace(sandbox, [CANDIDATE])),
		);
		const outputs = runs.map((run) => run.json(NODE)[0]);
		const winners = outputs.filter((out) => out.status === 'initiated');
		expect(winners).toHaveLength(1);
		expect(outputs.filter((out) => out.status === 'already_called')).toHaveLength(4);
		for (const loser of outputs.filter((out) => out.status === 'already_called')) {
			expect(loser.conversationId).toBe(winners[0].conversationId);
		}
		expect(dialAttempts(sandbox)).toBe(1);
		expect(dialled(sandbox)).toBe(1);
	});

	it('two executions working through the same four-person list call each person once', async () => {
		const [a, b] = await Promise.all([runPlace(sandbox, LIST), runPlace(sandbox, LIST)]);
		const byPerson = LIST.map((_, i) => [statuses(a)[i], statuses(b)[i]].sort());
		expect(byPerson).toEqual(LIST.map(() => ['already_called', 'initiated']));
		expect(dialled(sandbox)).toBe(4);
	});

	it('two Campaign → Submit runs of the same list started together submit one batch', async () => {
		const runs = await Promise.all([1, 2].map(async () => await runSubmit(LIST)));
		const outputs = runs.map((run) => run.json(NODE)[0]);
		expect(outputs.map((out) => out.recipients).sort()).toEqual([0, 4]);
		const empty = outputs.find((out) => out.recipients === 0)!;
		expect(empty).toMatchObject({ status: 'nothing_to_submit', campaignId: null });
		expect((empty.alreadyCalled as IDataObject[]).map((entry) => entry.itemIndex)).toEqual([
			0, 1, 2, 3,
		]);
		expect(sandbox.requests.count('POST', '/v1/convai/batch-calling/submit')).toBe(1);
	});

	it('one number under two candidate ids is one person, in two executions and in one list', async () => {
		const twin = { ...CANDIDATE, candidateId: 'cand-1-again' };
		const [first, second] = await Promise.all([
			runPlace(sandbox, [CANDIDATE]),
			runPlace(sandbox, [twin]),
		]);
		expect([statuses(first)[0], statuses(second)[0]].sort()).toEqual([
			'already_called',
			'initiated',
		]);
		expect(dialled(sandbox)).toBe(1);

		sandbox.reset();
		const list = await runPlace(sandbox, [CANDIDATE, twin], { campaign: 'another-job' });
		expect(statuses(list)).toEqual(['initiated', 'already_called']);
		expect(dialled(sandbox)).toBe(1);
	});

	it('one candidate id with two numbers is a conflict on the item: the second person is not called as the first', async () => {
		await runPlace(sandbox, [CANDIDATE]);
		const other = await runPlace(
			sandbox,
			[{ ...CANDIDATE, phone: '0171 12345699' }],
			{},
			{ onError: 'continueRegularOutput' },
		);
		const [out] = other.json(NODE);
		expect(String(out.error)).toContain('called in this campaign on another number (•••01)');
		expect(String(out.error)).toContain('was not called');
		expect(dialled(sandbox)).toBe(1);
	});
});

describe('Call ledger: retries never dial twice', () => {
	it('n8n’s Retry On Fail after a 5xx (the call was placed) does not dial again, even with Skip If Already Called off', async () => {
		sandbox.faults.add({ method: 'POST', path: OUTBOUND, kind: 'status5xxAfter' });
		const node = {
			...placeNode(sandbox, { skipIfAlreadyCalled: false }),
			retry: { maxTries: 3, waitBetweenTries: 10 },
		};
		const result = await runNode(node, {
			credentials: { ...sandbox.credentials() },
			items: [CANDIDATE],
		});
		const error = runError(result);
		expect(error.message).toContain('may have been placed by an earlier try of this execution');
		expect(error.description).toContain('does not dial again');
		expect(dialAttempts(sandbox)).toBe(1);
		expect(dialled(sandbox)).toBe(1);
	});

	it('a timeout keeps the claim: another execution later dials nobody', async () => {
		sandbox.faults.add({
			method: 'POST',
			path: OUTBOUND,
			kind: 'timeout',
			carryOut: true,
			holdMs: 10_000,
		});
		const first = await runPlace(
			sandbox,
			[CANDIDATE],
			{ options: { requestTimeout: 2 } },
			{ onError: 'continueRegularOutput' },
		);
		expect(first.json(NODE)[0]).toMatchObject({ status: 'unknown' });
		const again = await runPlace(sandbox, [CANDIDATE]);
		expect(again.json(NODE)[0]).toMatchObject({
			status: 'already_called',
			previousCallStatus: 'unknown',
		});
		expect(dialAttempts(sandbox)).toBe(1);
	});

	it('a 4xx proves nobody was called and releases the claim: the next run dials', async () => {
		sandbox.faults.add({ method: 'POST', path: OUTBOUND, kind: 'status', status: 422 });
		const refused = await runPlace(sandbox, [CANDIDATE], {}, { onError: 'continueRegularOutput' });
		expect(refused.json(NODE)[0].error).toBeDefined();
		expect(dialled(sandbox)).toBe(0);
		const again = await runPlace(sandbox, [CANDIDATE]);
		expect(again.json(NODE)[0]).toMatchObject({ status: 'initiated' });
		expect(dialAttempts(sandbox)).toBe(2);
		expect(dialled(sandbox)).toBe(1);
	});

	it('Look Back (Days) of 0 or below from an expression does not open a second call', async () => {
		await runPlace(sandbox, [CANDIDATE], { skipIfAlreadyCalled: true });
		for (const lookBackDays of [0, -3]) {
			const refused = await runPlace(sandbox, [CANDIDATE], {
				skipIfAlreadyCalled: true,
				options: { lookBackDays },
			});
			expect(runError(refused).message).toContain('"Look Back (Days)" must be');
		}
		// The shortest look back the editor allows: the ledger, not the vendor's history, finds the call.
		const again = await runPlace(sandbox, [CANDIDATE], {
			skipIfAlreadyCalled: true,
			options: { lookBackDays: 1 },
		});
		expect(again.json(NODE)[0]).toMatchObject({ status: 'already_called' });
		expect(dialled(sandbox)).toBe(1);
	});
});

/** Place Agent Call's do-not-call resource. */
async function doNotCall(
	operation: 'add' | 'get' | 'remove',
	phone: string,
	extra: INodeParameters = {},
) {
	const node: PackageNode = {
		type: 'agentCall',
		name: NODE,
		parameters: { resource: 'doNotCall', operation, phone, ...extra },
	};
	return (
		await runNode(node, {
			credentials: { ...sandbox.credentials() },
			items: [{ candidateId: 'x' }],
		})
	).json(NODE)[0];
}

describe('Call ledger: the do-not-call list', () => {
	it('a listed number is not dialled by a call or a campaign, until it is removed', async () => {
		const added = await doNotCall('add', '0171 12345601', { reason: 'Widerspruch per E-Mail' });
		expect(added).toMatchObject({
			toNumber: '+4917112345601',
			doNotCall: true,
			added: true,
			reason: 'Widerspruch per E-Mail',
		});
		expect(await doNotCall('add', '+49 171 12345601')).toMatchObject({
			added: false,
			reason: 'Widerspruch per E-Mail',
		});
		expect(await doNotCall('get', '+4917112345601')).toMatchObject({
			doNotCall: true,
			reason: 'Widerspruch per E-Mail',
		});

		const call = await runPlace(sandbox, [CANDIDATE], { campaign: 'any-campaign' });
		expect(call.json(NODE)[0]).toMatchObject({
			status: 'do_not_call',
			doNotCallReason: 'Widerspruch per E-Mail',
		});
		const campaign = (await runSubmit([CANDIDATE, LIST[0]])).json(NODE)[0];
		expect(campaign).toMatchObject({
			recipients: 1,
			heldBack: [{ itemIndex: 0, status: 'do_not_call' }],
		});
		expect(dialAttempts(sandbox)).toBe(0);
		const [batch] = sandbox.requests
			.all()
			.filter((r) => r.path === '/v1/convai/batch-calling/submit');
		expect(JSON.stringify(batch.body)).not.toContain('+4917112345601');

		const removed = await doNotCall('remove', '0171 12345601');
		expect(removed).toMatchObject({ doNotCall: false, removed: true });
		expect(await doNotCall('get', '0171 12345601')).toMatchObject({ doNotCall: false });
		expect(statuses(await runPlace(sandbox, [CANDIDATE], { campaign: 'any-campaign' }))).toEqual([
			'initiated',
		]);
	});

	it('a number it cannot normalise is a clear error for that item', async () => {
		const node: PackageNode = {
			type: 'agentCall',
			name: NODE,
			parameters: { resource: 'doNotCall', operation: 'add', phone: 'bitte nicht anrufen' },
		};
		const error = runError(
			await runNode(node, { credentials: { ...sandbox.credentials() }, items: [{}] }),
		);
		expect(error.itemIndex).toBe(0);
		expect(error.message).toMatch(/phone number/i);
	});
});

describe('Call ledger: the attempt budget', () => {
	const noAnswer = () => ({ ...NO_ANSWER, phone: sandbox.scenarios.noAnswer.number });

	it('a call that did not reach the person may be repeated after the pause, and not more often than Max Attempts', async () => {
		const budget = {
			campaign: 'budget',
			skipIfAlreadyCalled: true,
			options: { maxAttempts: 2, hoursBetweenAttempts: 4 },
		};
		const first = await runPlace(sandbox, [noAnswer()], budget);
		expect(statuses(first)).toEqual(['initiated']);
		endSandboxCalls(sandbox);

		const tooSoon = (await runPlace(sandbox, [noAnswer()], budget)).json(NODE)[0];
		expect(tooSoon).toMatchObject({
			status: 'too_soon',
			attempts: 1,
			conversationId: first.json(NODE)[0].conversationId,
		});
		const pause =
			Date.parse(String(tooSoon.nextAttemptAfter)) -
			Date.parse(String(first.json(NODE)[0].placedAt));
		expect(Math.abs(pause - 4 * 3_600_000)).toBeLessThan(60_000);

		const noPause = { ...budget, options: { maxAttempts: 2, hoursBetweenAttempts: 0 } };
		expect(statuses(await runPlace(sandbox, [noAnswer()], noPause))).toEqual(['initiated']);
		endSandboxCalls(sandbox);
		expect((await runPlace(sandbox, [noAnswer()], noPause)).json(NODE)[0]).toMatchObject({
			status: 'attempts_exhausted',
			attempts: 2,
		});
		expect(dialled(sandbox)).toBe(2);
	});

	it.each([true, false])(
		'a call that reached the person is not repeated, whatever the budget (Skip If Already Called %s)',
		async (skipIfAlreadyCalled) => {
			const budget = {
				campaign: 'budget',
				skipIfAlreadyCalled,
				options: { maxAttempts: 5, hoursBetweenAttempts: 0 },
			};
			await runPlace(sandbox, [CANDIDATE], budget);
			endSandboxCalls(sandbox);
			expect(statuses(await runPlace(sandbox, [CANDIDATE], budget))).toEqual(['already_called']);
			expect(dialled(sandbox)).toBe(1);
		},
	);

	it('an attempt budget below 1 from an expression is a setup error, before any dial', async () => {
		const result = await runPlace(sandbox, [CANDIDATE], { options: { maxAttempts: 0 } });
		expect(runError(result).message).toContain(
			'"Max Attempts" must be a whole number of 1 or more',
		);
		expect(dialAttempts(sandbox)).toBe(0);
	});
});

describe('Call ledger: where it is kept', () => {
	let database: FreshDatabase;
	beforeAll(async () => {
		database = await freshPostgresDatabase('engine');
	}, 300_000);
	afterAll(async () => await database?.drop());

	const postgres = (credential: object): { credentials: CredentialData } => ({
		credentials: { ...sandbox.credentials(), callLedgerPostgresApi: credential },
	});

	it('on Postgres: three executions of one candidate at the same time dial once', async () => {
		const runs = await Promise.all(
			[1, 2, 3].map(
				async () =>
					await runPlace(
						sandbox,
						[CANDIDATE],
						{ ledger: 'postgres' },
						postgres(database.credential),
					),
			),
		);
		expect(runs.map((run) => statuses(run)[0]).sort()).toEqual([
			'already_called',
			'already_called',
			'initiated',
		]);
		expect(dialled(sandbox)).toBe(1);
		// Data minimisation: the number itself is not stored, only its keyed hash and a masked form.
		const stored = await database.dump();
		expect(stored).not.toContain('12345601');
		expect(stored).toContain('•••01');
	});

	it('a Postgres ledger it cannot reach stops the node before anything is dialled', async () => {
		const result = await runPlace(
			sandbox,
			[CANDIDATE],
			{ ledger: 'postgres' },
			postgres({ ...database.credential, port: 1 }),
		);
		const error = runError(result);
		expect(error.message).toBe('Could not reach the Postgres call ledger, so nobody was called');
		expect(error.description).toContain('never dials without the ledger');
		expect(dialAttempts(sandbox)).toBe(0);
	});

	it('wrong Postgres credentials: the same clear error, the password never shown', async () => {
		const result = await runPlace(
			sandbox,
			[CANDIDATE],
			{ ledger: 'postgres' },
			postgres({ ...database.credential, user: 'nobody', password: 'wrong-pass-123' }),
		);
		const error = runError(result);
		expect(error.message).toBe('Could not reach the Postgres call ledger, so nobody was called');
		expect(`${error.message} ${error.description}`).not.toContain('wrong-pass-123');
		expect(dialAttempts(sandbox)).toBe(0);
	});

	it('the embedded ledger is refused in queue mode, where each worker would keep its own', async () => {
		const before = process.env.EXECUTIONS_MODE;
		process.env.EXECUTIONS_MODE = 'queue';
		try {
			const error = runError(await runPlace(sandbox, [CANDIDATE]));
			expect(error.message).toMatch(/queue mode/i);
			expect(error.description).toMatch(/Postgres/);
			expect(dialAttempts(sandbox)).toBe(0);
		} finally {
			if (before === undefined) delete process.env.EXECUTIONS_MODE;
			else process.env.EXECUTIONS_MODE = before;
		}
	});
});

describe('Call ledger: an embedded ledger that vanished', () => {
	it('is refused with what to do and nobody is dialled, until "Start a New Embedded Ledger" is switched on', async () => {
		expect(statuses(await runPlace(sandbox, [CANDIDATE]))).toEqual(['initiated']);
		// The ledger file goes (a container without a volume, a cleaned-up folder).
		const folder = path.join(
			process.env.N8N_USER_FOLDER!,
			'.n8n',
			'storage',
			'n8n-nodes-voice-recruiting.agentCall',
		);
		for (const file of readdirSync(folder).filter((name) => name.startsWith('call-ledger')))
			rmSync(path.join(folder, file));

		const error = runError(await runPlace(sandbox, [LIST[0]]));
		expect(error.message).toMatch(/^The embedded call ledger .+ is gone, but this n8n has had one/);
		expect(error.description).toContain('Start a New Embedded Ledger');
		expect(dialAttempts(sandbox)).toBe(1);

		expect(statuses(await runPlace(sandbox, [LIST[0]], { startNewLedger: true }))).toEqual([
			'initiated',
		]);
	});
});
