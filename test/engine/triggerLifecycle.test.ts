/**
 * The ElevenLabs Agents Trigger sets itself up: activation (n8n's checkExists → create in
 * n8n-core's HookContext) creates an HMAC workspace webhook for the production URL at the
 * sandbox and selects it for the chosen agents; a finished call is then delivered, signed with
 * the secret kept in the node's static data, with no secret typed anywhere; deactivation gives
 * the agents their earlier settings back and deletes the webhook. A credential with a secret
 * still works without any of this. A repeated delivery starts nothing.
 */
import { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import type { ElevenLabs } from '@elevenlabs/elevenlabs-js';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { buildSignedWebhook, startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { workspaceWebhooks } from '../../sandbox/routes/workspaceWebhooks';
import { activateTrigger, deactivateTrigger, runWebhook, serveWebhook } from './harness';
import type { CredentialData, PackageNode, WebhookEndpoint } from './harness';
import { elevenLabsCredential, endSandboxCalls, startSandboxCall } from './sandbox.helpers';

const TRIGGER = 'ElevenLabs Agents Trigger';
const EVENTS = ['post_call_transcription', 'call_initiation_failure'];

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

function triggerNode(parameters: INodeParameters = {}): PackageNode {
	return {
		type: 'elevenLabsAgentsTrigger',
		name: TRIGGER,
		parameters: { events: EVENTS, ...parameters },
	};
}

/** The credential as a team without a hand-made webhook has it: no webhook secret. */
function credentialWithoutSecret(): CredentialData {
	return {
		elevenLabsAgentsApi: {
			...elevenLabsCredential(sandbox).elevenLabsAgentsApi,
			webhookSecret: '',
		},
	};
}

/** The SDK straight against the sandbox, as the dashboard would change things. */
const dashboard = () =>
	new ElevenLabsClient({ apiKey: sandbox.apiKey, baseUrl: sandbox.url, maxRetries: 0 });

const webhookSettingOf = (agentId: string) =>
	sandbox.state.agents.get(agentId)!.agent.platformSettings?.workspaceOverrides?.webhooks;
const webhooks = () => [...workspaceWebhooks(sandbox).values()];

/** The trigger's own part of the workflow's static data (n8n keys it by node name). */
const NODE_DATA = `node:${TRIGGER}`;
const nodeData = (staticData: IDataObject) => (staticData[NODE_DATA] ?? {}) as IDataObject;

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
		expect(nodeData(staticData).registration).toMatchObject({
			webhookId: created.webhookId,
			webhookSecret: created.secret,
		});

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
		expect(webhooks()).toEqual([]);
		expect(webhookSettingOf(sandbox.ids.agents.recruitingDe)).toEqual({});
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

describe('a repeated delivery', () => {
	it('is answered 200 and starts nothing; another event of the same call still starts', async () => {
		const node = triggerNode();
		const options = { credentials: elevenLabsCredential(sandbox), staticData: {} as IDataObject };
		const secret = (options.credentials.elevenLabsAgentsApi as { webhookSecret: string })
			.webhookSecret;
		const data = {
			agent_id: sandbox.ids.agents.recruitingDe,
			conversation_id: 'conv_twice',
			failure_reason: 'no-answer',
		};
		const now = Math.floor(Date.now() / 1000);
		const first = await runWebhook(
			node,
			buildSignedWebhook('call_initiation_failure', data, secret, now),
			options,
		);
		expect(first.items).toHaveLength(1);
		expect(Object.keys(nodeData(options.staticData).deliveries as IDataObject)).toEqual([
			'call_initiation_failure:conv_twice',
		]);
		// ElevenLabs' retry: the same event, signed anew a little later.
		const again = await runWebhook(
			node,
			buildSignedWebhook('call_initiation_failure', data, secret, now + 5),
			options,
		);
		expect(again.answered.status).toBeUndefined();
		expect(again.returned).toEqual({
			webhookResponse: {
				received: true,
				ignored: 'call_initiation_failure of conversation conv_twice was already received',
			},
		});
		expect(again.items).toEqual([]);
		const other = await runWebhook(
			node,
			buildSignedWebhook(
				'call_initiation_failure',
				{ ...data, conversation_id: 'conv_other' },
				secret,
				now,
			),
			options,
		);
		expect(other.items).toHaveLength(1);
	});

	it('starts again once the tolerance has passed', async () => {
		const node = triggerNode();
		const secret = (elevenLabsCredential(sandbox).elevenLabsAgentsApi as { webhookSecret: string })
			.webhookSecret;
		const staticData: IDataObject = {
			[NODE_DATA]: {
				deliveries: { 'call_initiation_failure:conv_old': Date.now() - 31 * 60 * 1000 },
			},
		};
		const data = {
			agent_id: sandbox.ids.agents.recruitingDe,
			conversation_id: 'conv_old',
			failure_reason: 'busy',
		};
		const run = await runWebhook(
			node,
			buildSignedWebhook('call_initiation_failure', data, secret, Math.floor(Date.now() / 1000)),
			{
				credentials: elevenLabsCredential(sandbox),
				staticData,
			},
		);
		expect(run.items).toHaveLength(1);
		const deliveries = nodeData(staticData).deliveries as Record<string, number>;
		expect(Object.keys(deliveries)).toEqual(['call_initiation_failure:conv_old']);
		expect(Date.now() - deliveries['call_initiation_failure:conv_old']).toBeLessThan(60_000);
	});
});
