/**
 * Benchmark: a campaign of 100 candidates at an agent limit of 20 lines, with calls of 10–40 s
 * (each number its own seeded length) and 300 ms per API request, run two ways in the same run:
 * - single process: one execution of Place Agent Call through n8n's engine, embedded ledger;
 * - queue mode: n8n 2.41.1 as deploy/docker-compose.yml runs it (main, two workers, webhook
 *   processor, PostgreSQL, Redis), one webhook delivery per candidate, Postgres ledger.
 * Each prints the busy lines as a share of the limit while candidates were still waiting (from
 * the first dial to the last), the candidates the limit kept from being called, the 429s that
 * were waited out, the people dialled twice, and the wall time against the ideal (the total call
 * time divided by the limit, which no dialler can beat).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Sandbox } from '../sandbox';
import { trackLines } from './lineUsage';

process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'n8n-bench-'));
process.env.N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS = 'false';
process.env.N8N_DIAGNOSTICS_ENABLED = 'false';

const CANDIDATES = 100;
const LIMIT = 20;
const CALL_LENGTHS = { minSecs: 10, maxSecs: 40, seed: 'bench-calling-at-scale' };
const LATENCY_MS = 300;
const OUTBOUND_PATH = '/v1/convai/twilio/outbound-call';
const WEBHOOK_PATH = 'bench-candidate';

export interface ScaleFigures {
	/** Busy lines / limit from the first dial to the last: while anyone was still waiting. */
	busyWhileWaitingPerLimit: number;
	/** Candidates never dialled because the agent was at its limit. */
	rejectedByLimit: number;
	/** 429 answers the node waited out (those candidates were called later). */
	retried429: number;
	dialledTwice: number;
	wallSeconds: number;
	idealSeconds: number;
	wallPerIdeal: number;
}

export interface CallingAtScaleFigures {
	candidates: number;
	limit: number;
	callSeconds: string;
	latencyMs: number;
	singleProcess: ScaleFigures;
	queueMode: ScaleFigures & { executionsPerWorker: Record<string, number> };
}

const candidates = () =>
	Array.from({ length: CANDIDATES }, (_, n) => ({
		candidateId: `scale-${n}`,
		phone: `+49171${String(3000000 + n)}`,
		prompt: {
			dynamicVariables: {
				candidate_name: `Kandidat ${n}`,
				company: 'Muster GmbH',
				job_title: 'Lagerist',
			},
		},
	}));
type Candidate = ReturnType<typeof candidates>[number];

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

/** A sandbox whose agent has LIMIT lines, and the figures of `place` on it. */
/** What a way of placing the calls reports: when the campaign began (after any set-up), and more figures. */
type Placed<T> = T & { startedAt: number };

async function measure<T extends object>(
	place: (sandbox: Sandbox, items: Candidate[]) => Promise<Placed<T>>,
): Promise<ScaleFigures & T> {
	const { startSandbox } = await import('../sandbox');
	const sandbox = await startSandbox({ port: 0, latencyMs: LATENCY_MS, callLengths: CALL_LENGTHS });
	try {
		const agentId = sandbox.ids.agents.recruitingDe;
		sandbox.state.agents.get(agentId)!.agent.platformSettings!.callLimits!.agentConcurrencyLimit =
			LIMIT;
		const lines = trackLines(sandbox, agentId);
		const { startedAt: started, ...extra } = await place(sandbox, candidates());
		const ended = await lines.allEnded();
		const idealMs = lines.totalCallMs() / LIMIT;
		return {
			busyWhileWaitingPerLimit: round(
				lines.averageBusy(lines.firstDialAt(), lines.lastDialAt()) / LIMIT,
			),
			rejectedByLimit: CANDIDATES - lines.dialledPeople(),
			retried429: sandbox.requests.all().filter((r) => r.path === OUTBOUND_PATH && r.status === 429)
				.length,
			dialledTwice: lines.dialledTwice(),
			wallSeconds: round((ended - started) / 1000, 1),
			idealSeconds: round(idealMs / 1000, 1),
			wallPerIdeal: round((ended - started) / idealMs),
			...(extra as T),
		};
	} finally {
		await sandbox.close();
	}
}

