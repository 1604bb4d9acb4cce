/**
 * The ElevenLabs Agents Trigger in a hostile world, in n8n-core's real hook and webhook contexts
 * against the sandbox: a test in the editor while the workflow is published, two copies of one
 * event at the same moment, two triggers on one agent, a forger holding an exported workflow,
 * failures part-way through activation and deactivation, a webhook secret added to the shared
 * credential, and a flood of unsigned requests.
 */
import { randomUUID } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

import { buildSignedWebhook, startSandbox } from '../../sandbox';
import type { Sandbox, WebhookPayloadType } from '../../sandbox';
import { silentMp3 } from '../../sandbox/transcripts';
import { activateTrigger, deactivateTrigger, runWebhook, runWebhookMethod } from './harness';
import type { CredentialData, PackageNode, TriggerOptions } from './harness';
import { freshPostgresDatabase } from '../ledger/postgres';
import type { FreshDatabase } from '../ledger/postgres';
import { elevenLabsCredential } from './sandbox.helpers';
import * as trigger from './trigger.helpers';
import { nodeData, triggerNode } from './trigger.helpers';

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
const agentPath = (agentId: string) => `/v1/convai/agents/${agentId}`;

/** The secret ElevenLabs holds for the webhook the trigger registered (the sandbox's record). */
const secretOf = (webhookId: string) => webhooks().find((w) => w.webhookId === webhookId)!.secret;

/** A post-call event of a conversation of its own, signed with `secret` now. */
function signedEvent(
	secret: string,
	type: WebhookPayloadType = 'call_initiation_failure',
	conversationId = `conv_${randomUUID()}`,
) {
	const data =
		type === 'post_call_audio'
			? {
					agent_id: sandbox.ids.agents.recruitingDe,
					conversation_id: conversationId,
					full_audio: silentMp3(1).toString('base64'),
				}
			: {
					agent_id: sandbox.ids.agents.recruitingDe,
					conversation_id: conversationId,
					failure_reason: 'busy',
				};
	return buildSignedWebhook(type, data, secret, Math.floor(Date.now() / 1000));
}

const ALL_EVENTS = ['post_call_transcription', 'post_call_audio', 'call_initiation_failure'];

/** The ATS of the team: its own workspace webhook, selected by the agent. */
async function teamWebhookOn(agentId: string) {
	const own = await dashboard().webhooks.create({
		settings: { authType: 'hmac', name: 'ATS', webhookUrl: 'https://ats.example/hook' },
	});
	const setting = { postCallWebhookId: own.webhookId, events: ['transcript' as const] };
	await dashboard().conversationalAi.agents.update(agentId, {
		platformSettings: { workspaceOverrides: { webhooks: setting } },
	});
	return { webhookId: own.webhookId, setting };
}

/** A published trigger for the German recruiting agent, activated. */
async function published(parameters: IDataObject = {}, base = 'https://n8n.example/webhook') {
	const node = triggerNode({ agentIds: [sandbox.ids.agents.recruitingDe], ...parameters });
	const options: TriggerOptions = {
		credentials: credentialWithoutSecret(),
		staticData: {},
		webhookBaseUrl: base,
	};
	expect(await activateTrigger(node, options)).toEqual({ created: true });
	const webhookId = (nodeData(options.staticData!).registration as { webhookId: string }).webhookId;
	return { node, options, webhookId };
}

