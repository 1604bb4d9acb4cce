/**
 * Benchmark: a campaign of 100 candidates (`--candidates=1000` for more) at an agent limit of 20
 * lines, with calls of 10–40 s talk (`--talk=4-16` for other lengths; each number its own seeded
 * length) plus 6 s ringing and 300 ms per API request, run two ways in the same run:
 * - single process: one execution of Place Agent Call through n8n's engine, embedded ledger;
 * - queue mode: n8n 2.41.1 as deploy/docker-compose.yml runs it (main, two workers, webhook
 *   processor, PostgreSQL, Redis), one webhook delivery per candidate, Postgres ledger.
 * Each prints the busy lines as a share of the limit while candidates were still waiting (from
 * the first dial to the last), the candidates the limit kept from being called, the 429s that
 * were waited out, the people dialled twice, and the wall time against the ideal (the total call
 * time divided by the limit, which no dialler can beat) with the longest call, the tail that the
 * last calls add to any dialler's wall time.
 *
 * 1,000 candidates with `--talk=4-16` take about 13 minutes of calls per mode at the ideal, more
 * in one process, where the node dials one candidate after another; the default stays small.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import type { Sandbox } from '../sandbox';
import { embeddedLedgerCost, postgresLedgerCost } from './ledgerCost';
import type { LedgerCost } from './ledgerCost';
import { trackLines } from './lineUsage';

process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'n8n-bench-'));
process.env.N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS = 'false';
process.env.N8N_DIAGNOSTICS_ENABLED = 'false';

const LIMIT = 20;
const SEED = 'bench-calling-at-scale';
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
	/** The longest call, ringing included: the tail no dialler avoids. */
	longestCallSeconds: number;
	/** Wall time / (ideal + longest call): the goal is 1.05 at most. */
	wallPerIdealPlusLongestCall: number;
	/** Mean time of one dial request (POST outbound-call), answered. */
	dialRequestMs: number;
	/** The ledger's claim and settle per dial (embedded in one process, Postgres in queue mode). */
	ledgerClaimSettleMs: number;
	/** The same as a share of the dial request's own time (goal: 0.01 embedded, 0.02 Postgres). */
	ledgerClaimSettlePerDial: number;
	/** Taking, ranking and releasing the line lease per dial, as a share of the dial request's time. */
	lineLeasePerDial: number;
	/** Memory of each process that dialled, at the campaign's start and end (after a full GC where it can be forced). */
	memory: Record<string, MemoryFigures>;
}

export interface MemoryFigures {
	heapStartMb?: number;
	heapEndMb?: number;
	rssStartMb: number;
	rssEndMb: number;
	/** (end − start) / candidates this process dialled, in kB: 0 when memory is flat. */
	rssGrowthPerCandidateKb: number;
	heapGrowthPerCandidateKb?: number;
	/** A worker's RSS when a quarter, half, three quarters and all of the deliveries were answered. */
	rssAtQuartersMb?: number[];
	/**
	 * (RSS at the end − RSS at half) / this worker's executions in the second half, in kB: the
	 * growth per candidate once the package and n8n's caches are loaded (0 when flat).
	 */
	rssGrowthPerCandidateSecondHalfKb?: number;
}

export interface CallingAtScaleOptions {
	candidates: number;
	/** Talk time of answered calls, in seconds: each number its own, seeded. */
	talkSecs: { min: number; max: number };
}

export const DEFAULT_SCALE: CallingAtScaleOptions = {
	candidates: 100,
	talkSecs: { min: 10, max: 40 },
};

/** `--candidates=1000 --talk=4-16` from the benchmark's arguments; the defaults for the rest. */
export function scaleOptions(args: string[]): CallingAtScaleOptions {
	const value = (name: string) =>
		args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
	const candidates = Number(value('candidates') ?? DEFAULT_SCALE.candidates);
	const talk = value('talk');
	const [min, max] = talk ? talk.split('-').map(Number) : [];
	const talkSecs = talk ? { min, max } : DEFAULT_SCALE.talkSecs;
	if (
		!Number.isInteger(candidates) ||
		candidates < 1 ||
		!(talkSecs.min >= 1 && talkSecs.max >= talkSecs.min)
	)
		throw new Error(
			'Use --candidates=<whole number> and --talk=<min>-<max> seconds, e.g. --talk=4-16',
		);
	return { candidates, talkSecs };
}

/** Long enough for the last candidate to wait for a line: twice the longest possible campaign. */
const longestWaitSeconds = (options: CallingAtScaleOptions) =>
	Math.max(900, Math.ceil((2 * options.candidates * (options.talkSecs.max + 6)) / LIMIT));

export interface CallingAtScaleFigures {
	candidates: number;
	limit: number;
	callSeconds: string;
	latencyMs: number;
	singleProcess: ScaleFigures;
	queueMode: ScaleFigures & { executionsPerWorker: Record<string, number> };
}

