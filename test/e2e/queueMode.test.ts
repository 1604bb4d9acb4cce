/**
 * n8n in queue mode as deploy/docker-compose.yml runs it (main, two workers, a webhook processor,
 * PostgreSQL, Redis; the environment of the compose file and deploy/.env.example), with the
 * packed package on every process: a published Webhook → Build Recruiting Prompt workflow takes
 * candidates over the webhook processor, and both workers run executions.
 */
import { N8nCluster } from '../../scripts/n8n';
import type { WorkflowJson } from '../../scripts/n8n';
import { progress } from '../../scripts/process';
import { bodyAsItemNode, chainWorkflow, PACKAGE_PREFIX, TARBALL_ENV, webhookNode } from './helpers';

const WEBHOOK_PATH = 'queue-candidate';
const DELIVERIES = 20;

let cluster: N8nCluster;

/** Webhook (answers with the last node's first item) → the candidate from the body → Build Recruiting Prompt. */
function promptWorkflow(): WorkflowJson {
	return chainWorkflow('e2eQueuePrompt', 'Queue mode: candidate prompt', [
		webhookNode('Candidate webhook', WEBHOOK_PATH, '6b2d0c1e-4f7a-4a51-9c3e-2d8f1a7b5c90'),
		bodyAsItemNode('queue-candidate'),
		{
			id: 'queue-prompt',
			name: 'Build Recruiting Prompt',
			type: `${PACKAGE_PREFIX}.recruitingPrompt`,
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
	]);
}

const candidate = (index: number) => ({
	candidateId: `queue-${index}`,
	name: `Kandidatin ${index}`,
	phone: `+4917112340${String(index).padStart(3, '0')}`,
	jobTitle: 'Lagerist (m/w/d)',
	company: 'Muster Logistik GmbH',
	recruiterName: 'Jonas Weber',
});

/** POSTs a candidate to the workflow's production webhook (the webhook processor). */
async function postCandidate(index: number): Promise<Response> {
	return await fetch(cluster.webhookUrl(WEBHOOK_PATH), {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(candidate(index)),
	});
}

beforeAll(async () => {
	const tarball = process.env[TARBALL_ENV];
	if (!tarball)
		throw new Error(`${TARBALL_ENV} is not set: run the e2e tests with "npm run test:e2e"`);
	cluster = await N8nCluster.create({ tarball, label: 'queue' });
	const [workflowId] = await cluster.importWorkflows([promptWorkflow()]);
	await cluster.publish(workflowId);
	await cluster.start({ webhookPaths: [WEBHOOK_PATH] });
}, 10 * 60_000);

afterAll(async () => {
	await cluster?.dispose();
});

describe('queue mode (deploy/docker-compose.yml, processes instead of containers)', () => {
	it('runs every process with the compose file’s queue-mode environment', () => {
		for (const name of ['n8n-main', ...cluster.workerNames, 'n8n-webhook']) {
			expect(cluster.envOf(name)).toMatchObject({
				EXECUTIONS_MODE: 'queue',
				DB_TYPE: 'postgresdb',
				DB_POSTGRESDB_DATABASE: cluster.database.name,
				N8N_DEFAULT_BINARY_DATA_MODE: 'database',
				N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
			});
		}
		expect(cluster.workerNames).toHaveLength(2);
	});

	it(`answers ${DELIVERIES} candidates posted at once through the webhook processor, each with their own prompt, run on both workers`, async () => {
		const answers = await Promise.all(
			Array.from({ length: DELIVERIES }, async (_, index) => {
				const response = await postCandidate(index);
				return {
					index,
					status: response.status,
					body: (await response.json()) as { candidateId?: string; prompt?: { system?: string } },
				};
			}),
		);
		for (const { index, status, body } of answers) {
			expect(status).toBe(200);
			expect(body.candidateId).toBe(`queue-${index}`);
			expect(body.prompt?.system).toContain(`Kandidatin ${index}`);
		}

		const executions = await cluster.waitForExecutions('e2eQueuePrompt', DELIVERIES);
		expect(executions.map((execution) => execution.status)).toEqual(
			Array(DELIVERIES).fill('success'),
		);
		const byWorker = await cluster.executionsByWorker();
		const ran = Object.values(byWorker).flat().sort();
		expect(ran).toEqual(executions.map((execution) => execution.id).sort());
		progress(
			`queue: executions per worker: ${cluster.workerNames.map((name) => `${name} ${byWorker[name].length}`).join(', ')}`,
		);
		for (const name of cluster.workerNames) expect(byWorker[name].length).toBeGreaterThan(0);
	});

	it('goes on with the other worker while one is killed (SIGKILL), and takes the restarted one back', async () => {
		const [killed, other] = cluster.workerNames;
		await cluster.killWorker(killed);
		const before = (await cluster.executions('e2eQueuePrompt')).length;
		const during = await postCandidate(100);
		expect(during.status).toBe(200);
		const [latest] = (await cluster.waitForExecutions('e2eQueuePrompt', before + 1)).slice(-1);
		expect(await cluster.workerOf(latest.id)).toBe(other);

		await cluster.startWorker(killed);
		const ranBefore = (await cluster.executionsByWorker())[killed].length;
		// More at once than one worker runs (concurrency 10), so the restarted worker gets some.
		await Promise.all(
			Array.from({ length: DELIVERIES }, async (_, index) => {
				const response = await postCandidate(200 + index);
				expect(response.status).toBe(200);
			}),
		);
		expect((await cluster.executionsByWorker())[killed].length).toBeGreaterThan(ranBefore);
	});
});
