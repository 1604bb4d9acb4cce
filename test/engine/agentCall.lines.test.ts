/**
 * The agent's lines under the concurrency guard, through n8n's engine against the sandbox at
 * real-API latency: every dial goes out on a line lease in the call ledger, held while the item
 * waits for a free line and released however the dial ends (placed, refused, unclear, Stop); executions side by side never race ElevenLabs for a line (no 429); one execution
 * dials its items side by side up to the limit, its output in the input's order.
 */
import * as path from 'node:path';

import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { ACTIVE_STATUSES, conversationStore } from '../../sandbox/conversations';
import { CANDIDATE, NODE, dialAttempts, dialled, placeNode, runPlace } from './agentCall.helpers';
import { runError, runNode } from './harness';

/* eslint-disable @typescript-eslint/no-require-imports */
const { SqliteDatabase, loadSqlite } =
	require('../../dist/nodes/shared/ledger/sqliteDatabase') as typeof import('../../nodes/shared/ledger/sqliteDatabase');
/* eslint-enable @typescript-eslint/no-require-imports */

const LATENCY_MS = 300;
const OUTBOUND = '/v1/convai/twilio/outbound-call';
/** The German agent's concurrency limit in the sandbox. */
const AGENT_LIMIT = 5;
const LEDGER = path.join(
	process.env.N8N_USER_FOLDER!,
	'.n8n',
	'storage',
	'n8n-nodes-voice-recruiting.agentCall',
	'call-ledger.sqlite',
);

let sandbox: Sandbox;

beforeAll(async () => {
	// Calls of 1–2 s talk; the sandbox's time runs ten times faster, so the lines turn over quickly.
	sandbox = await startSandbox({ port: 0, callLengths: { minSecs: 1, maxSecs: 2, seed: 'lines' } });
});
afterAll(async () => await sandbox.close());
beforeEach(() => {
	sandbox.reset();
	sandbox.setLatency(LATENCY_MS);
	sandbox.clock.setSpeed(10);
});

const people = (prefix: string, count: number, first = 10) =>
	Array.from({ length: count }, (_, n) => ({
		...CANDIDATE,
		candidateId: `${prefix}-${n}`,
		phone: `0171 23${String(first + n).padStart(2, '0')}4560`,
	}));

/** The agent's line rows in the embedded ledger, and how many are leased now. */
async function lines(): Promise<{ rows: number; held: number }> {
	const db = new SqliteDatabase(loadSqlite()!, LEDGER);
	try {
		const [row] = await db.query(
			`SELECT COUNT(*) AS rows, SUM(CASE WHEN lease_id IS NOT NULL AND expires_at > $1 THEN 1 ELSE 0 END) AS held
			FROM voice_recruiting_line_leases WHERE agent = $2`,
			[Date.now(), sandbox.ids.agents.recruitingDe],
		);
		return { rows: Number(row.rows), held: Number(row.held ?? 0) };
	} finally {
		await db.close();
	}
}

/** The most calls of the agent running at once while `run` runs (sampled every 10 ms). */
async function peakRunning<T>(run: () => Promise<T>): Promise<{ value: T; peak: number }> {
	const store = conversationStore(sandbox);
	let peak = 0;
	const sample = setInterval(() => {
		const running = store.list().filter((c) => ACTIVE_STATUSES.has(c.status)).length;
		peak = Math.max(peak, running);
	}, 10);
	try {
		return { value: await run(), peak };
	} finally {
		clearInterval(sample);
	}
}

/** The most dial requests that were under way at the same moment, from the sandbox's log. */
function peakDialsInFlight(): number {
	const events = sandbox.requests
		.all()
		.filter((r) => r.method === 'POST' && r.path === OUTBOUND)
		.flatMap((r) => {
			const from = r.receivedAt.getTime();
			return [
				{ at: from, step: 1 },
				{ at: from + (r.durationMs ?? 0), step: -1 },
			];
		})
		.sort((a, b) => a.at - b.at || a.step - b.step);
	let now = 0;
	let most = 0;
	for (const e of events) most = Math.max(most, (now += e.step));
	return most;
}

const answered429 = () =>
	sandbox.requests.all().filter((r) => r.path === OUTBOUND && r.status === 429).length;

/** Calls outside this package on every line of the agent, for ten minutes of sandbox time. */
function takeEveryLine(): void {
	const store = conversationStore(sandbox);
	for (let n = 0; n < AGENT_LIMIT; n++) {
		store.create({
			agentId: sandbox.ids.agents.recruitingDe,
			source: 'twilio',
			outcome: { callResult: 'answered', ringSecs: 600, talkSecs: 600 },
		});
	}
}

