/**
 * Exactly once in n8n's queue mode (main, two workers and a webhook processor as in
 * deploy/docker-compose.yml, PostgreSQL and Redis), on the sandbox with 300 ms per API request:
 * a published Webhook → Build Recruiting Prompt → Place Agent Call workflow with the Postgres
 * call ledger (n8n's own database) gets every candidate three times at once, and each is dialled
 * once; the do-not-call list holds on the next run; a worker killed in the middle dials nobody
 * twice.
 */
import type { INode } from 'n8n-workflow';

import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { conversationStore } from '../../sandbox/conversations';
import { N8nCluster } from '../../scripts/n8n';
import type { WorkflowJson } from '../../scripts/n8n';
import { progress, sleep } from '../../scripts/process';
import { bodyAsItemNode, chainWorkflow, PACKAGE_PREFIX, TARBALL_ENV, webhookNode } from './helpers';
import { campaignCandidate, countBy, dialledTwice, dialsByNumber } from './queueCampaign';
import type { CampaignAnswer } from './queueCampaign';

const CALL_PATH = 'queue-ledger-call';
const DNC_PATH = 'queue-ledger-do-not-call';
const CANDIDATES = 100;
const DELIVERIES_EACH = 3;
const OPTED_OUT = 10;
const LEDGER_CREDENTIAL = {
	callLedgerPostgresApi: { id: 'queueLedger', name: 'Call Ledger (n8n database)' },
};
const ELEVENLABS_CREDENTIAL = {
	elevenLabsAgentsApi: { id: 'sandboxElevenLabs', name: 'ElevenLabs (sandbox)' },
};

let sandbox: Sandbox;
let cluster: N8nCluster;
let settler: NodeJS.Timeout;

const candidateNode = bodyAsItemNode('queue-ledger-candidate');

/** Place Agent Call on the Postgres ledger, in a window open at any moment. */
function agentCallNode(parameters: INode['parameters']): INode {
	return {
		id: `queue-ledger-${String(parameters.resource ?? 'call')}`,
		name: 'Place Agent Call',
		type: `${PACKAGE_PREFIX}.agentCall`,
		typeVersion: 1,
		position: [0, 0],
		credentials: { ...ELEVENLABS_CREDENTIAL, ...LEDGER_CREDENTIAL },
		parameters: { ledger: 'postgres', ...parameters },
	};
}

