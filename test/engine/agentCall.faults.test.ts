/**
 * Fault injection on the dialling request: what the candidate experiences is counted from the
 * sandbox (conversations started) and what the node sent from its request log. Nobody is ever
 * dialled twice; a 429 (nobody dialled) is retried and honours Retry-After.
 */
import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { conversationStore } from '../../sandbox/conversations';
import { CANDIDATE, NODE, dialAttempts, dialled, runPlace } from './agentCall.helpers';
import { runError } from './harness';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

const OUTBOUND = '/v1/convai/twilio/outbound-call';
const LIVE_COUNT = '/v1/convai/analytics/live-count';
const two = [
	{ ...CANDIDATE, candidateId: 'first', phone: '0171 1234560' },
	{ ...CANDIDATE, candidateId: 'second', phone: '0171 1234570' },
];

describe.each([
	[
		'a 502 after the call was placed',
		{ kind: 'status5xxAfter' as const },
		1,
		/ElevenLabs had a server error \(HTTP 502\)/,
	],
	[
		'a timeout (the call was placed)',
		{ kind: 'timeout' as const, carryOut: true, holdMs: 10_000 },
		1,
		/did not answer in time/,
	],
	[
		'a connection reset after placing',
		{ kind: 'reset' as const, carryOut: true },
		1,
		/connection to ElevenLabs broke/,
	],
	[
		'a connection reset before placing',
		{ kind: 'reset' as const, carryOut: false },
		0,
		/connection to ElevenLabs broke/,
	],
	['a malformed JSON answer', { kind: 'malformedJson' as const }, 1, /answer was unreadable/],
])('Place Agent Call after %s', (_label, fault, placed, message) => {
	it('reports "unknown", never retries, and stops the list', async () => {
		sandbox.faults.add({ method: 'POST', path: OUTBOUND, ...fault });
		const result = await runPlace(sandbox, two, { options: { requestTimeout: 2 } });
		expect(result.status).toBe('error');
		const error = runError(result);
		expect(error.message).toMatch(/^The call to \+4917112345600? may have been placed/);
		expect(error.message).toMatch(message);
		expect(error.description).toMatch(/does not try again/);
		expect(error.itemIndex).toBe(0);
		// One request for item 0, none for item 1; the sandbox placed exactly what the fault let through.
		expect(dialAttempts(sandbox)).toBe(1);
		expect(dialled(sandbox)).toBe(placed);
	});

	it('with continue-on-fail: status "unknown" on that item, the rest called once each', async () => {
		sandbox.faults.add({ method: 'POST', path: OUTBOUND, ...fault });
		const result = await runPlace(
			sandbox,
			two,
			{ options: { requestTimeout: 2 } },
			{ onError: 'continueRegularOutput' },
		);
		const out = result.json(NODE);
		expect(out[0]).toMatchObject({
			status: 'unknown',
			toNumber: '+491711234560',
			idempotencyKey: expect.any(String),
			error: expect.stringMatching(/may have been placed/),
		});
		expect(out[1]).toMatchObject({ status: 'initiated' });
		expect(dialAttempts(sandbox)).toBe(2);
		expect(dialled(sandbox)).toBe(placed + 1);
		expect(conversationStore(sandbox).list({ userId: String(out[0].idempotencyKey) })).toHaveLength(
			placed,
		);
	});
});

describe('Place Agent Call when ElevenLabs refuses with 429', () => {
	it('retries after Retry-After and then calls once', async () => {
		sandbox.faults.add({
			method: 'POST',
			path: OUTBOUND,
			kind: 'status',
			status: 429,
			headers: { 'retry-after': '1' },
			times: 2,
		});
		const started = Date.now();
		const result = await runPlace(sandbox, [CANDIDATE]);
		expect(result.status).toBe('success');
		expect(result.json(NODE)[0]).toMatchObject({ status: 'initiated' });
		expect(dialAttempts(sandbox)).toBe(3);
		expect(dialled(sandbox)).toBe(1);
		expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
	});

	it('gives up after "Retries When Busy", nobody called', async () => {
		sandbox.faults.add({
			method: 'POST',
			path: OUTBOUND,
			kind: 'status',
			status: 429,
			headers: { 'retry-after': '0' },
			times: 5,
		});
		const result = await runPlace(sandbox, [CANDIDATE], { options: { busyRetries: 2 } });
		expect(result.status).toBe('error');
		expect(runError(result).message).toMatch(/limit of simultaneous calls through every retry/);
		expect(dialAttempts(sandbox)).toBe(3);
		expect(dialled(sandbox)).toBe(0);
	});

	it('a 429 because another process took the free line sends the item back to wait for one, without using a retry', async () => {
		// The line is free when the node looks (live count 0, read once while it holds its line
		// lease), a process outside the package takes it before the dial (429), and the node's next
		// look finds all five lines taken (the faked live count).
		sandbox.faults.add({ method: 'POST', path: OUTBOUND, kind: 'status', status: 429 });
		sandbox.faults.add({
			method: 'GET',
			path: LIVE_COUNT,
			kind: 'status',
			status: 200,
			body: { count: 5 },
			skip: 1,
		});
		const liveCount = (r: { method: string; path: string }) =>
			r.method === 'GET' && r.path === LIVE_COUNT;
		const result = await runPlace(sandbox, [CANDIDATE], { options: { busyRetries: 0 } });
		expect(result.json(NODE)[0]).toMatchObject({ status: 'initiated' });
		expect(dialAttempts(sandbox)).toBe(2);
		expect(sandbox.requests.all().filter(liveCount).length).toBeGreaterThanOrEqual(3);
	});

	it('waits for a free line when the agent is at its concurrency limit, instead of being refused', async () => {
		// Five calls already hold the agent's five lines; they end one after another.
		const store = conversationStore(sandbox);
		for (let n = 0; n < 5; n++) {
			store.create({
				agentId: sandbox.ids.agents.recruitingDe,
				source: 'twilio',
				outcome: { callResult: 'answered', ringSecs: 1 + n * 0.3, talkSecs: 0.5 },
			});
		}
		const result = await runPlace(sandbox, [CANDIDATE], { options: { maxWaitSeconds: 20 } });
		expect(result.json(NODE)[0]).toMatchObject({ status: 'initiated' });
		// The guard asked for the live count before dialling; no dial was refused.
		expect(
			sandbox.requests.all().filter((r) => r.path === OUTBOUND && r.status === 429),
		).toHaveLength(0);
		expect(dialAttempts(sandbox)).toBe(1);
	});
});