describe('testing in the editor while the workflow is published', () => {
	it('leaves the agents and workspace webhooks alone, says how to test, and production still receives', async () => {
		const production = await published();
		const before = {
			setting: webhookSettingOf(sandbox.ids.agents.recruitingDe),
			webhooks: webhooks().map((w) => w.webhookId),
			writes: sandbox.requests.all().filter((r) => r.method !== 'GET').length,
		};
		// "Listen for test event": n8n gives the test webhook empty static data.
		const editor = { ...production.options, staticData: {}, editorTest: true };
		await expect(activateTrigger(production.node, editor)).rejects.toThrow(
			'Listening in the editor does not move the agents away from the published workflow',
		);
		await deactivateTrigger(production.node, editor);
		expect(webhookSettingOf(sandbox.ids.agents.recruitingDe)).toEqual(before.setting);
		expect(webhooks().map((w) => w.webhookId)).toEqual(before.webhooks);
		expect(sandbox.requests.all().filter((r) => r.method !== 'GET')).toHaveLength(before.writes);

		const run = await runWebhook(
			production.node,
			signedEvent(secretOf(production.webhookId)),
			production.options,
		);
		expect(run.items).toHaveLength(1);
	});

	it('listens on the test URL with a webhook set up by hand, touching nothing', async () => {
		const node = triggerNode({ agentIds: [sandbox.ids.agents.recruitingDe] });
		const options = {
			credentials: elevenLabsCredential(sandbox),
			staticData: {},
			editorTest: true,
		};
		expect(await runWebhookMethod(node, 'checkExists', options)).toBe(true);
		expect(sandbox.requests.all().filter((r) => r.method !== 'GET')).toEqual([]);
		const secret = sandbox.credentials().elevenLabsAgentsApi.webhookSecret;
		const event = signedEvent(secret);
		// The editor runs what it is sent, each time.
		expect((await runWebhook(node, event, options)).items).toHaveLength(1);
		expect((await runWebhook(node, event, options)).items).toHaveLength(1);
	});

	it('repairs an agent someone pointed elsewhere when n8n starts again', async () => {
		const production = await published();
		// Someone removes the webhook from the agent in the dashboard.
		await dashboard().conversationalAi.agents.update(sandbox.ids.agents.recruitingDe, {
			platformSettings: { workspaceOverrides: { webhooks: {} } },
		});
		expect(await runWebhookMethod(production.node, 'checkExists', production.options)).toBe(false);
		expect(await activateTrigger(production.node, production.options)).toEqual({ created: true });
		const registration = nodeData(production.options.staticData!).registration as {
			webhookId: string;
		};
		expect(webhookSettingOf(sandbox.ids.agents.recruitingDe)).toMatchObject({
			postCallWebhookId: registration.webhookId,
		});
		expect(webhooks().map((w) => w.webhookId)).toEqual([registration.webhookId]);
	});
});

describe('two copies of one event at the same moment', () => {
	it('start one execution; another event of the same call at the same moment starts too; the static data is not written', async () => {
		const production = await published({ events: ALL_EVENTS });
		const secret = secretOf(production.webhookId);
		const staticBefore = JSON.stringify(production.options.staticData);
		const conversationId = `conv_${randomUUID()}`;
		const failure = signedEvent(secret, 'call_initiation_failure', conversationId);
		const audio = signedEvent(secret, 'post_call_audio', conversationId);
		const runs = await Promise.all([
			runWebhook(production.node, failure, production.options),
			runWebhook(production.node, failure, production.options),
			runWebhook(production.node, failure, production.options),
			runWebhook(production.node, audio, production.options),
			runWebhook(production.node, audio, production.options),
		]);
		const started = runs.filter((run) => run.items.length > 0);
		expect(started.map((run) => run.items[0].json.event).sort()).toEqual([
			'call_initiation_failure',
			'post_call_audio',
		]);
		for (const run of runs.filter((r) => !r.items.length)) {
			expect(run.returned.webhookResponse).toMatchObject({ received: true });
		}
		expect(JSON.stringify(production.options.staticData)).toBe(staticBefore);
	});
});

describe('two copies at once with the Postgres ledger (queue mode)', () => {
	let database: FreshDatabase;
	beforeAll(async () => {
		database = await freshPostgresDatabase('trigger');
	});
	afterAll(async () => await database?.drop());

	it('start one execution, and an unreachable ledger answers 503 so that ElevenLabs retries', async () => {
		const node = triggerNode({ ledger: 'postgres' });
		const options = {
			credentials: { ...elevenLabsCredential(sandbox), callLedgerPostgresApi: database.credential },
		};
		const secret = sandbox.credentials().elevenLabsAgentsApi.webhookSecret;
		const event = signedEvent(secret);
		const runs = await Promise.all(
			Array.from({ length: 4 }, async () => await runWebhook(node, event, options)),
		);
		expect(runs.filter((run) => run.items.length)).toHaveLength(1);

		const unreachable = {
			credentials: {
				...options.credentials,
				callLedgerPostgresApi: { ...database.credential, port: 1 },
			},
		};
		const refused = await runWebhook(node, signedEvent(secret), unreachable);
		expect(refused.answered.status).toBe(503);
		expect(refused.items).toEqual([]);
	});
});