describe('Place Agent Call: line leases', () => {
	it('a placed call dials on a line lease that is free again once the dial answered', async () => {
		const result = await runPlace(sandbox, [CANDIDATE]);
		expect(result.json(NODE)[0]).toMatchObject({ status: 'initiated' });
		expect(await lines()).toEqual({ rows: AGENT_LIMIT, held: 0 });
	});

	it('a dial refused because no line came free leaves no lease', async () => {
		takeEveryLine();
		const error = runError(
			await runPlace(sandbox, [CANDIDATE], { options: { maxWaitSeconds: 1 } }),
		);
		expect(error.message).toMatch(/stayed at its limit/);
		expect(dialAttempts(sandbox)).toBe(0);
		expect(await lines()).toEqual({ rows: AGENT_LIMIT, held: 0 });
	});

	it('n8n’s Stop while the item waits on its line lease releases the lease', async () => {
		takeEveryLine();
		let stop!: () => void;
		const stopped = new Promise<void>((resolve) => (stop = resolve));
		const place = runNode(placeNode(sandbox, { options: { maxWaitSeconds: 60 } }), {
			credentials: { ...sandbox.credentials() },
			items: [CANDIDATE],
			stopWhen: stopped,
		});
		// The item holds its lease while it watches the live count.
		for (let n = 0; n < 100 && (await lines()).held === 0; n++)
			await new Promise((resolve) => setTimeout(resolve, 100));
		expect(await lines()).toEqual({ rows: AGENT_LIMIT, held: 1 });
		stop();
		expect(runError(await place).message).toBe('The execution was cancelled');
		expect(dialAttempts(sandbox)).toBe(0);
		expect(await lines()).toEqual({ rows: AGENT_LIMIT, held: 0 });
	});

	it('a dial with an unclear outcome leaves no lease', async () => {
		sandbox.faults.add({ method: 'POST', path: OUTBOUND, kind: 'status5xxAfter' });
		const error = runError(await runPlace(sandbox, [CANDIDATE]));
		expect(error.message).toMatch(/HTTP 502/);
		expect(dialled(sandbox)).toBe(1);
		expect(await lines()).toEqual({ rows: AGENT_LIMIT, held: 0 });
	});

	it('two executions side by side never race ElevenLabs for a line: no 429, all called once', async () => {
		const { value, peak } = await peakRunning(
			async () =>
				await Promise.all([
					runPlace(sandbox, people('a', 8, 10)),
					runPlace(sandbox, people('b', 8, 30)),
				]),
		);
		for (const result of value) {
			expect(result.json(NODE).map((j) => j.status)).toEqual(Array(8).fill('initiated'));
		}
		expect(answered429()).toBe(0);
		expect(dialled(sandbox)).toBe(16);
		expect(peak).toBeLessThanOrEqual(AGENT_LIMIT);
		expect((await lines()).held).toBe(0);
	});

	it('one execution dials its items side by side, at most the limit at once, output in input order', async () => {
		const limit = 3;
		const input = people('c', 9, 50);
		const { value: result, peak } = await peakRunning(
			async () => await runPlace(sandbox, input, { options: { maxConcurrentCalls: limit } }),
		);
		const output = result.output(NODE);
		expect(output.map((item) => item.json.candidateId)).toEqual(input.map((c) => c.candidateId));
		expect(output.map((item) => item.pairedItem)).toEqual(input.map((_, item) => ({ item })));
		expect(output.map((item) => item.json.status)).toEqual(Array(9).fill('initiated'));
		expect(peak).toBeLessThanOrEqual(limit);
		// Side by side: more than one dial request was under way at a time, never more than the limit.
		expect(peakDialsInFlight()).toBeGreaterThan(1);
		expect(peakDialsInFlight()).toBeLessThanOrEqual(limit);
		expect((await lines()).held).toBe(0);
	});

	it('with continue-on-fail, a failing item among those dialled side by side keeps its place', async () => {
		const input = people('d', 4, 70);
		input[1] = { ...input[1], phone: 'not a number' };
		const result = await runPlace(
			sandbox,
			input,
			{ options: { maxConcurrentCalls: 2 } },
			{ onError: 'continueRegularOutput' },
		);
		const output = result.output(NODE);
		expect(output.map((item) => item.pairedItem)).toEqual(input.map((_, item) => ({ item })));
		expect(output[1].json.error).toEqual(expect.any(String));
		expect([0, 2, 3].map((n) => output[n].json.status)).toEqual(Array(3).fill('initiated'));
	});
});
