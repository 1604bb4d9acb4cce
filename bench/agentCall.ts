/**
 * Benchmark: 200 candidates, an agent concurrency limit of 5, calls of a few seconds, placed
 * against the sandbox two ways in the same run:
 * - Place Agent Call through n8n's engine (pacing by the agent's free lines, 429 retried);
 * - the baseline a workflow without this package has: n8n's HTTP Request node posting to
 *   /v1/convai/twilio/outbound-call with its batching option (5 items per batch, an interval of
 *   the typical call's length, no retries). It is replayed here with plain fetch on the same
 *   schedule, because the HTTP Request node is not part of this package's dependencies.
 * Each prints the average concurrency divided by the limit (close to 1 is best), over the whole
 * run and while candidates were still waiting (from the first dial to the last), the dials the
 * limit rejected (429: those candidates were not called), and the people dialled twice (0).
 *
 * Run: npx tsx bench/agentCall.ts (after npm run build:dev), or through bench/run.ts.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Sandbox } from '../sandbox';
import { trackLines } from './lineUsage';

process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'n8n-bench-'));
process.env.N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS = 'false';
process.env.N8N_DIAGNOSTICS_ENABLED = 'false';

const CANDIDATES = 200;
const LIMIT = 5;
/** Sandbox clock speed: an answered call (6 s ringing + 184 s talk) lasts about 3 s of real time. */
const CLOCK_SPEED = 60;
/** The baseline's batch interval: the answered call's length in real time. */
const BATCH_INTERVAL_MS = Math.round(((6 + 184) / CLOCK_SPEED) * 1000);
const OUTBOUND_PATH = '/v1/convai/twilio/outbound-call';

export interface CallingFigures {
	seconds: number;
	averageConcurrencyPerLimit: number;
	/** Busy lines / limit from the first dial to the last: while anyone was still waiting. */
	busyWhileWaitingPerLimit: number;
	rejectedByLimit: number;
	dialledTwice: number;
}

export interface AgentCallFigures {
	candidates: number;
	limit: number;
	placeAgentCall: CallingFigures;
	httpRequestBatching: CallingFigures & { batchIntervalMs: number };
}

const candidates = () =>
	Array.from({ length: CANDIDATES }, (_, n) => ({
		candidateId: `bench-${n}`,
		phone: `+49171${String(2000000 + n)}`,
		prompt: {
			dynamicVariables: {
				candidate_name: `Kandidat ${n}`,
				company: 'Muster GmbH',
				job_title: 'Lagerist',
			},
		},
	}));
type Candidate = ReturnType<typeof candidates>[number];

/** Runs `place` against a fresh sandbox and measures the agent's calls until the last has ended. */
async function measure(
	place: (sandbox: Sandbox, items: Candidate[]) => Promise<void>,
): Promise<CallingFigures> {
	const { startSandbox } = await import('../sandbox');
	const sandbox = await startSandbox({ port: 0, clock: { speed: CLOCK_SPEED } });
	try {
		const lines = trackLines(sandbox, sandbox.ids.agents.recruitingDe);
		const started = Date.now();
		await place(sandbox, candidates());
		// Let the last calls end, then close the books.
		const ended = await lines.allEnded();
		return {
			seconds: Math.round((ended - started) / 100) / 10,
			averageConcurrencyPerLimit:
				Math.round((lines.averageBusy(started, ended) / LIMIT) * 100) / 100,
			busyWhileWaitingPerLimit:
				Math.round((lines.averageBusy(lines.firstDialAt(), lines.lastDialAt()) / LIMIT) * 100) /
				100,
			rejectedByLimit: sandbox.requests
				.all()
				.filter((r) => r.path === OUTBOUND_PATH && r.status === 429).length,
			dialledTwice: lines.dialledTwice(),
		};
	} finally {
		await sandbox.close();
	}
}

async function placeWithNode(sandbox: Sandbox, items: Candidate[]) {
	await import('reflect-metadata');
	// The engine harness builds its mocks with jest-mock-extended, which needs `jest.fn` outside jest too.
	const { ModuleMocker } = await import('jest-mock');
	const mocker = new ModuleMocker(globalThis);
	(globalThis as { jest?: unknown }).jest ??= {
		fn: (impl?: (...args: unknown[]) => unknown) => mocker.fn(impl),
	};
	const { runPlace } = await import('../test/engine/agentCall.helpers');
	// No calls-per-minute cap: the agent's limit alone paces the calls. No calling window (the run may be at night).
	const result = await runPlace(sandbox, items, {
		campaign: 'bench',
		skipIfAlreadyCalled: true,
		useCallingWindow: false,
		options: { maxWaitSeconds: 600 },
	});
	if (result.status !== 'success')
		throw new Error(`The run failed: ${String(result.error?.message)}`);
}

/** What HTTP Request's batching sends: LIMIT requests at once, then a pause, no retry. */
async function placeWithFixedBatches(sandbox: Sandbox, items: Candidate[]) {
	for (let i = 0; i < items.length; i += LIMIT) {
		if (i > 0) await new Promise((resolve) => setTimeout(resolve, BATCH_INTERVAL_MS));
		await Promise.all(
			items.slice(i, i + LIMIT).map((item) =>
				fetch(`${sandbox.url}${OUTBOUND_PATH}`, {
					method: 'POST',
					headers: { 'xi-api-key': sandbox.apiKey, 'content-type': 'application/json' },
					body: JSON.stringify({
						agent_id: sandbox.ids.agents.recruitingDe,
						agent_phone_number_id: sandbox.ids.phoneNumbers.twilioDe,
						to_number: item.phone,
						conversation_initiation_client_data: {
							user_id: item.candidateId,
							dynamic_variables: item.prompt.dynamicVariables,
						},
					}),
				}).then((response) => response.arrayBuffer()),
			),
		);
	}
}

export async function benchmarkAgentCall(): Promise<AgentCallFigures> {
	const placeAgentCall = await measure(placeWithNode);
	const httpRequestBatching = await measure(placeWithFixedBatches);
	return {
		candidates: CANDIDATES,
		limit: LIMIT,
		placeAgentCall,
		httpRequestBatching: { ...httpRequestBatching, batchIntervalMs: BATCH_INTERVAL_MS },
	};
}

if (require.main === module) {
	benchmarkAgentCall().then(
		(figures) =>
			process.stdout.write(
				`Place Agent Call (${process.version}, ${process.arch}): ${JSON.stringify(figures)}\n`,
			),
		(error) => {
			process.stderr.write(`${String(error?.stack ?? error)}\n`);
			process.exitCode = 1;
		},
	);
}