describe('the embedded ledger in queue mode', () => {
	it('stops the activation, before anything is created, instead of failing every event', async () => {
		const before = process.env.EXECUTIONS_MODE;
		process.env.EXECUTIONS_MODE = 'queue';
		try {
			const node = triggerNode({ agentIds: [sandbox.ids.agents.recruitingDe] });
			const options = { credentials: credentialWithoutSecret(), staticData: {} };
			await expect(activateTrigger(node, options)).rejects.toThrow(
				'The embedded call ledger cannot be used in queue mode',
			);
			expect(webhooks()).toEqual([]);
		} finally {
			if (before === undefined) delete process.env.EXECUTIONS_MODE;
			else process.env.EXECUTIONS_MODE = before;
		}
	});
});

describe('two triggers on one agent', () => {
	const agent = () => sandbox.ids.agents.recruitingDe;

	it('refuses the second, naming the first', async () => {
		const first = await published({}, 'https://first.example/webhook');
		const second = triggerNode({ agentIds: [agent()] }, 'Second Trigger');
		const options = {
			credentials: credentialWithoutSecret(),
			staticData: {},
			webhookBaseUrl: 'https://second.example/webhook',
		};
		await expect(activateTrigger(second, options)).rejects.toThrow(
			`sends its post-call events to another webhook already: "${agent()}" to "n8n · test · ElevenLabs Agents Trigger" (https://first.example/webhook/test-webhook/elevenlabs-post-call, id ${first.webhookId})`,
		);
		expect(webhooks().map((w) => w.webhookId)).toEqual([first.webhookId]);
		expect(webhookSettingOf(agent())?.postCallWebhookId).toBe(first.webhookId);
	});

	it.each([
		['the first', 'first'],
		['the second', 'second'],
	])(
		'taken over, deactivated %s first: the agent ends with the team’s own webhook',
		async (_label, firstOff) => {
			const team = await teamWebhookOn(agent());
			const takeOver = { options: { takeOver: true } };
			const a = await published(takeOver, 'https://a.example/webhook');
			const b = await published(takeOver, 'https://b.example/webhook');
			expect(webhookSettingOf(agent())?.postCallWebhookId).toBe(b.webhookId);
			const order = firstOff === 'first' ? [a, b] : [b, a];
			await deactivateTrigger(order[0].node, order[0].options);
			await deactivateTrigger(order[1].node, order[1].options);
			expect(webhookSettingOf(agent())).toEqual(team.setting);
			expect(webhooks().map((w) => w.webhookId)).toEqual([team.webhookId]);
		},
	);
});

describe('a forger with an exported workflow', () => {
	it('cannot sign an event with anything the static data holds', async () => {
		const production = await published();
		const exported = JSON.parse(JSON.stringify(production.options.staticData)) as IDataObject;
		const registration = nodeData(exported).registration as Record<string, unknown>;
		expect(JSON.stringify(exported)).not.toContain(secretOf(production.webhookId));
		const candidates = Object.values(registration).filter(
			(value): value is string => typeof value === 'string',
		);
		expect(candidates.length).toBeGreaterThan(0);
		for (const candidate of candidates) {
			const run = await runWebhook(production.node, signedEvent(candidate), production.options);
			expect(run.answered.status).toBe(401);
			expect(run.items).toEqual([]);
		}
		// The real secret does start it: the refusals above are about the secret, nothing else.
		const real = signedEvent(secretOf(production.webhookId));
		expect((await runWebhook(production.node, real, production.options)).items).toHaveLength(1);
	});

	it('replaces a registration of an earlier version that kept the secret in plain text', async () => {
		const production = await published();
		const staticData = production.options.staticData!;
		const key = `node:${trigger.TRIGGER}`;
		const old = nodeData(staticData).registration as IDataObject;
		const plain = secretOf(production.webhookId);
		staticData[key] = {
			registration: { ...old, sealedSecret: undefined, webhookSecret: plain },
		};
		expect(
			(await runWebhook(production.node, signedEvent(plain), production.options)).answered,
		).toMatchObject({ status: 401 });
		expect(await activateTrigger(production.node, production.options)).toEqual({ created: true });
		expect(JSON.stringify(staticData)).not.toContain('webhookSecret');
		expect(webhooks().map((w) => w.webhookId)).not.toContain(production.webhookId);
	});
});

