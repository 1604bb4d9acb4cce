/**
 * Benchmark (issue 4): 200 candidates, an agent concurrency limit of 5, calls of a few seconds,
 * placed by Place Agent Call through n8n's engine against the sandbox. Prints the achieved
 * average concurrency divided by the limit (target: close to 1), the dials the limit rejected
 * (429), and the people dialled twice (must be 0).
 *
 * Baseline (not run here yet, see the report of issue 4): n8n's HTTP Request node posting to
 * /v1/convai/twilio/outbound-call with its batching option (items per batch, interval), run in
 * the real n8n runtime of scripts/n8n-runtime.ts, which has n8n-nodes-base: same sandbox, same
 * list, same figures.
 *
 * Run: npx tsx bench/agentCall.ts (after npm run build:dev), or through bench/run.ts.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'n8n-bench-'));
process.env.N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS = 'false';
process.env.N8N_DIAGNOSTICS_ENABLED = 'false';

const CANDIDATES = 200;
const LIMIT = 5;
/** Sandbox clock speed: an answered call (6 s ringing + 184 s talk) lasts about 3 s of real time. */
const CLOCK_SPEED = 60;

export interface AgentCallFigures {
	candidates: number;
	limit: number;
	seconds: number;
	averageConcurrencyPerLimit: number;
	rejectedByLimit: number;
	dialledTwice: number;
}

export async function benchmarkAgentCall(): Promise<AgentCallFigures> {
	await import('reflect-metadata');
	// The engine harness builds its mocks with jest-mock-extended, which needs `jest.fn` outside jest too.
	const { ModuleMocker } = await import('jest-mock');
	const mocker = new ModuleMocker(globalThis);
	(globalThis as { jest?: unknown }).jest ??= { fn: (impl?: (...args: unknown[]) => unknown) => mocker.fn(impl) };
	const { startSandbox } = await import('../sandbox');
	const { conversationStore } = await import('../sandbox/conversations');
	const { runWorkflow, singleNodeWorkflow } = await import('../test/engine/harness');

	const sandbox = await startSandbox({ port: 0, clock: { speed: CLOCK_SPEED } });
	try {
		const agentId = sandbox.ids.agents.recruitingDe;
		const store = conversationStore(sandbox);
		// Time-weighted count of the agent's running calls (initiated or in progress), in real time.
		let active = 0;
		let area = 0;
		let last = Date.now();
		store.onChange((c, previous) => {
			if (c.agentId !== agentId) return;
			const now = Date.now();
			area += active * (now - last);
			last = now;
			const was = previous === 'initiated' || previous === 'in-progress';
			const is = c.status === 'initiated' || c.status === 'in-progress';
			active += Number(is) - Number(was);
		});
		const items = Array.from({ length: CANDIDATES }, (_, n) => ({
			candidateId: `bench-${n}`,
			phone: `+49171${String(2000000 + n)}`,
			prompt: { dynamicVariables: { candidate_name: `Kandidat ${n}`, company: 'Muster GmbH', job_title: 'Lagerist' } },
		}));
		const workflow = singleNodeWorkflow({
			name: 'Place Agent Call',
			type: 'n8n-nodes-voice-recruiting.agentCall',
			parameters: {
				resource: 'call',
				operation: 'place',
				agentId: { __rl: true, mode: 'id', value: agentId },
				phoneNumberId: { __rl: true, mode: 'id', value: sandbox.ids.phoneNumbers.twilioDe },
				campaign: 'bench',
				sendItemPrompt: true,
				useCallingWindow: false,
				options: { callsPerMinute: 0, maxWaitSeconds: 600 },
			},
			credentials: { elevenLabsAgentsApi: { id: '1', name: 'ElevenLabs' } },
		});
		const started = Date.now();
		const result = await runWorkflow(workflow, { credentials: sandbox.credentials() as never, items });
		if (result.status !== 'success') throw new Error(`The run failed: ${String(result.error?.message)}`);
		// Let the last calls end, then close the books.
		while (store.activeCount(agentId) > 0) await new Promise((resolve) => setTimeout(resolve, 100));
		const ended = Date.now();
		area += active * (ended - last);
		const perUser = new Map<string, number>();
		for (const c of store.list({ agentId })) perUser.set(String(c.userId), (perUser.get(String(c.userId)) ?? 0) + 1);
		return {
			candidates: CANDIDATES,
			limit: LIMIT,
			seconds: Math.round((ended - started) / 100) / 10,
			averageConcurrencyPerLimit: Math.round((area / (ended - started) / LIMIT) * 100) / 100,
			rejectedByLimit: sandbox.requests.all().filter((r) => r.path === '/v1/convai/twilio/outbound-call' && r.status === 429).length,
			dialledTwice: [...perUser.values()].filter((n) => n > 1).length,
		};
	} finally {
		await sandbox.close();
	}
}

if (require.main === module) {
	benchmarkAgentCall().then(
		(figures) => process.stdout.write(`Place Agent Call (${process.version}, ${process.arch}): ${JSON.stringify(figures)}\n`),
		(error) => {
			process.stderr.write(`${String(error?.stack ?? error)}\n`);
			process.exitCode = 1;
		},
	);
}
