/**
 * The ElevenLabs Agents Trigger in a real n8n 2.41.1 (`n8n start`, workflows published): the
 * sandbox's own signed post-call webhooks start it, its output matches Get Transcript's (run with
 * `n8n execute` in the same n8n), and every unsigned, tampered, stale, unreadable or unselected
 * request is answered without starting anything.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { Server } from 'node:http';

import type { IDataObject, INode, INodeParameters } from 'n8n-workflow';

import {
	N8N_CREDENTIAL_IDS,
	buildSignedWebhook,
	signElevenLabsWebhook,
	startSandbox,
} from '../../sandbox';
import type { Sandbox, WebhookDelivery, WebhookPayloadType } from '../../sandbox';
import { conversationStore } from '../../sandbox/conversations';
import { silentMp3 } from '../../sandbox/transcripts';
import { N8nInstance } from '../../scripts/n8n';
import type { WorkflowJson } from '../../scripts/n8n';
import { PACKAGE_PREFIX as PACKAGE, TARBALL_ENV, manualWorkflow } from './helpers';

const TRIGGER_PATH = 'elevenlabs-post-call';
const NO_SECRET_CREDENTIAL = 'noSecretElevenLabs';
const WEBHOOK_IDS = { all: randomUUID(), only: randomUUID(), noSecret: randomUUID() };

let sandbox: Sandbox;
let n8n: N8nInstance;
let baseUrl: string;
let capture: Server;
let captureUrl: string;
/** What each workflow's Capture node posted: one entry per execution that started. */
const captured: Record<string, IDataObject[]> = { all: [], only: [], noSecret: [] };

const hookUrl = (key: keyof typeof WEBHOOK_IDS) =>
	`${baseUrl}/webhook/${WEBHOOK_IDS[key]}/${TRIGGER_PATH}`;