describe('failures part-way', () => {
	const agents = () => [sandbox.ids.agents.recruitingDe, sandbox.ids.agents.bare];

	it('an attach that fails, and an unwind that fails too, name what is left', async () => {
		const node = triggerNode({ agentIds: agents() });
		const options = { credentials: credentialWithoutSecret(), staticData: {} as IDataObject };
		sandbox.faults.add({
			method: 'PATCH',
			path: agentPath(sandbox.ids.agents.bare),
			kind: 'status',
			status: 500,
		});
		sandbox.faults.add({
			method: 'DELETE',
			path: '/v1/workspace/webhooks/',
			kind: 'status',
			status: 500,
		});
		const error = await activateTrigger(node, options).then(
			() => undefined,
			(e: { message: string; description?: string }) => e,
		);
		const [left] = webhooks();
		expect(error?.message).toContain(
			`set the post-call webhook of the agent "${sandbox.ids.agents.bare}"`,
		);
		expect(error?.description).toContain(
			`Undoing the set-up failed as well, so this is left at ElevenLabs: The post-call webhook "${left.webhookId}" could not be deleted`,
		);
		// The first agent was given back its setting before the delete failed.
		expect(webhookSettingOf(sandbox.ids.agents.recruitingDe)).toEqual({});
		// The registration stays, so deactivating finishes the job.
		await deactivateTrigger(node, options);
		expect(webhooks()).toEqual([]);
	});

	it('another webhook node of the workflow fails: n8n undoes with the saved static data, and nothing is left', async () => {
		const team = await teamWebhookOn(sandbox.ids.agents.recruitingDe);
		const node = triggerNode({
			agentIds: [sandbox.ids.agents.recruitingDe],
			options: { takeOver: true },
		});
		const base = 'https://n8n.example/webhook';
		const credentials = credentialWithoutSecret();
		await activateTrigger(node, { credentials, staticData: {}, webhookBaseUrl: base });
		// n8n clears the workflow's webhooks from the saved workflow, whose static data never got the registration.
		await deactivateTrigger(node, { credentials, staticData: {}, webhookBaseUrl: base });
		expect(webhookSettingOf(sandbox.ids.agents.recruitingDe)).toEqual(team.setting);
		expect(webhooks().map((w) => w.webhookId)).toEqual([team.webhookId]);
	});

	it('an agent that cannot be read at deactivation keeps the webhook, is named, and a second deactivation finishes', async () => {
		const production = await published();
		sandbox.faults.add({
			method: 'GET',
			path: agentPath(sandbox.ids.agents.recruitingDe),
			kind: 'status',
			status: 500,
			times: 3,
		});
		await expect(deactivateTrigger(production.node, production.options)).rejects.toThrow(
			`The agent "${sandbox.ids.agents.recruitingDe}" (ElevenLabs answered 500) could not be read, so it may still send post-call events to the webhook "${production.webhookId}"`,
		);
		expect(webhooks().map((w) => w.webhookId)).toEqual([production.webhookId]);
		expect(webhookSettingOf(sandbox.ids.agents.recruitingDe)?.postCallWebhookId).toBe(
			production.webhookId,
		);
		await deactivateTrigger(production.node, production.options);
		expect(webhooks()).toEqual([]);
		expect(webhookSettingOf(sandbox.ids.agents.recruitingDe)).toEqual({});
	});
});

describe('a webhook secret added to the shared credential', () => {
	it('does not lock out the trigger’s own webhook: events signed with either secret start it', async () => {
		const production = await published();
		const shared: CredentialData = elevenLabsCredential(sandbox);
		const options = { ...production.options, credentials: shared };
		// Activated again (n8n restarts): the registration stands.
		expect(await activateTrigger(production.node, options)).toEqual({ created: false });
		const own = signedEvent(secretOf(production.webhookId));
		expect((await runWebhook(production.node, own, options)).items).toHaveLength(1);
		const sharedSecret = (shared.elevenLabsAgentsApi as { webhookSecret: string }).webhookSecret;
		expect(
			(await runWebhook(production.node, signedEvent(sharedSecret), options)).items,
		).toHaveLength(1);
	});
});

describe('a flood of unsigned requests', () => {
	it('is counted, not logged one by one', async () => {
		const node: PackageNode = triggerNode();
		const options = { credentials: elevenLabsCredential(sandbox) };
		// n8n's logger writes its console lines to the process's output.
		const output = jest.spyOn(process.stdout, 'write');
		try {
			for (let i = 0; i < 50; i++) {
				const run = await runWebhook(node, { headers: {}, rawBody: '{}' }, options);
				expect(run.answered.status).toBe(401);
			}
			const lines = output.mock.calls.filter((call) =>
				String(call[0]).includes('ElevenLabs Agents Trigger answered 401'),
			);
			expect(lines.length).toBeLessThanOrEqual(1);
		} finally {
			output.mockRestore();
		}
	});
});
