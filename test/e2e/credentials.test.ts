/**
 * The package's credentials inside a real n8n 2.41.1: loaded from the community-package folder,
 * tested by n8n's credential tester, and applied by n8n's HTTP Request node (predefined credential
 * type) in `n8n execute` — all against the sandbox over real HTTP.
 */
import * as path from 'node:path';

import type { INode } from 'n8n-workflow';

import type { CredentialImport, N8nInstance, N8nRestClient, WorkflowJson } from '../../scripts/n8n';
import { readPackageJson } from '../../scripts/n8n';
import { N8N_CREDENTIAL_IDS, startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { chainWorkflow, createN8n, manualWorkflow, PACKAGE_PREFIX, webhookNode } from './helpers';

// Built from parts, so that no key-like literal sits in the source.
const WRONG_ELEVENLABS_KEY = ['sk', 'e2e', 'wrong', '7f3a9c1e5b2d4f60'].join('_');
const WRONG_TWILIO_TOKEN = ['e2e', 'wrong', 'token', '0d9e8f7a6b5c4d3e'].join('');
const BAD_ELEVENLABS_CREDENTIAL_ID = 'e2eWrongElevenLabs';

/**
 * n8n's own Webhook node answering with what it received: checks the runner's promise that a
 * published webhook is served as soon as `start()` resolves. It shares this file's n8n, because
 * every n8n start costs tens of seconds.
 */
const ECHO_PATH = 'e2e-echo';
const ECHO_WORKFLOW: WorkflowJson = chainWorkflow('e2eWebhookEcho', 'Webhook echo', [
	webhookNode('Webhook', ECHO_PATH, 'a1e2e000-0000-4000-8000-00000000ec40'),
]);

let sandbox: Sandbox;
let n8n: N8nInstance;

/** HTTP Request node (GET) authenticated with one of the package's credential types. */
function httpRequest(
	name: string,
	url: string,
	credentialType: string,
	credential: { id: string; name: string },
): INode {
	return {
		id: `e2e-${credentialType}-${name.length}`,
		name,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [0, 0],
		parameters: {
			url,
			authentication: 'predefinedCredentialType',
			nodeCredentialType: credentialType,
			options: {},
		},
		credentials: { [credentialType]: credential },
	};
}

function sandboxCredential(type: keyof typeof N8N_CREDENTIAL_IDS): CredentialImport {
	const credential = sandbox.n8nCredentials().find((entry) => entry.type === type);
	if (!credential) throw new Error(`The sandbox has no ${type} credential`);
	return credential;
}

beforeAll(async () => {
	sandbox = await startSandbox();
	n8n = await createN8n('credentials e2e');
	const elevenLabs = sandboxCredential('elevenLabsAgentsApi');
	const twilio = sandboxCredential('twilioCallsApi');
	const wrongKey: CredentialImport = {
		id: BAD_ELEVENLABS_CREDENTIAL_ID,
		name: 'ElevenLabs (wrong key)',
		type: 'elevenLabsAgentsApi',
		data: { ...elevenLabs.data, apiKey: WRONG_ELEVENLABS_KEY },
	};
	await n8n.importCredentials([elevenLabs, twilio, wrongKey]);
	await n8n.importWorkflows([
		manualWorkflow('e2eElevenLabsAgents', 'ElevenLabs agents via HTTP Request', [
			httpRequest(
				'Get Agents',
				`${sandbox.url}/v1/convai/agents`,
				'elevenLabsAgentsApi',
				elevenLabs,
			),
		]),
		manualWorkflow('e2eTwilioAccount', 'Twilio account via HTTP Request', [
			httpRequest(
				'Get Account',
				`${sandbox.url}/2010-04-01/Accounts/${sandbox.twilio.accountSid}.json`,
				'twilioCallsApi',
				twilio,
			),
		]),
		manualWorkflow('e2eWrongKey', 'ElevenLabs agents with a wrong key', [
			httpRequest('Get Agents', `${sandbox.url}/v1/convai/agents`, 'elevenLabsAgentsApi', wrongKey),
		]),
		ECHO_WORKFLOW,
	]);
	await n8n.publish(ECHO_WORKFLOW.id);
});

afterAll(async () => {
	await n8n?.dispose();
	await sandbox?.close();
});

beforeEach(() => sandbox.requests.clear());

describe('n8n execute: the credentials authenticate requests of n8n nodes', () => {
	it('elevenLabsAgentsApi: the HTTP Request node lists the sandbox agents of the key’s workspace', async () => {
		const result = await n8n.execute('e2eElevenLabsAgents');

		expect(result.error).toBeUndefined();
		expect(result.status).toBe('success');
		expect(result.exitCode).toBe(0);
		const [page] = result.json('Get Agents');
		const agentIds = (page.agents as Array<{ agent_id: string }>).map((agent) => agent.agent_id);
		expect(agentIds).toContain(sandbox.ids.agents.recruitingDe);
		expect(agentIds).not.toContain(sandbox.ids.agents.otherWorkspace);
		const [request] = sandbox.requests.filter('GET', '/v1/convai/agents');
		expect(request.principal).toBe('main');
	});

	it('twilioCallsApi: the HTTP Request node fetches the account with Basic auth', async () => {
		const result = await n8n.execute('e2eTwilioAccount');

		expect(result.error).toBeUndefined();
		expect(result.status).toBe('success');
		const [account] = result.json('Get Account');
		expect(account.sid).toBe(sandbox.twilio.accountSid);
		const [request] = sandbox.requests.filter('GET', '/2010-04-01/Accounts/');
		expect(request.principal).toBe(sandbox.twilio.accountSid);
		expect(request.status).toBe(200);
	});

	it('a wrong key fails the execution with the 401, and the key appears nowhere in n8n’s output', async () => {
		const result = await n8n.execute('e2eWrongKey');

		expect(result.status).toBe('error');
		expect(result.exitCode).toBe(1);
		expect(result.lastNodeExecuted).toBe('Get Agents');
		expect(result.error?.httpCode).toBe('401');
		expect(JSON.stringify(result.raw)).not.toContain(WRONG_ELEVENLABS_KEY);
		expect(
			sandbox.requests.filter('GET', '/v1/convai/agents').map((request) => request.status),
		).toContain(401);
	});
});

describe('n8n start: the package is loaded, its credential tests run, webhooks are served', () => {
	let rest: N8nRestClient;

	beforeAll(async () => {
		await n8n.start({ webhookPaths: [ECHO_PATH] });
		rest = await n8n.setupOwner();
	});

	it('serves the published webhook workflow as soon as start() resolved', async () => {
		const response = await fetch(`${n8n.baseUrl}/webhook/${ECHO_PATH}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ candidate: 'Erika Mustermann' }),
		});

		expect(response.status).toBe(200);
		expect(await response.json()).toMatchObject({ body: { candidate: 'Erika Mustermann' } });
	});

	it('lists both credential types with their display names', async () => {
		const types = await rest.credentialTypes();
		const byName = new Map(types.map((type) => [type.name, type]));

		expect(byName.get('elevenLabsAgentsApi')?.displayName).toBe('ElevenLabs Agents API');
		expect(byName.get('twilioCallsApi')?.displayName).toBe('Twilio Calls API');
		// n8n only knows a credential's test when it loaded the class from the package.
		expect(byName.get('elevenLabsAgentsApi')?.properties.map((property) => property.name)).toEqual(
			expect.arrayContaining(['apiKey', 'region', 'baseUrl', 'webhookSecret']),
		);
	});

	it('lists every node that package.json registers, under the package’s name', async () => {
		const registered = (await readPackageJson()).n8n?.nodes ?? [];
		const loaded = (await rest.nodeTypes())
			.map((type) => type.name)
			.filter((name) => name.startsWith(`${PACKAGE_PREFIX}.`));
		const expected = registered.map((file) => {
			// The dist file's class, named after the file as n8n finds it, holds the type name n8n
			// registers (`<package>.<description.name>`); the file may export other things too.
			type NodeConstructor = new () => { description: { name: string } };
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			const exported = require(`../../${file}`) as Record<string, NodeConstructor>;
			const NodeClass = exported[path.basename(file, '.node.js')];
			return `${PACKAGE_PREFIX}.${new NodeClass().description.name}`;
		});

		expect(loaded).toEqual(expect.arrayContaining(expected));
	});

	it('elevenLabsAgentsApi: the credential test passes with the sandbox key', async () => {
		const result = await rest.testCredential(sandboxCredential('elevenLabsAgentsApi'));

		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(sandbox.requests.filter('GET', '/v1/convai/agents')[0]?.principal).toBe('main');
	});

	it('elevenLabsAgentsApi: a wrong key fails with the credential’s advice and without the key', async () => {
		const credential = sandboxCredential('elevenLabsAgentsApi');
		const response = await rest.request('POST', '/rest/credentials/test', {
			credentials: { ...credential, data: { ...credential.data, apiKey: WRONG_ELEVENLABS_KEY } },
		});

		expect(response.status).toBe(200);
		expect(response.body).toEqual({
			data: {
				status: 'Error',
				message: expect.stringContaining('ElevenLabs rejected the API key'),
			},
		});
		expect(JSON.stringify(response.body)).not.toContain(WRONG_ELEVENLABS_KEY);
	});

	it('twilioCallsApi: the credential test passes with the sandbox account', async () => {
		const result = await rest.testCredential(sandboxCredential('twilioCallsApi'));

		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(sandbox.requests.filter('GET', '/2010-04-01/Accounts/')[0]?.principal).toBe(
			sandbox.twilio.accountSid,
		);
	});

	it('twilioCallsApi: a wrong auth token fails with the credential’s advice and without the token', async () => {
		const credential = sandboxCredential('twilioCallsApi');
		const response = await rest.request('POST', '/rest/credentials/test', {
			credentials: { ...credential, data: { ...credential.data, authToken: WRONG_TWILIO_TOKEN } },
		});

		expect(response.body).toEqual({
			data: {
				status: 'Error',
				message: expect.stringContaining('Twilio rejected the credentials'),
			},
		});
		expect(JSON.stringify(response.body)).not.toContain(WRONG_TWILIO_TOKEN);
	});
});
