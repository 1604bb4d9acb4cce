/**
 * The ElevenLabs Agents Trigger in n8n's queue mode with two webhook processors (as behind a load
 * balancer), the Postgres call ledger in n8n's own database: copies of one signed event that
 * reach both processors at the same moment start one execution, for each of many events; a
 * transcription and the audio of one call at once start one execution each.
 */
import { randomUUID } from 'node:crypto';

import type { INode } from 'n8n-workflow';

import { buildSignedWebhook, startSandbox } from '../../sandbox';
import type { Sandbox, SignedWebhook } from '../../sandbox';
import { workspaceWebhooks } from '../../sandbox/routes/workspaceWebhooks';
import { N8nCluster } from '../../scripts/n8n';
import type { WorkflowJson } from '../../scripts/n8n';
import { sleep } from '../../scripts/process';
import { silentMp3 } from '../../sandbox/transcripts';
import { endSandboxCalls, startSandboxCall } from '../engine/sandbox.helpers';
import { PACKAGE_PREFIX, TARBALL_ENV } from './helpers';

const TRIGGER_PATH = 'elevenlabs-post-call';
const WEBHOOK_ID = randomUUID();
const WORKFLOW_ID = 'queueTrigger';
const EVENTS = 20;
const LEDGER_CREDENTIAL = { id: 'queueTriggerLedger', name: 'Call Ledger (n8n database)' };
const ELEVENLABS_CREDENTIAL = { id: 'queueTriggerElevenLabs', name: 'ElevenLabs, no secret' };

let sandbox: Sandbox;
let cluster: N8nCluster;

const agentId = () => sandbox.ids.agents.recruitingDe;

function triggerWorkflow(): WorkflowJson {
	const trigger: INode = {
		id: 'trigger',
		name: 'ElevenLabs Agents Trigger',
		type: `${PACKAGE_PREFIX}.elevenLabsAgentsTrigger`,
		typeVersion: 1,
		position: [0, 0],
		webhookId: WEBHOOK_ID,
		parameters: {
			agentIds: [agentId()],
			events: ['post_call_transcription', 'post_call_audio'],
			ledger: 'postgres',
		},
		credentials: {
			elevenLabsAgentsApi: ELEVENLABS_CREDENTIAL,
			callLedgerPostgresApi: LEDGER_CREDENTIAL,
		},
	};
	return {
		id: WORKFLOW_ID,
		name: 'Trigger behind two webhook processors',
		nodes: [trigger],
		connections: {},
		settings: { executionOrder: 'v1' },
	};
}

/** The secret the trigger registered its workspace webhook with, once main has activated it. */
async function registeredSecret(): Promise<string> {
	const deadline = Date.now() + 60_000;
	for (;;) {
		const [own] = [...workspaceWebhooks(sandbox).values()];
		const attached =
			sandbox.state.agents.get(agentId())!.agent.platformSettings?.workspaceOverrides?.webhooks
				?.postCallWebhookId;
		if (own && attached === own.webhookId) return own.secret;
		if (Date.now() > deadline) throw new Error('the trigger registered no workspace webhook');
		await sleep(250);
	}
}

/** A sandbox call's own transcription event, as ElevenLabs sends it: the data new events copy. */
let template: Record<string, unknown>;

function transcription(secret: string, conversationId: string): SignedWebhook {
	return buildSignedWebhook(
		'post_call_transcription',
		{ ...template, conversation_id: conversationId },
		secret,
		Math.floor(Date.now() / 1000),
	);
}

function audio(secret: string, conversationId: string): SignedWebhook {
	return buildSignedWebhook(
		'post_call_audio',
		{
			agent_id: agentId(),
			conversation_id: conversationId,
			full_audio: silentMp3(12).toString('base64'),
		},
		secret,
		Math.floor(Date.now() / 1000),
	);
}