function triggerWorkflow(
	key: keyof typeof WEBHOOK_IDS,
	id: string,
	parameters: INodeParameters,
	credentialId: string,
): WorkflowJson {
	const trigger: INode = {
		id: 'trigger',
		name: 'ElevenLabs Agents Trigger',
		type: `${PACKAGE}.elevenLabsAgentsTrigger`,
		typeVersion: 1,
		position: [0, 0],
		webhookId: WEBHOOK_IDS[key],
		parameters,
		credentials: { elevenLabsAgentsApi: { id: credentialId, name: 'ElevenLabs' } },
	};
	const forward: INode = {
		id: 'capture',
		name: 'Capture',
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [250, 0],
		parameters: {
			method: 'POST',
			url: `${captureUrl}/${key}`,
			sendBody: true,
			specifyBody: 'json',
			jsonBody:
				'={{ JSON.stringify({ json: $json, binary: $input.item.binary && $input.item.binary.data ? { mimeType: $input.item.binary.data.mimeType, fileName: $input.item.binary.data.fileName } : null }) }}',
			options: {},
		},
	};
	return {
		id,
		name: `Trigger ${key}`,
		nodes: [trigger, forward],
		connections: { [trigger.name]: { main: [[{ node: forward.name, type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

/** Manual Trigger → Get Many (by idempotency key) → Get: what Get Transcript says about the same call. */
function getWorkflow(userId: string): WorkflowJson {
	const credentials = {
		elevenLabsAgentsApi: { id: N8N_CREDENTIAL_IDS.elevenLabsAgentsApi, name: 'ElevenLabs' },
	};
	const node = (name: string, parameters: INodeParameters): INode => ({
		id: name,
		name,
		type: `${PACKAGE}.transcript`,
		typeVersion: 1,
		position: [0, 0],
		parameters: { resource: 'conversation', ...parameters },
		credentials,
	});
	return manualWorkflow('getByKey', 'Get by key', [
		node('Find', { operation: 'list', limit: 1, filters: { userId } }),
		node('Get Transcript', { operation: 'get' }),
	]);
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 30_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = probe();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}

async function post(url: string, body: string | Buffer, headers: Record<string, string>) {
	const response = await fetch(url, { method: 'POST', headers, body });
	const text = await response.text();
	let json: IDataObject | undefined;
	try {
		json = JSON.parse(text) as IDataObject;
	} catch {
		json = undefined;
	}
	return { status: response.status, text, json };
}

/** A post-call event signed like ElevenLabs signs it, `ageSeconds` ago. */
function signed(
	type: WebhookPayloadType,
	data: unknown,
	options: { secret?: string; ageSeconds?: number } = {},
) {
	const timestamp = Math.floor(Date.now() / 1000) - (options.ageSeconds ?? 0);
	return buildSignedWebhook(
		type,
		data,
		options.secret ?? sandbox.credentials().elevenLabsAgentsApi.webhookSecret,
		timestamp,
	);
}

/** Starts nothing: gives n8n time to start a wrongly accepted execution, then checks none came. */
async function expectNothingStarted(key: keyof typeof captured, before: number) {
	await new Promise((resolve) => setTimeout(resolve, 1500));
	expect(captured[key]).toHaveLength(before);
}

beforeAll(async () => {
	capture = createServer((request, response) => {
		let body = '';
		request.on('data', (chunk) => (body += chunk));
		request.on('end', () => {
			const key = (request.url ?? '').slice(1);
			(captured[key] ??= []).push(JSON.parse(body) as IDataObject);
			response.end('{}');
		});
	});
	await new Promise<void>((resolve) => capture.listen(0, '127.0.0.1', resolve));
	captureUrl = `http://127.0.0.1:${(capture.address() as { port: number }).port}`;

	sandbox = await startSandbox({ port: 0 });
	// Jest sets NODE_ENV=test, with which `n8n start` exits at once without a word.
	n8n = await N8nInstance.create({
		tarball: process.env[TARBALL_ENV],
		label: 'trigger e2e',
		env: { NODE_ENV: 'production' },
	});
	const credentials = sandbox.n8nCredentials();
	await n8n.importCredentials([
		...credentials,
		{
			id: NO_SECRET_CREDENTIAL,
			name: 'ElevenLabs without webhook secret',
			type: 'elevenLabsAgentsApi',
			data: { ...sandbox.credentials().elevenLabsAgentsApi, webhookSecret: '' },
		},
	]);
	const main = N8N_CREDENTIAL_IDS.elevenLabsAgentsApi;
	const ids = await n8n.importWorkflows([
		triggerWorkflow(
			'all',
			'triggerAll',
			{ events: ['post_call_transcription', 'post_call_audio', 'call_initiation_failure'] },
			main,
		),
		triggerWorkflow(
			'only',
			'triggerOnly',
			{
				events: ['post_call_transcription'],
				options: { agentId: { __rl: true, mode: 'id', value: sandbox.ids.agents.recruitingDe } },
			},
			main,
		),
		triggerWorkflow(
			'noSecret',
			'triggerNoSecret',
			{ events: ['post_call_transcription'] },
			NO_SECRET_CREDENTIAL,
		),
	]);
	for (const id of ids) await n8n.publish(id);
	baseUrl = await n8n.start({
		webhookPaths: [`${WEBHOOK_IDS.all}/${TRIGGER_PATH}`, `${WEBHOOK_IDS.only}/${TRIGGER_PATH}`],
	});
	sandbox.setWebhook({
		url: hookUrl('all'),
		events: ['transcript', 'audio', 'call_initiation_failure'],
	});
}, 10 * 60_000);

afterAll(async () => {
	await n8n?.dispose();
	await sandbox?.close();
	capture?.close();
});

describe('post-call webhooks from the sandbox', () => {
	let transcription: WebhookDelivery;

	it('starts the workflow with the outcome of a finished call, shaped exactly like Get Transcript’s', async () => {
		const client = await import('@elevenlabs/elevenlabs-js').then(
			(sdk) => new sdk.ElevenLabsClient({ apiKey: sandbox.apiKey, baseUrl: sandbox.url }),
		);
		const { conversationId } = await client.conversationalAi.twilio.outboundCall({
			agentId: sandbox.ids.agents.recruitingDe,
			agentPhoneNumberId: sandbox.ids.phoneNumbers.twilioDe,
			toNumber: sandbox.scenarios.answered.number,
			conversationInitiationClientData: {
				userId: 'e2e-answered',
				dynamicVariables: {
					candidate_name: 'Anna Weber',
					company: 'Muster Pflege GmbH',
					job_title: 'Pflegefachkraft',
				},
			},
		});
		conversationStore(sandbox).settleAll();
		transcription = await sandbox.webhooks.waitFor('post_call_transcription', 20_000);
		expect(transcription.status).toBe(200);

		const started = await until('the transcription execution', () =>
			captured.all.find((entry) => (entry.json as IDataObject).event === 'post_call_transcription'),
		);
		const fromTrigger = started.json as IDataObject;
		expect(fromTrigger).toMatchObject({
			event: 'post_call_transcription',
			eventTimestamp: expect.any(Number),
			conversationId,
			status: 'done',
			callResult: 'answered',
			userId: 'e2e-answered',
			dataCollection: { consent_given: true, salary_expectation_eur: 52000 },
		});

		const getId = await n8n.importWorkflow(getWorkflow('e2e-answered'));
		const fromGet = await n8n.execute(getId);
		expect(fromGet.status).toBe('success');
		const outcome = { ...fromTrigger };
		delete outcome.event;
		delete outcome.eventTimestamp;
		expect(fromGet.json('Get Transcript')).toEqual([outcome]);
	});

	it('delivers the recording as binary audio/mpeg', async () => {
		const delivery = await sandbox.webhooks.waitFor('post_call_audio', 20_000);
		expect(delivery.status).toBe(200);
		const started = await until('the audio execution', () =>
			captured.all.find((entry) => (entry.json as IDataObject).event === 'post_call_audio'),
		);
		expect(started.json).toMatchObject({
			event: 'post_call_audio',
			fileSizeBytes: silentMp3(184).length,
		});
		expect(started.binary).toMatchObject({
			mimeType: 'audio/mpeg',
			fileName: expect.stringMatching(/^conv_.+\.mp3$/),
		});
	});

	it('reports a call that never connected, with the dialled number', async () => {
		const client = await import('@elevenlabs/elevenlabs-js').then(
			(sdk) => new sdk.ElevenLabsClient({ apiKey: sandbox.apiKey, baseUrl: sandbox.url }),
		);
		const { conversationId } = await client.conversationalAi.twilio.outboundCall({
			agentId: sandbox.ids.agents.recruitingDe,
			agentPhoneNumberId: sandbox.ids.phoneNumbers.twilioDe,
			toNumber: sandbox.scenarios.busy.number,
			conversationInitiationClientData: {
				dynamicVariables: { candidate_name: 'Max', company: 'X', job_title: 'Y' },
			},
		});
		conversationStore(sandbox).settleAll();
		const started = await until('the failure execution', () =>
			captured.all.find((entry) => (entry.json as IDataObject).conversationId === conversationId),
		);
		expect(started.json).toMatchObject({
			event: 'call_initiation_failure',
			status: 'failed',
			callResult: 'busy',
			toNumber: sandbox.scenarios.busy.number,
			transcriptText: '',
		});
	});

	describe('requests that start nothing', () => {
		const data = () => JSON.parse(transcription.rawBody).data as IDataObject;

		it('a correctly signed request is accepted (the control case)', async () => {
			const before = captured.all.length;
			// Another conversation: the sandbox's own delivery of this one was received already.
			const request = signed('post_call_transcription', {
				...data(),
				conversation_id: 'conv_control_case',
			});
			expect((await post(hookUrl('all'), request.rawBody, request.headers)).status).toBe(200);
			await until('the execution', () => (captured.all.length > before ? true : undefined));
		});

		it.each([
			[
				'no signature',
				() => ({ ...signed('post_call_transcription', data()), drop: true }),
				'no ElevenLabs-Signature header',
			],
			[
				'a signature with another secret',
				() => signed('post_call_transcription', data(), { secret: 'wsec_not_the_one' }),
				'does not match',
			],
			[
				'a timestamp older than 30 minutes',
				() => signed('post_call_transcription', data(), { ageSeconds: 31 * 60 }),
				'minutes old',
			],
			[
				'a timestamp far in the future',
				() => signed('post_call_transcription', data(), { ageSeconds: -10 * 60 }),
				'in the future',
			],
		])('answers 401 to %s', async (_name, make, reason) => {
			const before = captured.all.length;
			const request = make() as ReturnType<typeof signed> & { drop?: boolean };
			const headers = { ...request.headers };
			if (request.drop) delete headers['ElevenLabs-Signature'];
			const response = await post(hookUrl('all'), request.rawBody, headers);
			expect(response.status).toBe(401);
			expect(String(response.json?.error)).toContain(reason);
			expect(response.text).not.toContain(sandbox.credentials().elevenLabsAgentsApi.webhookSecret);
			await expectNothingStarted('all', before);
		});

		it('answers 401 to a body altered after signing', async () => {
			const before = captured.all.length;
			const request = signed('post_call_transcription', data());
			const altered = request.rawBody.replace('"consent_given"', '"consent_givem"');
			expect(altered).not.toBe(request.rawBody);
			const response = await post(hookUrl('all'), altered, request.headers);
			expect(response.status).toBe(401);
			await expectNothingStarted('all', before);
		});

		it('answers 400 to a signed body that is not JSON', async () => {
			const before = captured.all.length;
			const body = 'this is not json';
			const secret = sandbox.credentials().elevenLabsAgentsApi.webhookSecret;
			const headers = {
				'content-type': 'text/plain',
				'ElevenLabs-Signature': signElevenLabsWebhook(body, secret, Math.floor(Date.now() / 1000)),
			};
			const response = await post(hookUrl('all'), body, headers);
			expect(response.status).toBe(400);
			expect(response.json?.error).toBe('The body is not JSON');
			await expectNothingStarted('all', before);
		});

		it('refuses a non-JSON body sent as application/json before the node runs', async () => {
			const before = captured.all.length;
			const response = await post(hookUrl('all'), '{"type": "post_call_transcription", "data": {', {
				'content-type': 'application/json',
			});
			expect(response.status).toBeGreaterThanOrEqual(400);
			expect(response.status).toBeLessThan(500);
			await expectNothingStarted('all', before);
		});

		it('refuses a body over n8n’s size limit (16 MB by default) before the node runs', async () => {
			const before = captured.all.length;
			const huge = signed('post_call_audio', {
				agent_id: 'a',
				conversation_id: 'c',
				full_audio: 'A'.repeat(17 * 1024 * 1024),
			});
			const response = await post(hookUrl('all'), huge.rawBody, huge.headers);
			// n8n's body reader gives up (raw-body: "request entity too large"); n8n answers its generic 500.
			expect(response.status).toBe(500);
			expect(response.json?.message).toBe('There was a problem executing the workflow');
			await expectNothingStarted('all', before);
		});

		it('acknowledges an event type the trigger has not selected, or another agent’s call, and starts nothing', async () => {
			const before = captured.only.length;
			const audio = signed('post_call_audio', {
				agent_id: sandbox.ids.agents.recruitingDe,
				conversation_id: 'conv_x',
				full_audio: 'AAAA',
			});
			const ignoredType = await post(hookUrl('only'), audio.rawBody, audio.headers);
			expect(ignoredType.status).toBe(200);
			expect(ignoredType.json).toEqual({
				received: true,
				ignored: 'event type post_call_audio is not selected in this trigger',
			});
			const otherAgent = signed('post_call_transcription', {
				...data(),
				agent_id: sandbox.ids.agents.noOverrides,
			});
			const ignoredAgent = await post(hookUrl('only'), otherAgent.rawBody, otherAgent.headers);
			expect(ignoredAgent.status).toBe(200);
			expect(ignoredAgent.json?.ignored).toBe(
				`the call belongs to agent ${sandbox.ids.agents.noOverrides}`,
			);
			await expectNothingStarted('only', before);
			// …while the selected event of its agent does start it.
			const selected = signed('post_call_transcription', data());
			expect((await post(hookUrl('only'), selected.rawBody, selected.headers)).status).toBe(200);
			await until('the selected event', () => (captured.only.length > before ? true : undefined));
		});
	});

	it('does not activate a trigger whose credential has no webhook secret, and says why', async () => {
		const request = signed('post_call_transcription', JSON.parse(transcription.rawBody).data);
		const response = await post(hookUrl('noSecret'), request.rawBody, request.headers);
		expect(response.status).toBe(404);
		expect(n8n.serverLog).toContain('The ElevenLabs credential has no webhook secret');
		expect(captured.noSecret).toHaveLength(0);
	});
});
