/**
 * The agent's limit in n8n's queue mode (main, two workers and a webhook processor as in
 * deploy/docker-compose.yml, PostgreSQL and Redis), on the sandbox with 300 ms per API request
 * and a fast clock: 200 candidates, one webhook delivery each, all at once, against an agent
 * limit of 10. The workers wait for lines on leases in the Postgres call ledger, so ElevenLabs
 * never answers 429, nobody is dialled twice, and every candidate is called.
 */
import type { INode } from 'n8n-workflow';

import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { ACTIVE_STATUSES, conversationStore } from '../../sandbox/conversations';
import { N8nCluster } from '../../scripts/n8n';
import { progress } from '../../scripts/process';
import { placeParameters } from '../engine/agentCall.helpers';
import { bodyAsItemNode, chainWorkflow, PACKAGE_PREFIX, TARBALL_ENV, webhookNode } from './helpers';

const CALL_PATH = 'queue-lines-call';
const CANDIDATES = 200;
const LIMIT = 10;
const OUTBOUND = '/v1/convai/twilio/outbound-call';
const LEDGER_CREDENTIAL = {
	callLedgerPostgresApi: { id: 'queueLines', name: 'Call Ledger (n8n database)' },
};

let sandbox: Sandbox;
let cluster: N8nCluster;

function placeNode(): INode {
	return {
		id: 'queue-lines-call',
		name: 'Place Agent Call',
		type: `${PACKAGE_PREFIX}.agentCall`,
		typeVersion: 1,
		position: [0, 0],
		credentials: {
			elevenLabsAgentsApi: { id: 'sandboxElevenLabs', name: 'ElevenLabs (sandbox)' },
			...LEDGER_CREDENTIAL,
		},
		parameters: {
			...placeParameters(sandbox, {
				campaign: 'lines-leipzig',
				skipIfAlreadyCalled: true,
				useCallingWindow: false,
				options: { maxWaitSeconds: 900 },
			}),
			ledger: 'postgres',
		},
	};
}

const candidate = (index: number) => ({
	candidateId: `lines-${index}`,
	phone: `+4917133${String(index).padStart(5, '0')}`,
	prompt: {
		dynamicVariables: {
			candidate_name: `Kandidat ${index}`,
			company: 'Muster GmbH',
			job_title: 'Lagerist',
		},
	},
});

beforeAll(async () => {
	const tarball = process.env[TARBALL_ENV];
	if (!tarball)
		throw new Error(`${TARBALL_ENV} is not set: run the e2e tests with "npm run test:e2e"`);
	// Calls of 6 s ringing and 10–30 s talk on a clock ten times as fast: 1.6–3.6 s each.
	sandbox = await startSandbox({
		port: 0,
		latencyMs: 300,
		clock: { speed: 10 },
		callLengths: { minSecs: 10, maxSecs: 30, seed: 'queue-lines' },
	});
	sandbox.state.agents.get(
		sandbox.ids.agents.recruitingDe,
	)!.agent.platformSettings!.callLimits!.agentConcurrencyLimit = LIMIT;
	cluster = await N8nCluster.create({ tarball, label: 'queue lines' });
	await cluster.importCredentials([
		...sandbox.n8nCredentials(),
		cluster.ledgerCredential(LEDGER_CREDENTIAL.callLedgerPostgresApi),
	]);
	const [id] = await cluster.importWorkflows([
		chainWorkflow('e2eQueueLines', 'Queue mode: every candidate at the agent limit', [
			webhookNode('Candidate webhook', CALL_PATH, '4b1e7c2a-8d3f-4a6e-9c5b-2f7d1e8a3c64'),
			bodyAsItemNode('queue-lines-candidate'),
			placeNode(),
		]),
	]);
	await cluster.publish(id);
	await cluster.start({ webhookPaths: [CALL_PATH] });
}, 10 * 60_000);

afterAll(async () => {
	await cluster?.dispose();
	await sandbox?.close();
});

it(
	`${CANDIDATES} candidates at once, agent limit ${LIMIT}, two workers: no 429, nobody dialled twice, everyone called`,
	async () => {
		const store = conversationStore(sandbox);
		let peak = 0;
		const sampler = setInterval(() => {
			const running = store.list().filter((c) => ACTIVE_STATUSES.has(c.status)).length;
			peak = Math.max(peak, running);
		}, 20);
		const answers = await Promise.all(
			Array.from({ length: CANDIDATES }, async (_, index) => {
				const response = await fetch(cluster.webhookUrl(CALL_PATH), {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify(candidate(index)),
					signal: AbortSignal.timeout(10 * 60_000),
				});
				return { index, status: response.status, body: (await response.json()) as object };
			}),
		).finally(() => clearInterval(sampler));

		// Everyone accounted for: each delivery answers with its own placed call.
		expect(
			answers.filter(
				(a) => a.status !== 200 || !('status' in a.body) || a.body.status !== 'initiated',
			),
		).toEqual([]);
		const refused = sandbox.requests.all().filter((r) => r.path === OUTBOUND && r.status === 429);
		expect(refused).toHaveLength(0);
		expect(peak).toBeLessThanOrEqual(LIMIT);
		const perNumber = new Map<string, number>();
		for (const c of store.list())
			perNumber.set(
				c.phoneCall?.externalNumber ?? '',
				(perNumber.get(c.phoneCall?.externalNumber ?? '') ?? 0) + 1,
			);
		expect([...perNumber.values()].filter((n) => n > 1)).toEqual([]);
		expect(perNumber.size).toBe(CANDIDATES);
		const executions = await cluster.waitForExecutions('e2eQueueLines', CANDIDATES);
		expect(executions.filter((execution) => execution.status !== 'success')).toEqual([]);
		const byWorker = await cluster.executionsByWorker();
		progress(
			`queue lines: peak ${peak} of ${LIMIT} lines; executions per worker: ${cluster.workerNames.map((name) => `${name} ${byWorker[name].length}`).join(', ')}`,
		);
		for (const name of cluster.workerNames) expect(byWorker[name].length).toBeGreaterThan(0);
	},
	15 * 60_000,
);