/** Posts the same signed request to every webhook processor at once; the answers' statuses. */
async function toEveryProcessor(request: SignedWebhook): Promise<number[]> {
	const answers = await Promise.all(
		cluster.webhookBaseUrls.map(
			async (baseUrl) =>
				await fetch(`${baseUrl}/webhook/${WEBHOOK_ID}/${TRIGGER_PATH}`, {
					method: 'POST',
					headers: request.headers,
					body: request.rawBody,
				}),
		),
	);
	return answers.map((answer) => answer.status);
}

/** Waits until `count` executions ended, then a little longer: a late extra one would show. */
async function settledExecutions(count: number) {
	await cluster.waitForExecutions(WORKFLOW_ID, count, 180_000);
	await sleep(3_000);
	return await cluster.executions(WORKFLOW_ID);
}

beforeAll(async () => {
	const tarball = process.env[TARBALL_ENV];
	if (!tarball)
		throw new Error(`${TARBALL_ENV} is not set: run the e2e tests with "npm run test:e2e"`);
	sandbox = await startSandbox({ port: 0, latencyMs: 100 });
	cluster = await N8nCluster.create({
		tarball,
		label: 'queue trigger',
		extraWebhookProcessors: 1,
	});
	await cluster.importCredentials([
		{
			...ELEVENLABS_CREDENTIAL,
			type: 'elevenLabsAgentsApi',
			data: { ...sandbox.credentials().elevenLabsAgentsApi, webhookSecret: '' },
		},
		cluster.ledgerCredential(LEDGER_CREDENTIAL),
	]);
	await cluster.importWorkflows([triggerWorkflow()]);
	await cluster.publish(WORKFLOW_ID);
	await cluster.start({ webhookPaths: [`${WEBHOOK_ID}/${TRIGGER_PATH}`] });
}, 10 * 60_000);

afterAll(async () => {
	await cluster?.dispose();
	await sandbox?.close();
});

describe('the ElevenLabs Agents Trigger behind two webhook processors (queue mode)', () => {
	it('runs two webhook processors that both serve the trigger', () => {
		expect(cluster.webhookBaseUrls).toHaveLength(2);
	});

	it('starts the workflow with a sandbox call’s signed event (through the registered processor)', async () => {
		await registeredSecret();
		await startSandboxCall(sandbox, 'answered', { userId: 'queue-trigger' });
		endSandboxCalls(sandbox);
		const sent = await sandbox.webhooks.waitFor('post_call_transcription', 30_000);
		expect(sent.status).toBe(200);
		template = (JSON.parse(sent.rawBody) as { data: Record<string, unknown> }).data;
		// The call's transcription and its audio: one execution each.
		await sandbox.webhooks.waitFor('post_call_audio', 30_000);
		expect(await settledExecutions(2)).toHaveLength(2);
	});

	it(`starts one execution per event when each of ${EVENTS} events reaches both processors at the same moment`, async () => {
		const secret = await registeredSecret();
		const statuses = await Promise.all(
			Array.from(
				{ length: EVENTS },
				async (_, i) =>
					await toEveryProcessor(transcription(secret, `conv_queue_${i}_${randomUUID()}`)),
			),
		);
		// Every copy is acknowledged (ElevenLabs would retry anything else); one of each starts.
		expect(statuses.flat()).toEqual(Array(EVENTS * 2).fill(200));
		const executions = await settledExecutions(EVENTS + 2);
		expect(executions).toHaveLength(EVENTS + 2);
		expect(executions.every((execution) => execution.status === 'success')).toBe(true);
	});

	it('starts one execution each for a transcription and the audio of one call arriving at once', async () => {
		const secret = await registeredSecret();
		const before = (await cluster.executions(WORKFLOW_ID)).length;
		const conversationId = `conv_queue_both_${randomUUID()}`;
		const statuses = await Promise.all([
			toEveryProcessor(transcription(secret, conversationId)),
			toEveryProcessor(audio(secret, conversationId)),
		]);
		expect(statuses.flat()).toEqual([200, 200, 200, 200]);
		expect(await settledExecutions(before + 2)).toHaveLength(before + 2);
	});
});
