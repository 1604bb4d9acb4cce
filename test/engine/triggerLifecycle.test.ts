/**
 * The ElevenLabs Agents Trigger sets itself up: activation (n8n's checkExists → create in
 * n8n-core's HookContext) creates an HMAC workspace webhook for the production URL at the
 * sandbox and selects it for the chosen agents; a finished call is then delivered, signed with
 * the secret kept sealed in the node's static data, with no secret typed anywhere; deactivation
 * gives the agents their earlier settings back and deletes the webhook. A credential with a
 * secret still works without any of this. What a hostile world does to it (editor tests,
 * repeats, two triggers, partial failures) is in triggerHostile.test.ts.
 */
import type { ElevenLabs } from '@elevenlabs/elevenlabs-js';
import type { IDataObject } from 'n8n-workflow';

import { buildSignedWebhook, startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { activateTrigger, deactivateTrigger, runWebhook, serveWebhook } from './harness';
import type { WebhookEndpoint } from './harness';
import { elevenLabsCredential, endSandboxCalls, startSandboxCall } from './sandbox.helpers';
import * as trigger from './trigger.helpers';
import { TRIGGER, nodeData, triggerNode } from './trigger.helpers';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

const credentialWithoutSecret = () => trigger.credentialWithoutSecret(sandbox);
const dashboard = () => trigger.dashboard(sandbox);
const webhookSettingOf = (agentId: string) => trigger.webhookSettingOf(sandbox, agentId);
const webhooks = () => trigger.webhooks(sandbox);

describe('activation and deactivation', () => {
	let endpoint: WebhookEndpoint;
	const staticData: IDataObject = {};
	const agents = () => [sandbox.ids.agents.recruitingDe];

	afterEach(async () => await endpoint?.close());

	it('creates, attaches, receives a signed call with no secret typed anywhere, then detaches and deletes', async () => {
		for (const key of Object.keys(staticData)) delete staticData[key];
		const node = triggerNode({ agentIds: agents() });
		const credentials = credentialWithoutSecret();
		endpoint = await serveWebhook(node, { credentials, staticData });
		const options = { credentials, staticData, webhookBaseUrl: endpoint.baseUrl };
		// The team's own webhook, used by another agent: it stays as it is.
		const own = await dashboard().webhooks.create({
			settings: { authType: 'hmac', name: 'ATS', webhookUrl: 'https://ats.example/hook' },
		});
		await dashboard().conversationalAi.agents.update(sandbox.ids.agents.bare, {
			platformSettings: {
				workspaceOverrides: {
					webhooks: { postCallWebhookId: own.webhookId, events: ['transcript'] },
				},
			},
		});

		expect(await activateTrigger(node, options)).toEqual({ created: true });
		const created = webhooks().find((webhook) => webhook.webhookId !== own.webhookId)!;
		expect(created).toMatchObject({
			webhookUrl: `${endpoint.baseUrl}/test-webhook/elevenlabs-post-call`,
			name: `n8n · test · ${TRIGGER}`,
		});
		const [createRequest] = sandbox.requests.filter('POST', '/v1/workspace/webhooks').slice(-1);
		expect(createRequest.body).toMatchObject({
			settings: { auth_type: 'hmac', webhook_url: created.webhookUrl },
		});
		expect(webhookSettingOf(sandbox.ids.agents.recruitingDe)).toEqual({
			postCallWebhookId: created.webhookId,
			events: ['transcript', 'call_initiation_failure'],
		});
		expect(webhookSettingOf(sandbox.ids.agents.bare)).toEqual({
			postCallWebhookId: own.webhookId,
			events: ['transcript'],
		});
		expect(nodeData(staticData).registration).toMatchObject({ webhookId: created.webhookId });
		// The secret is sealed with the credential: the exported workflow does not hold it.
		expect(JSON.stringify(staticData)).not.toContain(created.secret);
		// ElevenLabs' retries are on: an event sent while n8n restarts arrives later.
		expect(created.retryEnabled).toBe(true);

		// Activated again (n8n restarts): it is there, nothing is created.
		const before = sandbox.requests.count('POST', '/v1/workspace/webhooks');
		expect(await activateTrigger(node, options)).toEqual({ created: false });
		expect(sandbox.requests.count('POST', '/v1/workspace/webhooks')).toBe(before);

		// A finished call of the agent reaches the workflow, verified with the stored secret.
		const conversationId = await startSandboxCall(sandbox, 'answered');
		endSandboxCalls(sandbox);
		const delivery = await sandbox.webhooks.waitFor((sent) =>
			sent.rawBody.includes(conversationId),
		);
		expect(delivery).toMatchObject({
			url: created.webhookUrl,
			type: 'post_call_transcription',
			status: 200,
		});
		expect(endpoint.runs.map((run) => run.items[0]?.json.conversationId)).toEqual([conversationId]);

		await deactivateTrigger(node, options);
		expect(webhookSettingOf(sandbox.ids.agents.recruitingDe)).toEqual({});
		expect(webhooks().map((webhook) => webhook.webhookId)).toEqual([own.webhookId]);
		expect(webhookSettingOf(sandbox.ids.agents.bare)).toEqual({
			postCallWebhookId: own.webhookId,
			events: ['transcript'],
		});
		expect(nodeData(staticData).registration).toBeUndefined();
	});

	it('gives an agent back the webhook it had before, and leaves one that was changed since', async () => {
		const own = await dashboard().webhooks.create({
			settings: { authType: 'hmac', name: 'ATS', webhookUrl: 'https://ats.example/hook' },
		});
		const previous: ElevenLabs.ConvAiWebhooks = {
			postCallWebhookId: own.webhookId,
			events: ['transcript', 'audio'],
			transcriptFormat: 'json',
		};
		await dashboard().conversationalAi.agents.update(sandbox.ids.agents.recruitingDe, {
			platformSettings: { workspaceOverrides: { webhooks: previous } },
		});
		const node = triggerNode({
			agentIds: [sandbox.ids.agents.recruitingDe, sandbox.ids.agents.bare],
			options: { takeOver: true },
		});
		const options = { credentials: credentialWithoutSecret(), staticData: {} };
		await activateTrigger(node, options);
		expect(webhookSettingOf(sandbox.ids.agents.recruitingDe)).toMatchObject({
			events: ['transcript', 'call_initiation_failure'],
			transcriptFormat: 'json',
		});
		// Someone points the bare agent elsewhere in the meantime: that choice stays.
		await dashboard().conversationalAi.agents.update(sandbox.ids.agents.bare, {
			platformSettings: { workspaceOverrides: { webhooks: { postCallWebhookId: own.webhookId } } },
		});
		await deactivateTrigger(node, options);
		expect(webhookSettingOf(sandbox.ids.agents.recruitingDe)).toEqual(previous);
		expect(webhookSettingOf(sandbox.ids.agents.bare)).toEqual({ postCallWebhookId: own.webhookId });
		expect(webhooks().map((webhook) => webhook.webhookId)).toEqual([own.webhookId]);
	});

	it('leaves nothing behind when an agent cannot be attached', async () => {
		const node = triggerNode({
			agentIds: [sandbox.ids.agents.recruitingDe, 'agent_doesnotexist0000000000'],
		});
		const options = { credentials: credentialWithoutSecret(), staticData: {} as IDataObject };
		await expect(activateTrigger(node, options)).rejects.toThrow(
			'ElevenLabs refused to load the agent "agent_doesnotexist0000000000"',
		);
		// Every agent is read before anything is created: nothing to undo.
		expect(webhooks()).toEqual([]);
		expect(sandbox.requests.filter('POST', '/v1/workspace/webhooks')).toEqual([]);
		expect(
			sandbox.requests.count('PATCH', `/v1/convai/agents/${sandbox.ids.agents.recruitingDe}`),
		).toBe(0);
		expect(nodeData(options.staticData)).toEqual({});
	});

	it('refuses to activate without agents and without a secret, and says what to do', async () => {
		await expect(
			activateTrigger(triggerNode(), { credentials: credentialWithoutSecret(), staticData: {} }),
		).rejects.toThrow(
			'The ElevenLabs credential has no webhook secret, and no agent is chosen for the trigger to set up its own webhook',
		);
		expect(webhooks()).toEqual([]);
	});

	it('registers nothing when the credential has the secret of a webhook set up by hand', async () => {
		const node = triggerNode({ agentIds: agents() });
		const options = { credentials: elevenLabsCredential(sandbox), staticData: {} };
		expect(await activateTrigger(node, options)).toEqual({ created: false });
		await deactivateTrigger(node, options);
		expect(sandbox.requests.filter('POST', '/v1/workspace/webhooks')).toEqual([]);
		expect(
			sandbox.requests.count('PATCH', `/v1/convai/agents/${sandbox.ids.agents.recruitingDe}`),
		).toBe(0);
		// The credential's secret verifies the deliveries, as before.
		const secret = elevenLabsCredential(sandbox).elevenLabsAgentsApi as { webhookSecret: string };
		const data = {
			agent_id: sandbox.ids.agents.recruitingDe,
			conversation_id: 'conv_byhand',
			failure_reason: 'busy',
		};
		const run = await runWebhook(
			node,
			buildSignedWebhook(
				'call_initiation_failure',
				data,
				secret.webhookSecret,
				Math.floor(Date.now() / 1000),
			),
			options,
		);
		expect(run.items).toHaveLength(1);
	});
});
