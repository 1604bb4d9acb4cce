/**
 * The call ledger under faults in n8n's queue mode (main, two workers and a webhook processor,
 * n8n's PostgreSQL and Redis), on the sandbox with 300 ms per API request and the agent's five
 * lines. The ledger has a PostgreSQL server of its own, so that it can be stopped without n8n's:
 *
 * 1. the ledger's server is stopped for a while mid-campaign and started again;
 * 2. a worker is killed (SIGKILL) while it holds claims, and those claims go past the staleness
 *    (their times moved back eleven minutes in the ledger, whose decisive times are the
 *    database's clock);
 * 3. the whole campaign runs again.
 *
 * Then nobody was dialled twice, everybody was dialled once (nobody stranded), no claim is left
 * open, and every candidate's last answer names their call.
 */
import type { INode } from 'n8n-workflow';

import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { conversationStore } from '../../sandbox/conversations';
import { N8nCluster } from '../../scripts/n8n';
import type { WorkflowJson } from '../../scripts/n8n';
import { progress, sleep } from '../../scripts/process';
import { startThrowawayPostgres } from '../../scripts/services/throwawayPostgres';
import type { ThrowawayPostgres } from '../../scripts/services/throwawayPostgres';
import { STALE_CLAIM_MS } from '../../nodes/shared/ledger/decideAttempt';
import { bodyAsItemNode, chainWorkflow, PACKAGE_PREFIX, TARBALL_ENV, webhookNode } from './helpers';
import { campaignCandidate, countBy, dialledTwice, dialsByNumber } from './queueCampaign';
import type { CampaignAnswer } from './queueCampaign';

const CALL_PATH = 'queue-faults-call';
/** Each phase's candidates: more than the agent's five lines, so that claims wait for a line. */
const PER_PHASE = 12;
/** The shortest outage: longer than the ledger's retries after a lost connection (about 4 s). */
const OUTAGE_MS = 8_000;
const LEDGER_CREDENTIAL = {
	callLedgerPostgresApi: { id: 'faultsLedger', name: 'Call Ledger (its own server)' },
};
const ELEVENLABS_CREDENTIAL = {
	elevenLabsAgentsApi: { id: 'sandboxElevenLabs', name: 'ElevenLabs (sandbox)' },
};
const ATTEMPTS = 'voice_recruiting_call_attempts';

let sandbox: Sandbox;
let ledgerServer: ThrowawayPostgres;
let cluster: N8nCluster;
let settler: NodeJS.Timeout;