const PLACE_PARAMETERS = {
	campaign: 'scale',
	skipIfAlreadyCalled: true,
	// The run may be at night; the window has its own tests.
	useCallingWindow: false,
	options: { maxWaitSeconds: 900, callsPerMinute: 0 },
};

async function singleProcess(sandbox: Sandbox, items: Candidate[]): Promise<Placed<object>> {
	await import('reflect-metadata');
	// The engine harness builds its mocks with jest-mock-extended, which needs `jest.fn` outside jest too.
	const { ModuleMocker } = await import('jest-mock');
	const mocker = new ModuleMocker(globalThis);
	(globalThis as { jest?: unknown }).jest ??= {
		fn: (impl?: (...args: unknown[]) => unknown) => mocker.fn(impl),
	};
	const { runPlace } = await import('../test/engine/agentCall.helpers');
	const startedAt = Date.now();
	const result = await runPlace(sandbox, items, PLACE_PARAMETERS);
	if (result.status !== 'success')
		throw new Error(`The run failed: ${String(result.error?.message)}`);
	return { startedAt };
}

async function queueMode(
	sandbox: Sandbox,
	items: Candidate[],
): Promise<Placed<{ executionsPerWorker: Record<string, number> }>> {
	const { N8nCluster, packPackage, preparePackageInstall } = await import('../scripts/n8n');
	const { bodyAsItemNode, chainWorkflow, webhookNode, PACKAGE_PREFIX } = await import(
		'../test/e2e/helpers'
	);
	const { placeParameters } = await import('../test/engine/agentCall.helpers');
	const tarball = await packPackage();
	await preparePackageInstall(tarball);
	const cluster = await N8nCluster.create({ tarball, label: 'bench' });
	try {
		const { database } = cluster;
		await cluster.importCredentials([
			...sandbox.n8nCredentials(),
			{
				id: 'benchLedger',
				name: 'Call Ledger',
				type: 'callLedgerPostgresApi',
				data: {
					host: database.host,
					port: database.port,
					database: database.name,
					user: database.user,
					password: database.password,
					ssl: 'disable',
				},
			},
		]);
		const workflow = chainWorkflow('benchQueueCall', 'Bench: call a candidate', [
			webhookNode('Candidate webhook', WEBHOOK_PATH, '2f8c1d7e-5a3b-4c9d-8e1f-6b2a7c4d9e03'),
			bodyAsItemNode('bench-candidate'),
			{
				id: 'bench-call',
				name: 'Place Agent Call',
				type: `${PACKAGE_PREFIX}.agentCall`,
				typeVersion: 1,
				position: [0, 0],
				credentials: {
					elevenLabsAgentsApi: { id: 'sandboxElevenLabs', name: 'ElevenLabs (sandbox)' },
					callLedgerPostgresApi: { id: 'benchLedger', name: 'Call Ledger' },
				},
				parameters: { ...placeParameters(sandbox, PLACE_PARAMETERS), ledger: 'postgres' },
			},
		]);
		const [workflowId] = await cluster.importWorkflows([workflow]);
		await cluster.publish(workflowId);
		await cluster.start({ webhookPaths: [WEBHOOK_PATH] });
		const startedAt = Date.now();
		const answers = await Promise.all(
			items.map(async (item) => {
				const response = await fetch(cluster.webhookUrl(WEBHOOK_PATH), {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify(item),
					signal: AbortSignal.timeout(1_200_000),
				});
				return (await response.json()) as { status?: string };
			}),
		);
		const failed = answers.filter((answer) => answer.status !== 'initiated');
		if (failed.length)
			throw new Error(
				`${failed.length} deliveries were not called: ${JSON.stringify(failed.slice(0, 3))}`,
			);
		const byWorker = await cluster.executionsByWorker();
		return {
			startedAt,
			executionsPerWorker: Object.fromEntries(
				Object.entries(byWorker).map(([name, ids]) => [name, ids.length]),
			),
		};
	} finally {
		await cluster.dispose();
	}
}

export async function benchmarkCallingAtScale(): Promise<CallingAtScaleFigures> {
	return {
		candidates: CANDIDATES,
		limit: LIMIT,
		callSeconds: `${CALL_LENGTHS.minSecs}–${CALL_LENGTHS.maxSecs} talk + 6 ringing`,
		latencyMs: LATENCY_MS,
		singleProcess: await measure(singleProcess),
		queueMode: await measure(queueMode),
	};
}
