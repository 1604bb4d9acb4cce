/**
 * Callbacks in a real n8n 2.41.1, through the callback example (workflows/callback.json, its
 * Google Sheets read swapped for the sheet's rows): publishing makes the trigger the sandbox
 * workspace's conversation initiation webhook, with its secret header and the agent's
 * permission; a candidate who calls the agent's number is looked up and greeted by name; and
 * unpublishing in the running n8n gives the workspace and the agent back what they had.
 */
import { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';

import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { conversationStore } from '../../sandbox/conversations';
import { N8nInstance } from '../../scripts/n8n';
import type { N8nRestClient } from '../../scripts/n8n';
import { eventually, TARBALL_ENV } from './helpers';
import { loadExample, nodeOf, sheetReadAsTestData } from './workflowsShared';

const TRIGGER_PATH = 'elevenlabs-conversation-initiation';
const AGENT_NUMBER = '+493012345670';

let sandbox: Sandbox;
let n8n: N8nInstance;
let rest: N8nRestClient;
let productionUrl: string;
const workflow = loadExample('callback');

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));
const dashboard = () =>
	new ElevenLabsClient({ apiKey: sandbox.apiKey, baseUrl: sandbox.url, maxRetries: 0 });
const initiationWebhook = async () =>
	(await dashboard().conversationalAi.settings.get()).conversationInitiationClientDataWebhook;
const permission = async () =>
	(await dashboard().conversationalAi.agents.get(sandbox.ids.agents.recruitingDe)).platformSettings
		?.overrides?.enableConversationInitiationClientDataFromWebhook;

const log = () => n8n.serverLog.split('\n').slice(-30).join('\n');
/** `eventually`, with the end of n8n's log when it times out. */
const inN8n = <T>(what: string, probe: () => Promise<T | undefined> | T | undefined) =>
	eventually(what, probe, { diagnosis: log });

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
	sheetReadAsTestData(workflow, 'Read candidates', [
		{
			name: 'Jonas Beispiel',
			phone: '0151 2345 6789',
			jobTitle: 'Lagerist',
			company: 'Muster Logistik GmbH',
			candidateId: 'B-0002',
		},
		{
			name: 'Erika Muster',
			phone: '0171 1234 5640',
			jobTitle: 'Pflegefachkraft',
			company: 'Muster Pflege GmbH',
			candidateId: 'B-0001',
		},
	]);
	// Jest sets NODE_ENV=test, with which `n8n start` exits at once without a word.
	n8n = await N8nInstance.create({
		tarball: process.env[TARBALL_ENV],
		label: 'callback',
		env: { NODE_ENV: 'production' },
	});
	await n8n.importCredentials(sandbox.n8nCredentials());
	await n8n.importWorkflow(workflow);
	await n8n.publish(workflow.id as string);
	const webhookId = nodeOf(workflow, 'Candidate calls back').webhookId!;
	const baseUrl = await n8n.start({ webhookPaths: [`${webhookId}/${TRIGGER_PATH}`] });
	productionUrl = `${baseUrl}/webhook/${webhookId}/${TRIGGER_PATH}`;
	rest = await n8n.setupOwner();
}, 10 * 60_000);

afterAll(async () => {
	await n8n?.dispose();
	await sandbox?.close();
});

describe('the callback example in a real n8n', () => {
	it('on start becomes the workspace’s initiation webhook with a secret header, and the agent may use it', async () => {
		const webhook = await inN8n('the initiation webhook', async () =>
			(await initiationWebhook())?.url === productionUrl ? await initiationWebhook() : undefined,
		);
		expect(webhook!.requestHeaders['x-voice-recruiting-callback-secret']).toMatch(/^[0-9a-f]{64}$/);
		// The agents are set before the URL, so the permission is there once the URL is.
		expect(await permission()).toBe(true);
		// n8n saves the trigger's static data (the agents' profiles) when activation has ended.
		await sleep(5000);
	});

	it('greets a candidate who calls the agent’s number by name', async () => {
		const response = await fetch(`${sandbox.url}/_sandbox/inbound-call`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ from: '+4917112345640', to: AGENT_NUMBER }),
		});
		const call = (await response.json()) as {
			conversationId: string;
			error: string | null;
			initiation: { status: number; used: boolean; elapsedMs: number };
		};
		expect(call.error).toBeNull();
		expect(call.initiation).toMatchObject({ status: 200, used: true });
		process.stdout.write(`callback answered by the example in ${call.initiation.elapsedMs} ms\n`);
		conversationStore(sandbox).settleAll();
		const conversation = await dashboard().conversationalAi.conversations.get(call.conversationId);
		const greeting = conversation.transcript[0];
		expect(greeting.role).toBe('agent');
		expect(greeting.message).toContain('Sie hatten einen Anruf von uns');
		expect(greeting.message).toContain('Erika Muster');
		expect(conversation.conversationInitiationClientData?.dynamicVariables).toMatchObject({
			candidate_name: 'Erika Muster',
			job_title: 'Pflegefachkraft',
			company: 'Muster Pflege GmbH',
		});
		expect(conversation.metadata.phoneCall).toMatchObject({ direction: 'inbound' });
	});

	it('unpublished in the running n8n, gives the workspace and the agent back what they had', async () => {
		await rest.unpublish(workflow.id as string);
		await inN8n('the initiation webhook removed', async () =>
			(await initiationWebhook()) === undefined ? true : undefined,
		);
		// The webhook goes first (no more calls), then the agents get their setting back.
		await inN8n('the permission taken back', async () =>
			(await permission()) === false ? true : undefined,
		);
	});
});