function callWorkflow(): WorkflowJson {
	const place: INode = {
		id: 'queue-faults-call',
		name: 'Place Agent Call',
		type: `${PACKAGE_PREFIX}.agentCall`,
		typeVersion: 1,
		position: [0, 0],
		credentials: { ...ELEVENLABS_CREDENTIAL, ...LEDGER_CREDENTIAL },
		// A campaign goes on past one candidate's error; the error is that candidate's answer.
		onError: 'continueRegularOutput',
		parameters: {
			ledger: 'postgres',
			agentId: { __rl: true, mode: 'id', value: sandbox.ids.agents.recruitingDe },
			phoneNumberId: { __rl: true, mode: 'id', value: sandbox.ids.phoneNumbers.twilioDe },
			campaign: 'lager-halle',
			callingDays: [1, 2, 3, 4, 5, 6, 7],
			windowStart: '00:00',
			windowEnd: '24:00',
			windowOptions: { skipHolidays: false },
			options: { callsPerMinute: 0, maxWaitSeconds: 600 },
		},
	};
	return chainWorkflow('e2eQueueFaultsCall', 'Queue mode: a campaign under faults', [
		webhookNode('Candidate webhook', CALL_PATH, '3b9e2f71-6c4d-4a8b-9e15-7d2c8f4a1b63'),
		bodyAsItemNode('queue-faults-candidate'),
		{
			id: 'queue-faults-prompt',
			name: 'Build Recruiting Prompt',
			type: `${PACKAGE_PREFIX}.recruitingPrompt`,
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		place,
	]);
}

const candidate = (index: number) => campaignCandidate('faults', '+4917133', index);

/** POSTs one candidate to the production webhook; an answer that never comes is named as such. */
async function post(index: number, timeoutMs: number): Promise<CampaignAnswer> {
	try {
		const response = await fetch(cluster.webhookUrl(CALL_PATH), {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(candidate(index)),
			signal: AbortSignal.timeout(timeoutMs),
		});
		const text = await response.text();
		if (response.status !== 200) return { status: `http ${response.status}`, error: text };
		return JSON.parse(text) as CampaignAnswer;
	} catch (error) {
		return { status: `no answer (${(error as Error).name})` };
	}
}

/** The ledger's open claims: execution id of each. */
async function openClaims(): Promise<string[]> {
	const rows = await ledgerServer
		.query(`SELECT execution_id FROM ${ATTEMPTS} WHERE outcome = 'claimed'`)
		.catch(() => []);
	return rows.map(([executionId]) => executionId);
}

const statusOf = (answer: CampaignAnswer) =>
	answer.error ? `error: ${answer.error.slice(0, 60)}` : String(answer.status);
const range = (from: number, count: number) => Array.from({ length: count }, (_, n) => from + n);

beforeAll(async () => {
	const tarball = process.env[TARBALL_ENV];
	if (!tarball)
		throw new Error(`${TARBALL_ENV} is not set: run the e2e tests with "npm run test:e2e"`);
	sandbox = await startSandbox({ port: 0, latencyMs: 300 });
	// Calls end within a second or two, so that the agent's five lines free up within the test.
	settler = setInterval(() => conversationStore(sandbox).settleAll(), 1_500);
	ledgerServer = await startThrowawayPostgres('queue faults ledger');
	cluster = await N8nCluster.create({ tarball, label: 'queue faults' });
	await cluster.importCredentials([
		...sandbox.n8nCredentials(),
		{
			...LEDGER_CREDENTIAL.callLedgerPostgresApi,
			type: 'callLedgerPostgresApi',
			data: {
				host: ledgerServer.host,
				port: ledgerServer.port,
				database: ledgerServer.database,
				user: ledgerServer.user,
				password: '',
				ssl: 'disable',
			},
		},
	]);
	const [id] = await cluster.importWorkflows([callWorkflow()]);
	await cluster.publish(id);
	await cluster.start({ webhookPaths: [CALL_PATH] });
}, 10 * 60_000);

afterAll(async () => {
	clearInterval(settler);
	await cluster?.dispose();
	await ledgerServer?.dispose();
	await sandbox?.close();
});

describe('the call ledger in queue mode under faults', () => {
	it(
		'the ledger restarted mid-campaign, a worker killed holding claims past the staleness: everybody dialled once',
		async () => {
			// 1. The ledger's server stops mid-campaign and starts again.
			const before = range(0, PER_PHASE / 2).map(async (index) => await post(index, 120_000));
			await sleep(1_500);
			await ledgerServer.stop();
			let answered = 0;
			const duringOutage = range(PER_PHASE / 2, PER_PHASE / 2).map(async (index) => {
				const answer = await post(index, 120_000);
				answered++;
				return answer;
			});
			// Down until an execution that came during the outage has answered (without the ledger it
			// cannot claim), and at least as long as the ledger's retries after a lost connection.
			await sleep(OUTAGE_MS);
			for (let polls = 0; answered === 0 && polls < 360; polls++) await sleep(250);
			await ledgerServer.start();
			const outage = [...(await Promise.all(before)), ...(await Promise.all(duringOutage))];
			const dialsAfterOutage = dialsByNumber(sandbox);
			progress(
				`queue faults: ledger outage: ${JSON.stringify(countBy(outage.map(statusOf)))}, ${dialsAfterOutage.size} dialled`,
			);
			// Who came during the outage got the ledger's error and was not dialled.
			const refused = range(0, PER_PHASE).filter((index) =>
				/Could not reach the Postgres call ledger/.test(outage[index].error ?? ''),
			);
			expect(refused.length).toBeGreaterThan(0);
			for (const index of refused)
				expect(dialsAfterOutage.get(candidate(index).phone)).toBe(undefined);
			// Everybody else answered: dialled, or reported; no execution failed with the server.
			for (const answer of outage)
				expect(['initiated', 'already_called', undefined]).toContain(answer.status);

			// 2. The ledger's pool is back: a worker killed while it holds claims (waiting for a line).
			const [killed] = cluster.workerNames;
			const second = range(100, PER_PHASE).map(async (index) => await post(index, 60_000));
			let held: string[] = [];
			for (let polls = 0; polls < 120 && held.length < 2; polls++) {
				await sleep(250);
				const mine = new Set((await cluster.executionsByWorker())[killed]);
				held = (await openClaims()).filter((executionId) => mine.has(executionId));
			}
			expect(held.length).toBeGreaterThanOrEqual(2);
			await cluster.killWorker(killed);
			const kill = await Promise.all(second);
			await cluster.startWorker(killed);
			const stranded = await openClaims();
			progress(
				`queue faults: ${held.length} claims held by ${killed} at its SIGKILL; answers ${JSON.stringify(countBy(kill.map(statusOf)))}; ${stranded.length} claims left open`,
			);
			expect(stranded.length).toBeGreaterThan(0);

			// Eleven minutes pass for every open claim: the ledger's decisive times are the database's.
			const backdate = STALE_CLAIM_MS + 60_000;
			await ledgerServer.query(
				`UPDATE ${ATTEMPTS} SET claimed_at = claimed_at - ${backdate}, updated_at = updated_at - ${backdate}
				 WHERE outcome = 'claimed'`,
			);

			// 3. The whole campaign again.
			const everybody = [...range(0, PER_PHASE), ...range(100, PER_PHASE)];
			const dialledBefore = dialsByNumber(sandbox);
			const last = await Promise.all(everybody.map(async (index) => await post(index, 180_000)));
			const byNumber = dialsByNumber(sandbox);
			const tookOver = everybody.filter(
				(index, n) => !dialledBefore.has(candidate(index).phone) && last[n].status === 'initiated',
			);
			progress(
				`queue faults: the campaign again: ${JSON.stringify(countBy(last.map(statusOf)))}; dialled now: ${tookOver.filter((index) => index < 100).length} of the outage's, ${tookOver.filter((index) => index >= 100).length} of the killed worker's; ${conversationStore(sandbox).list().length} dials for ${everybody.length} candidates`,
			);

			// Nobody dialled twice, nobody stranded: one dial per candidate, no claim left open.
			expect(dialledTwice(sandbox)).toEqual([]);
			for (const index of everybody) expect(byNumber.get(candidate(index).phone)).toHaveLength(1);
			expect(await openClaims()).toEqual([]);
			// Everybody's answer names their one call.
			everybody.forEach((index, n) => {
				expect(last[n]).toMatchObject({
					status: expect.stringMatching(/^(initiated|already_called)$/),
					conversationId: byNumber.get(candidate(index).phone)![0],
				});
			});
		},
		10 * 60_000,
	);
});