function callWorkflow(): WorkflowJson {
	return chainWorkflow('e2eQueueLedgerCall', 'Queue mode: call each candidate once', [
		webhookNode('Candidate webhook', CALL_PATH, '0e6f9a52-3c1d-4b8e-a7f2-5d9c1b3e8a41'),
		candidateNode,
		{
			id: 'queue-ledger-prompt',
			name: 'Build Recruiting Prompt',
			type: `${PACKAGE_PREFIX}.recruitingPrompt`,
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		agentCallNode({
			agentId: { __rl: true, mode: 'id', value: sandbox.ids.agents.recruitingDe },
			phoneNumberId: { __rl: true, mode: 'id', value: sandbox.ids.phoneNumbers.twilioDe },
			campaign: 'lager-leipzig',
			callingDays: [1, 2, 3, 4, 5, 6, 7],
			windowStart: '00:00',
			windowEnd: '24:00',
			windowOptions: { skipHolidays: false },
			options: { callsPerMinute: 0, maxWaitSeconds: 600 },
		}),
	]);
}

function doNotCallWorkflow(): WorkflowJson {
	return chainWorkflow('e2eQueueLedgerDnc', 'Queue mode: add to the do-not-call list', [
		webhookNode('Opt-out webhook', DNC_PATH, '7c3b8d14-9e2a-4f6b-b1d5-3a8e7c2f9b60'),
		candidateNode,
		agentCallNode({
			resource: 'doNotCall',
			operation: 'add',
			phone: '={{ $json.phone }}',
			reason: 'Opted out during the call',
		}),
	]);
}

const candidate = (index: number) => campaignCandidate('ledger', '+4917122', index);

/** POSTs to a production webhook (the webhook processor) and reads the workflow's answer. */
async function post(
	webhookPath: string,
	body: object,
	timeoutMs = 300_000,
): Promise<CampaignAnswer> {
	const response = await fetch(cluster.webhookUrl(webhookPath), {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
		signal: AbortSignal.timeout(timeoutMs),
	});
	if (response.status !== 200)
		throw new Error(
			`POST /webhook/${webhookPath} answered ${response.status}: ${await response.text()}`,
		);
	return (await response.json()) as CampaignAnswer;
}

const dials = () => conversationStore(sandbox).list().length;

beforeAll(async () => {
	const tarball = process.env[TARBALL_ENV];
	if (!tarball)
		throw new Error(`${TARBALL_ENV} is not set: run the e2e tests with "npm run test:e2e"`);
	sandbox = await startSandbox({ port: 0, latencyMs: 300 });
	// Calls end soon after they start, so that the agent's five lines free up within the test.
	settler = setInterval(() => conversationStore(sandbox).settleAll(), 1_000);
	cluster = await N8nCluster.create({ tarball, label: 'queue ledger' });
	await cluster.importCredentials([
		...sandbox.n8nCredentials(),
		cluster.ledgerCredential(LEDGER_CREDENTIAL.callLedgerPostgresApi),
	]);
	const ids = await cluster.importWorkflows([callWorkflow(), doNotCallWorkflow()]);
	for (const id of ids) await cluster.publish(id);
	await cluster.start({ webhookPaths: [CALL_PATH, DNC_PATH] });
}, 10 * 60_000);

afterAll(async () => {
	clearInterval(settler);
	await cluster?.dispose();
	await sandbox?.close();
});

describe('the call ledger in queue mode', () => {
	it(
		`${CANDIDATES} candidates, each delivered ${DELIVERIES_EACH} times at once: exactly ${CANDIDATES} dials, on both workers`,
		async () => {
			const deliveries = Array.from(
				{ length: CANDIDATES * DELIVERIES_EACH },
				(_, n) => n % CANDIDATES,
			);
			const answers = await Promise.all(
				deliveries.map(async (index) => ({
					index,
					answer: await post(CALL_PATH, candidate(index)),
				})),
			);

			expect(dials()).toBe(CANDIDATES);
			expect(dialledTwice(sandbox)).toEqual([]);
			expect(dialsByNumber(sandbox).size).toBe(CANDIDATES);
			for (let index = 0; index < CANDIDATES; index++) {
				const mine = answers.filter((entry) => entry.index === index).map((entry) => entry.answer);
				// One delivery dialled; the others report its call. None was lost to the agent's limit.
				expect(mine.map((answer) => answer.status).sort()).toEqual([
					'already_called',
					'already_called',
					'initiated',
				]);
				expect(new Set(mine.map((answer) => answer.conversationId)).size).toBe(1);
			}
			const executions = await cluster.waitForExecutions('e2eQueueLedgerCall', deliveries.length);
			expect(executions.filter((execution) => execution.status !== 'success')).toEqual([]);
			const byWorker = await cluster.executionsByWorker();
			progress(
				`queue ledger: executions per worker: ${cluster.workerNames.map((name) => `${name} ${byWorker[name].length}`).join(', ')}`,
			);
			for (const name of cluster.workerNames) expect(byWorker[name].length).toBeGreaterThan(0);
		},
		10 * 60_000,
	);

	it(
		`after ${OPTED_OUT} of them are added to the do-not-call list, the next run dials nobody and names them`,
		async () => {
			const listed = await Promise.all(
				Array.from(
					{ length: OPTED_OUT },
					async (_, index) => await post(DNC_PATH, candidate(index)),
				),
			);
			expect(listed.map((answer) => answer.doNotCall)).toEqual(Array(OPTED_OUT).fill(true));

			const before = dials();
			const again = await Promise.all(
				Array.from(
					{ length: CANDIDATES },
					async (_, index) => await post(CALL_PATH, candidate(index)),
				),
			);
			expect(dials()).toBe(before);
			expect(again.slice(0, OPTED_OUT).map((answer) => answer.status)).toEqual(
				Array(OPTED_OUT).fill('do_not_call'),
			);
			expect(new Set(again.slice(OPTED_OUT).map((answer) => answer.status))).toEqual(
				new Set(['already_called']),
			);
		},
		10 * 60_000,
	);

	it(
		'a worker killed (SIGKILL) in the middle of a campaign and restarted: nobody is dialled twice',
		async () => {
			const [killed] = cluster.workerNames;
			const fresh = Array.from({ length: 40 }, (_, n) => candidate(1_000 + n));
			const before = dials();
			// The answers of executions that die with the worker never come: they are not waited for long.
			const inFlight = fresh.map(
				async (body) =>
					await post(CALL_PATH, body, 90_000).catch((error: Error) => ({
						status: `no answer (${error.name})`,
					})),
			);
			await sleep(1_500);
			await cluster.killWorker(killed);
			await cluster.startWorker(killed);
			const first = await Promise.all(inFlight);
			// Every delivery again, after the restart: who was dialled is not dialled again.
			const second = await Promise.all(fresh.map(async (body) => await post(CALL_PATH, body)));
			const byNumber = dialsByNumber(sandbox);
			progress(
				`queue ledger: worker kill: ${dials() - before} of ${fresh.length} dialled; first answers ${JSON.stringify(countBy(first.map((a) => String(a.status))))}, after the restart ${JSON.stringify(countBy(second.map((a) => String(a.status))))}`,
			);
			expect(dialledTwice(sandbox)).toEqual([]);
			fresh.forEach((body, index) => {
				// Dialled once, or reported: a claim whose execution died with the worker may have dialled,
				// so it is never dialled again and comes out as already called.
				if (byNumber.get(body.phone)?.length !== 1)
					expect(second[index]).toMatchObject({ status: 'already_called' });
			});
			expect(dials() - before).toBeGreaterThan(0);
		},
		10 * 60_000,
	);
});