const candidates = (count: number) =>
	Array.from({ length: count }, (_, n) => ({
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

/** What a way of placing the calls reports: when the campaign began (after any set-up), and more figures. */
type Placed<T> = T & { startedAt: number; memory: Record<string, MemoryFigures> };

const mb = (bytes: number) => round(bytes / 2 ** 20, 1);
const perCandidateKb = (start: number, end: number, candidates: number) =>
	round((end - start) / 1024 / Math.max(candidates, 1), 1);

/** A full garbage collection in this process, so that heap figures count live data only. */
function collectGarbage(): void {
	setFlagsFromString('--expose-gc');
	(runInNewContext('gc') as () => void)();
}

/** This process's heap and RSS after a full collection. */
function ownMemory(): { heap: number; rss: number } {
	collectGarbage();
	const { heapUsed, rss } = process.memoryUsage();
	return { heap: heapUsed, rss };
}

/** Another process's resident memory, from /proc (Linux). */
function rssOf(pid: number): number {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

/** A worker's RSS growth per execution between the half-way sample and the last, in kB. */
function secondHalfGrowth(
	quarters: Array<{ rss: Record<string, number>; executions: Record<string, number> }>,
	worker: string,
): number | undefined {
	const half = quarters[Math.floor((quarters.length - 1) / 2)];
	const last = quarters.at(-1);
	if (!half || !last || half === last) return undefined;
	const executions = (last.executions[worker] ?? 0) - (half.executions[worker] ?? 0);
	return perCandidateKb(half.rss[worker], last.rss[worker], executions);
}

/** A sandbox whose agent has LIMIT lines, and the figures of `place` on it. */
async function measure<T extends object>(
	options: CallingAtScaleOptions,
	ledgerCost: () => Promise<LedgerCost>,
	place: (
		sandbox: Sandbox,
		items: Candidate[],
		options: CallingAtScaleOptions,
	) => Promise<Placed<T>>,
): Promise<ScaleFigures & T> {
	const { startSandbox } = await import('../sandbox');
	const sandbox = await startSandbox({
		port: 0,
		latencyMs: LATENCY_MS,
		callLengths: { minSecs: options.talkSecs.min, maxSecs: options.talkSecs.max, seed: SEED },
	});
	try {
		const agentId = sandbox.ids.agents.recruitingDe;
		sandbox.state.agents.get(agentId)!.agent.platformSettings!.callLimits!.agentConcurrencyLimit =
			LIMIT;
		const lines = trackLines(sandbox, agentId);
		const {
			startedAt: started,
			memory,
			...extra
		} = await place(sandbox, candidates(options.candidates), options);
		const ended = await lines.allEnded();
		const idealMs = lines.totalCallMs() / LIMIT;
		const dials = sandbox.requests
			.all()
			.filter((r) => r.path === OUTBOUND_PATH && r.status === 200 && r.durationMs !== undefined);
		const dialRequestMs = dials.reduce((sum, r) => sum + r.durationMs!, 0) / dials.length;
		const ledger = await ledgerCost();
		return {
			busyWhileWaitingPerLimit: round(
				lines.averageBusy(lines.firstDialAt(), lines.lastDialAt()) / LIMIT,
			),
			rejectedByLimit: options.candidates - lines.dialledPeople(),
			retried429: sandbox.requests.all().filter((r) => r.path === OUTBOUND_PATH && r.status === 429)
				.length,
			dialledTwice: lines.dialledTwice(),
			wallSeconds: round((ended - started) / 1000, 1),
			idealSeconds: round(idealMs / 1000, 1),
			wallPerIdeal: round((ended - started) / idealMs),
			longestCallSeconds: round(lines.longestCallMs() / 1000, 1),
			wallPerIdealPlusLongestCall: round((ended - started) / (idealMs + lines.longestCallMs())),
			dialRequestMs: round(dialRequestMs, 1),
			ledgerClaimSettleMs: ledger.claimSettleMs,
			ledgerClaimSettlePerDial: round(ledger.claimSettleMs / dialRequestMs, 3),
			lineLeasePerDial: round(ledger.leaseMs / dialRequestMs, 3),
			memory,
			...(extra as T),
		};
	} finally {
		await sandbox.close();
	}
}

const placeSettings = (options: CallingAtScaleOptions) => ({
	campaign: 'scale',
	skipIfAlreadyCalled: true,
	// The run may be at night; the window has its own tests.
	useCallingWindow: false,
	options: { maxWaitSeconds: longestWaitSeconds(options), callsPerMinute: 0 },
});

async function singleProcess(
	sandbox: Sandbox,
	items: Candidate[],
	options: CallingAtScaleOptions,
): Promise<Placed<object>> {
	await import('reflect-metadata');
	// The engine harness builds its mocks with jest-mock-extended, which needs `jest.fn` outside jest too.
	const { ModuleMocker } = await import('jest-mock');
	const mocker = new ModuleMocker(globalThis);
	(globalThis as { jest?: unknown }).jest ??= {
		fn: (impl?: (...args: unknown[]) => unknown) => mocker.fn(impl),
	};
	const { runPlace } = await import('../test/engine/agentCall.helpers');
	const before = ownMemory();
	const startedAt = Date.now();
	const result = await runPlace(sandbox, items, placeSettings(options));
	if (result.status !== 'success')
		throw new Error(`The run failed: ${String(result.error?.message)}`);
	const after = ownMemory();
	// The sandbox runs in this process too: its conversations are part of the growth.
	const memory = {
		process: {
			heapStartMb: mb(before.heap),
			heapEndMb: mb(after.heap),
			rssStartMb: mb(before.rss),
			rssEndMb: mb(after.rss),
			rssGrowthPerCandidateKb: perCandidateKb(before.rss, after.rss, items.length),
			heapGrowthPerCandidateKb: perCandidateKb(before.heap, after.heap, items.length),
		},
	};
	return { startedAt, memory };
}

async function queueMode(
	sandbox: Sandbox,
	items: Candidate[],
	options: CallingAtScaleOptions,
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
		await cluster.importCredentials([
			...sandbox.n8nCredentials(),
			cluster.ledgerCredential({ id: 'benchLedger', name: 'Call Ledger' }),
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
				parameters: { ...placeParameters(sandbox, placeSettings(options)), ledger: 'postgres' },
			},
		]);
		const [workflowId] = await cluster.importWorkflows([workflow]);
		await cluster.publish(workflowId);
		await cluster.start({ webhookPaths: [WEBHOOK_PATH] });
		const rss = () =>
			Object.fromEntries(
				cluster.workerNames.map((name) => [name, rssOf(cluster.workerPid(name) ?? 0)]),
			);
		const rssStart = rss();
		const startedAt = Date.now();
		// Samples while the campaign runs, to tell the first executions' loading from growth.
		const quarters: Array<{ rss: Record<string, number>; executions: Record<string, number> }> = [];
		let answered = 0;
		const sampleAtQuarters = async () => {
			answered++;
			if (answered % Math.ceil(items.length / 4) !== 0 && answered !== items.length) return;
			const executions = Object.fromEntries(
				Object.entries(await cluster.executionsByWorker()).map(([name, ids]) => [name, ids.length]),
			);
			quarters.push({ rss: rss(), executions });
		};
		// Each delivery is answered when its execution ends, the last ones after many minutes:
		// fetch gives up on an answer after 300 s, so these requests wait as long as it takes.
		const { Agent, request } = await import('undici');
		const patient = new Agent({ headersTimeout: 0, bodyTimeout: 0, connections: items.length });
		const answers = await Promise.all(
			items.map(async (item) => {
				const response = await request(cluster.webhookUrl(WEBHOOK_PATH), {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify(item),
					dispatcher: patient,
					signal: AbortSignal.timeout((longestWaitSeconds(options) + 300) * 1000),
				});
				const answer = (await response.body.json()) as { status?: string };
				await sampleAtQuarters();
				return answer;
			}),
		);
		await patient.close();
		const failed = answers.filter((answer) => answer.status !== 'initiated');
		if (failed.length)
			throw new Error(
				`${failed.length} deliveries were not called: ${JSON.stringify(failed.slice(0, 3))}`,
			);
		const rssEnd = rss();
		const byWorker = await cluster.executionsByWorker();
		const memory = Object.fromEntries(
			cluster.workerNames.map((name) => [
				name,
				{
					rssStartMb: mb(rssStart[name]),
					rssEndMb: mb(rssEnd[name]),
					rssGrowthPerCandidateKb: perCandidateKb(
						rssStart[name],
						rssEnd[name],
						byWorker[name]?.length ?? 0,
					),
					rssAtQuartersMb: quarters.map((quarter) => mb(quarter.rss[name])),
					rssGrowthPerCandidateSecondHalfKb: secondHalfGrowth(quarters, name),
				},
			]),
		);
		return {
			startedAt,
			memory,
			executionsPerWorker: Object.fromEntries(
				Object.entries(byWorker).map(([name, ids]) => [name, ids.length]),
			),
		};
	} finally {
		await cluster.dispose();
	}
}

export async function benchmarkCallingAtScale(
	options: CallingAtScaleOptions = DEFAULT_SCALE,
): Promise<CallingAtScaleFigures> {
	const single = await measure(options, embeddedLedgerCost, singleProcess);
	// Printed at once: a failure in queue mode must not lose minutes of figures.
	process.stderr.write(`singleProcess: ${JSON.stringify(single)}\n`);
	return {
		candidates: options.candidates,
		limit: LIMIT,
		callSeconds: `${options.talkSecs.min}–${options.talkSecs.max} talk + 6 ringing`,
		latencyMs: LATENCY_MS,
		singleProcess: single,
		queueMode: await measure(options, postgresLedgerCost, queueMode),
	};
}
