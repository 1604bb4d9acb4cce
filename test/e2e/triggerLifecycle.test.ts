/**
 * The ElevenLabs Agents Trigger sets itself up in a real n8n 2.41.1: a workflow with the trigger
 * for one agent and a credential without a webhook secret is published (`publish:workflow`) and
 * `n8n start` activates it. The workspace webhook is then created for the production URL and
 * attached to the agent at the sandbox; a sandbox call's signed post-call event starts the
 * workflow with no secret typed anywhere; the same event delivered again starts nothing, nor
 * does a second copy posted at the same moment; the workflow as n8n hands it out holds nothing
 * to forge an event with; and unpublishing in the running n8n (its REST API: the CLI's `unpublish:workflow` only changes the
 * database) detaches the webhook and deletes it.
 */
import { randomUUID } from 'node:crypto';

import type { IDataObject, INode } from 'n8n-workflow';

import { buildSignedWebhook, startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { workspaceWebhooks } from '../../sandbox/routes/workspaceWebhooks';
import { N8nInstance } from '../../scripts/n8n';
import type { N8nRestClient, WorkflowJson } from '../../scripts/n8n';
import { endSandboxCalls, startSandboxCall } from '../engine/sandbox.helpers';
import { eventually, PACKAGE_PREFIX as PACKAGE, TARBALL_ENV } from './helpers';
import { JsonCapture, captureAfter } from './workflowsShared';

const TRIGGER = 'ElevenLabs Agents Trigger';
const TRIGGER_PATH = 'elevenlabs-post-call';
const WEBHOOK_ID = randomUUID();
const WORKFLOW_ID = 'triggerSelfSetUp';
const CREDENTIAL_ID = 'selfSetUpElevenLabs';

let sandbox: Sandbox;
let n8n: N8nInstance;
let rest: N8nRestClient;
let capture: JsonCapture;
let baseUrl: string;

const agentId = () => sandbox.ids.agents.recruitingDe;
const webhookSetting = () =>
	sandbox.state.agents.get(agentId())!.agent.platformSettings?.workspaceOverrides?.webhooks;
const webhooks = () => [...workspaceWebhooks(sandbox).values()];
const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

const log = () => `n8n log:\n${n8n.serverLog.split('\n').slice(-30).join('\n')}`;
/** `eventually`, with the end of n8n's log when it times out. */
const inN8n = <T>(what: string, probe: () => Promise<T | undefined> | T | undefined) =>
	eventually(what, probe, { diagnosis: log });

function triggerWorkflow(): WorkflowJson {
	const trigger: INode = {
		id: 'trigger',
		name: TRIGGER,
		type: `${PACKAGE}.elevenLabsAgentsTrigger`,
		typeVersion: 1,
		position: [0, 0],
		webhookId: WEBHOOK_ID,
		parameters: { agentIds: [agentId()], events: ['post_call_transcription'] },
		credentials: {
			elevenLabsAgentsApi: { id: CREDENTIAL_ID, name: 'ElevenLabs, no webhook secret' },
		},
	};
	const workflow: WorkflowJson = {
		id: WORKFLOW_ID,
		name: 'Trigger sets itself up',
		nodes: [trigger],
		connections: {},
		settings: { executionOrder: 'v1' },
	};
	captureAfter(workflow, TRIGGER, `${capture.url}/calls`);
	return workflow;
}

const finished = async () =>
	(await rest.executions(WORKFLOW_ID)).filter(
		(execution) => execution.status !== 'running' && execution.status !== 'new',
	);

beforeAll(async () => {
	capture = await new JsonCapture().start();
	sandbox = await startSandbox({ port: 0 });
	// Jest sets NODE_ENV=test, with which `n8n start` exits at once without a word.
	n8n = await N8nInstance.create({
		tarball: process.env[TARBALL_ENV],
		label: 'trigger lifecycle',
		env: { NODE_ENV: 'production' },
	});
	await n8n.importCredentials([
		{
			id: CREDENTIAL_ID,
			name: 'ElevenLabs, no webhook secret',
			type: 'elevenLabsAgentsApi',
			data: { ...sandbox.credentials().elevenLabsAgentsApi, webhookSecret: '' },
		},
	]);
	await n8n.importWorkflow(triggerWorkflow());
	await n8n.publish(WORKFLOW_ID);
	baseUrl = await n8n.start({ webhookPaths: [`${WEBHOOK_ID}/${TRIGGER_PATH}`] });
	rest = await n8n.setupOwner();
}, 10 * 60_000);

afterAll(async () => {
	await n8n?.dispose();
	await sandbox?.close();
	await capture?.close();
});

describe('the trigger’s own webhook in a real n8n', () => {
	let delivery: { rawBody: string; signature: string };

	it('on start creates the workspace webhook for the production URL and attaches it to the agent', async () => {
		// Created first, then its retries turned on, then attached: wait for the whole set-up.
		const [created] = await inN8n('the workspace webhook attached to the agent', () =>
			webhooks().length && webhookSetting()?.postCallWebhookId ? webhooks() : undefined,
		);
		expect(webhooks()).toHaveLength(1);
		expect(created).toMatchObject({
			webhookUrl: `${baseUrl}/webhook/${WEBHOOK_ID}/${TRIGGER_PATH}`,
			name: `n8n · Trigger sets itself up · ${TRIGGER}`,
		});
		expect(sandbox.requests.filter('POST', '/v1/workspace/webhooks').at(-1)!.body).toMatchObject({
			settings: { auth_type: 'hmac' },
		});
		// ElevenLabs' retries on: an event sent while n8n restarts arrives later.
		expect(created.retryEnabled).toBe(true);
		expect(webhookSetting()).toEqual({
			postCallWebhookId: created.webhookId,
			events: ['transcript'],
		});
	});

	it('starts the workflow with a sandbox call’s signed post-call event, no secret typed anywhere', async () => {
		const conversationId = await startSandboxCall(sandbox, 'answered', {
			userId: 'e2e-self-set-up',
		});
		endSandboxCalls(sandbox);
		const sent = await sandbox.webhooks.waitFor('post_call_transcription', 20_000);
		expect(sent).toMatchObject({
			url: `${baseUrl}/webhook/${WEBHOOK_ID}/${TRIGGER_PATH}`,
			status: 200,
		});
		expect(JSON.parse(String(sent.responseBody))).toEqual({ received: true });
		delivery = sent;

		const started = await capture.waitFor(
			'calls',
			(call) => call.conversationId === conversationId,
			30_000,
		);
		expect(started).toMatchObject({
			event: 'post_call_transcription',
			conversationId,
			agentId: agentId(),
			status: 'done',
			callResult: 'answered',
			userId: 'e2e-self-set-up',
		});
		const executions = await inN8n('the execution', async () => {
			const ended = await finished();
			return ended.length ? ended : undefined;
		});
		expect(executions).toEqual([
			expect.objectContaining({ workflowId: WORKFLOW_ID, status: 'success', mode: 'webhook' }),
		]);
	});

	it('answers the same event delivered again with 200 and starts no second execution', async () => {
		const response = await fetch(`${baseUrl}/webhook/${WEBHOOK_ID}/${TRIGGER_PATH}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'ElevenLabs-Signature': delivery.signature },
			body: delivery.rawBody,
		});
		expect(response.status).toBe(200);
		expect(((await response.json()) as IDataObject).ignored).toMatch(/was already received$/);
		// Time for a wrongly started execution to show.
		await sleep(2000);
		expect(await rest.executions(WORKFLOW_ID)).toHaveLength(1);
		expect(capture.all('calls')).toHaveLength(1);
	});

	it('starts one execution for two copies of a new event posted at the same moment', async () => {
		const [own] = webhooks();
		const conversationId = `conv_e2e_twice_${randomUUID()}`;
		const data = {
			...(JSON.parse(delivery.rawBody) as { data: IDataObject }).data,
			conversation_id: conversationId,
		};
		const copy = buildSignedWebhook(
			'post_call_transcription',
			data,
			own.secret,
			Math.floor(Date.now() / 1000),
		);
		const answers = await Promise.all(
			[copy, copy].map(
				async (request) =>
					await fetch(`${baseUrl}/webhook/${WEBHOOK_ID}/${TRIGGER_PATH}`, {
						method: 'POST',
						headers: { 'content-type': 'application/json', ...request.headers },
						body: request.rawBody,
					}),
			),
		);
		expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
		await capture.waitFor('calls', (call) => call.conversationId === conversationId, 30_000);
		await sleep(2000);
		expect(
			capture.all('calls').filter((call) => call.conversationId === conversationId),
		).toHaveLength(1);
	});

	it('"Listen for test event" while published changes nothing at ElevenLabs, says how to test, and production still receives', async () => {
		const before = {
			setting: webhookSetting(),
			webhooks: webhooks().map((webhook) => webhook.webhookId),
			writes: sandbox.requests.all().filter((request) => request.method !== 'GET').length,
		};
		const listen = await rest.request<{ message?: string }>(
			'POST',
			`/rest/workflows/${WORKFLOW_ID}/run`,
			{ triggerToStartFrom: { name: TRIGGER } },
		);
		expect(JSON.stringify(listen)).toContain(
			'Listening in the editor does not move the agents away from the published workflow',
		);
		expect(webhookSetting()).toEqual(before.setting);
		expect(webhooks().map((webhook) => webhook.webhookId)).toEqual(before.webhooks);
		expect(sandbox.requests.all().filter((request) => request.method !== 'GET')).toHaveLength(
			before.writes,
		);

		const conversationId = await startSandboxCall(sandbox, 'answered');
		endSandboxCalls(sandbox);
		await capture.waitFor('calls', (call) => call.conversationId === conversationId, 30_000);
	});

	it('refuses an event forged with what the workflow, as n8n hands it out, holds', async () => {
		const workflow = await rest.call<{ staticData?: IDataObject }>(
			'GET',
			`/rest/workflows/${WORKFLOW_ID}`,
		);
		const exported = JSON.stringify(workflow);
		const [own] = webhooks();
		expect(exported).toContain(own.webhookId);
		expect(exported).not.toContain(own.secret);
		const registration = (workflow.staticData?.[`node:${TRIGGER}`] as IDataObject | undefined)
			?.registration as IDataObject | undefined;
		const candidates = Object.values(registration ?? {}).filter(
			(value): value is string => typeof value === 'string',
		);
		expect(candidates.length).toBeGreaterThan(0);
		const data = { ...(JSON.parse(delivery.rawBody) as { data: IDataObject }).data };
		for (const candidate of candidates) {
			const forged = buildSignedWebhook(
				'post_call_transcription',
				{ ...data, conversation_id: `conv_forged_${randomUUID()}` },
				candidate,
				Math.floor(Date.now() / 1000),
			);
			const response = await fetch(`${baseUrl}/webhook/${WEBHOOK_ID}/${TRIGGER_PATH}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', ...forged.headers },
				body: forged.rawBody,
			});
			expect(response.status).toBe(401);
		}
	});

	it('unpublished in the running n8n, detaches the webhook from the agent and deletes it', async () => {
		await rest.unpublish(WORKFLOW_ID);
		await inN8n('the webhook deleted', () => (webhooks().length ? undefined : true));
		// The agent had no webhook setting of its own: it gets an empty one back.
		expect(webhookSetting()).toEqual({});
		expect(sandbox.requests.count('DELETE', /^\/v1\/workspace\/webhooks\//)).toBe(1);
	});
});
