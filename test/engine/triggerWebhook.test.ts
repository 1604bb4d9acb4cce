/**
 * The ElevenLabs Agents Trigger's webhook() in n8n-core's real webhook context: the sandbox's own
 * signed post-call webhooks start it, its output matches Get Transcript's, and every unsigned,
 * tampered, stale, unreadable or unselected request is answered without starting anything. The
 * same cases run in a real n8n in test/e2e/triggerWebhook.test.ts.
 */
import { randomUUID } from 'node:crypto';

import type { IBinaryData, IDataObject, INodeParameters } from 'n8n-workflow';

import { buildSignedWebhook, signElevenLabsWebhook, startSandbox } from '../../sandbox';
import type { Sandbox, WebhookDelivery, WebhookPayloadType } from '../../sandbox';
import { silentMp3 } from '../../sandbox/transcripts';
import { outputFields } from '../../nodes/ElevenLabsAgentsTrigger/ElevenLabsAgentsTrigger.node';
import { ATTEMPT_VARIABLE } from '../../nodes/shared/conversation/reachedVia';
import { declarationGaps, NO_GAPS } from '../outputFields';
import { locator, runWebhook, serveWebhook } from './harness';
import type { PackageNode, WebhookEndpoint, WebhookRequest, WebhookRun } from './harness';
import { elevenLabsCredential, endSandboxCalls, startSandboxCall } from './sandbox.helpers';
import { NODE as GET_NODE, runTranscript } from './transcript.helpers';

const TRIGGER = 'ElevenLabs Agents Trigger';
const ALL_EVENTS = ['post_call_transcription', 'post_call_audio', 'call_initiation_failure'];

let sandbox: Sandbox;
let endpoint: WebhookEndpoint;

function triggerNode(parameters: INodeParameters): PackageNode {
	return { type: 'elevenLabsAgentsTrigger', name: TRIGGER, parameters };
}

const secret = () => sandbox.credentials().elevenLabsAgentsApi.webhookSecret;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
	endpoint = await serveWebhook(triggerNode({ events: ALL_EVENTS }), {
		credentials: elevenLabsCredential(sandbox),
	});
});

afterAll(async () => {
	await endpoint.close();
	await sandbox.close();
});

beforeEach(() => {
	sandbox.reset();
	sandbox.setWebhook({
		url: endpoint.url,
		events: ['transcript', 'audio', 'call_initiation_failure'],
	});
	endpoint.runs.length = 0;
});

/**
 * The sandbox's delivery of `type` for this conversation. Matched by conversation: a call of an
 * earlier test may still be delivering (the audio follows the transcription).
 */
async function deliveryFor(
	type: WebhookPayloadType,
	conversationId: string,
): Promise<WebhookDelivery> {
	const delivery = await sandbox.webhooks.waitFor(
		(sent) => sent.type === type && sent.rawBody.includes(conversationId),
	);
	expect(delivery).toMatchObject({ status: 200, ok: true });
	return delivery;
}

/** The trigger's run for that delivery, once the sandbox has had its answer. */
async function deliveredRun(type: WebhookPayloadType, conversationId: string): Promise<WebhookRun> {
	await deliveryFor(type, conversationId);
	const run = endpoint.runs.find(
		({ items: [item] }) => item?.json.event === type && item.json.conversationId === conversationId,
	);
	if (!run) throw new Error(`No run of the trigger started with ${type} of ${conversationId}`);
	return run;
}

/** The transcription webhook the sandbox sends when an answered call ends. */
async function transcriptionDelivery(): Promise<WebhookDelivery> {
	const conversationId = await startSandboxCall(sandbox, 'answered');
	endSandboxCalls(sandbox);
	return await deliveryFor('post_call_transcription', conversationId);
}

/**
 * Its data: a real conversation's, for requests signed by the test itself, under a conversation
 * id of its own (the sandbox's delivery of the real one was received, and a repeat starts nothing).
 */
async function transcriptionData(): Promise<IDataObject> {
	const { data } = JSON.parse((await transcriptionDelivery()).rawBody) as { data: IDataObject };
	return { ...data, conversation_id: `conv_signed_${randomUUID()}` };
}

/** A post-call event signed like ElevenLabs signs it, `ageSeconds` ago. */
function signed(
	type: WebhookPayloadType,
	data: unknown,
	options: { secret?: string; ageSeconds?: number } = {},
): WebhookRequest {
	const timestamp = Math.floor(Date.now() / 1000) - (options.ageSeconds ?? 0);
	return buildSignedWebhook(type, data, options.secret ?? secret(), timestamp);
}

/** The trigger's webhook() for one request; every event selected unless `parameters` say otherwise. */
async function trigger(
	request: WebhookRequest,
	parameters: INodeParameters = { events: ALL_EVENTS },
	credentials = elevenLabsCredential(sandbox),
) {
	return await runWebhook(triggerNode(parameters), request, { credentials });
}

/** Answered by the node itself with `status`, and no workflow started. */
function expectRefused(run: WebhookRun, status: number) {
	expect(run.answered.status).toBe(status);
	expect(run.returned).toEqual({ noWebhookResponse: true });
	expect(run.items).toEqual([]);
}

describe('post-call webhooks from the sandbox', () => {
	it('starts the workflow with the outcome of a finished call, shaped exactly like Get Transcript’s', async () => {
		const conversationId = await startSandboxCall(sandbox, 'answered', {
			userId: 'engine-answered',
		});
		endSandboxCalls(sandbox);
		const run = await deliveredRun('post_call_transcription', conversationId);
		expect(run.items).toHaveLength(1);
		const [item] = run.items;
		expect(item.json).toMatchObject({
			event: 'post_call_transcription',
			eventTimestamp: expect.any(Number),
			conversationId,
			status: 'done',
			callResult: 'answered',
			reachedVia: 'first_call',
			userId: 'engine-answered',
			dataCollection: { consent_given: true, salary_expectation_eur: 52000 },
		});
		expect(item.binary).toBeUndefined();
		expect(declarationGaps(item.json, outputFields)).toEqual(NO_GAPS);

		const fromGet = await runTranscript(sandbox, { operation: 'get' }, [{ conversationId }]);
		const outcome = { ...item.json };
		delete outcome.event;
		delete outcome.eventTimestamp;
		expect(fromGet.json(GET_NODE)).toEqual([outcome]);
	});

	it('says how the person was reached: a retry, a callback, a browser session', async () => {
		const data = await transcriptionData();
		const metadata = data.metadata as IDataObject;
		const phoneCall = metadata.phone_call as IDataObject;
		const clientData = data.conversation_initiation_client_data as IDataObject;
		const variables = clientData.dynamic_variables as IDataObject;
		const ways: Array<[string, IDataObject]> = [
			[
				'retry',
				{
					...data,
					conversation_initiation_client_data: {
						...clientData,
						dynamic_variables: { ...variables, [ATTEMPT_VARIABLE]: 2 },
					},
				},
			],
			[
				'callback',
				{ ...data, metadata: { ...metadata, phone_call: { ...phoneCall, direction: 'inbound' } } },
			],
			['browser', { ...data, metadata: { ...metadata, phone_call: undefined } }],
		];
		for (const [way, variant] of ways) {
			const conversationId = `conv_signed_${randomUUID()}`;
			const run = await trigger(
				signed('post_call_transcription', { ...variant, conversation_id: conversationId }),
			);
			expect(run.items[0].json).toMatchObject({
				conversationId,
				callResult: 'answered',
				reachedVia: way,
			});
		}
	});

	it('delivers the recording as binary audio/mpeg', async () => {
		const conversationId = await startSandboxCall(sandbox, 'answered');
		endSandboxCalls(sandbox);
		const [item] = (await deliveredRun('post_call_audio', conversationId)).items;
		const audio = silentMp3(184);
		expect(item.json).toEqual({
			event: 'post_call_audio',
			eventTimestamp: expect.any(Number),
			conversationId,
			agentId: sandbox.ids.agents.recruitingDe,
			fileName: `${conversationId}.mp3`,
			fileSizeBytes: audio.length,
		});
		expect(declarationGaps(item.json, outputFields)).toEqual(NO_GAPS);
		const binary = item.binary?.data as IBinaryData;
		expect(binary).toMatchObject({ mimeType: 'audio/mpeg', fileName: `${conversationId}.mp3` });
		expect(Buffer.from(binary.data, 'base64').equals(audio)).toBe(true);
	});

	it('puts the audio into the binary field given', async () => {
		const conversationId = await startSandboxCall(sandbox, 'answered');
		endSandboxCalls(sandbox);
		const delivery = await deliveryFor('post_call_audio', conversationId);
		const { data } = JSON.parse(delivery.rawBody) as { data: IDataObject };
		const request = signed('post_call_audio', { ...data, conversation_id: `conv_${randomUUID()}` });
		const run = await trigger(request, {
			events: ALL_EVENTS,
			options: { binaryPropertyName: 'recording' },
		});
		expect(Object.keys(run.items[0].binary ?? {})).toEqual(['recording']);
		expect(run.items[0].binary?.recording).toMatchObject({ mimeType: 'audio/mpeg' });
	});

	it('reports a call that never connected, with the dialled number', async () => {
		const conversationId = await startSandboxCall(sandbox, 'busy');
		endSandboxCalls(sandbox);
		const run = await deliveredRun('call_initiation_failure', conversationId);
		expect(run.items).toHaveLength(1);
		expect(run.items[0].json).toMatchObject({
			event: 'call_initiation_failure',
			conversationId,
			status: 'failed',
			callResult: 'busy',
			reachedVia: null,
			toNumber: sandbox.scenarios.busy.number,
			transcriptText: '',
		});
		expect(declarationGaps(run.items[0].json, outputFields)).toEqual(NO_GAPS);
	});
});

describe('requests that start nothing', () => {
	it('a correctly signed request starts the workflow (the control case)', async () => {
		const run = await trigger(signed('post_call_transcription', await transcriptionData()));
		expect(run.answered).toEqual({ status: 200, json: { received: true } });
		expect(run.returned.noWebhookResponse).toBe(true);
		expect(run.items).toHaveLength(1);
	});

	it.each([
		['no signature', { drop: true }, 'The request has no ElevenLabs-Signature header'],
		['a signature with another secret', { secret: 'wsec_not_the_one' }, 'does not match'],
		['a timestamp older than 30 minutes', { ageSeconds: 31 * 60 }, 'minutes old'],
		['a timestamp far in the future', { ageSeconds: -10 * 60 }, 'in the future'],
	])(
		'answers 401 to %s',
		async (_name, options: { drop?: boolean; secret?: string; ageSeconds?: number }, reason) => {
			const request = signed('post_call_transcription', await transcriptionData(), options);
			const headers = options.drop ? { 'content-type': 'application/json' } : request.headers;
			const run = await trigger({ ...request, headers });
			expectRefused(run, 401);
			expect(String((run.answered.json as IDataObject).error)).toContain(reason);
			expect(JSON.stringify(run.answered)).not.toContain(secret());
		},
	);

	it('answers 401 to a body altered after signing', async () => {
		const request = signed('post_call_transcription', await transcriptionData());
		const altered = String(request.rawBody).replace('"consent_given"', '"consent_givem"');
		expect(altered).not.toBe(request.rawBody);
		const run = await trigger({ ...request, rawBody: altered });
		expectRefused(run, 401);
		expect(run.answered.json).toEqual({
			error: 'The signature does not match the body and the webhook secret',
		});
	});

	it('answers 401 to a request without a body', async () => {
		const run = await trigger({ headers: signed('post_call_transcription', {}).headers });
		expectRefused(run, 401);
		expect(run.answered.json).toEqual({ error: 'The request has no body to verify' });
	});

	it('answers 401 when the credential has no webhook secret', async () => {
		const request = signed('post_call_transcription', await transcriptionData());
		const run = await trigger(
			request,
			{ events: ALL_EVENTS },
			elevenLabsCredential(sandbox, { webhookSecret: '' }),
		);
		expectRefused(run, 401);
		expect(run.answered.json).toEqual({ error: 'The ElevenLabs credential has no webhook secret' });
	});

	it('answers 400 to a signed body that is not JSON', async () => {
		const body = 'this is not json';
		const headers = {
			'content-type': 'text/plain',
			'ElevenLabs-Signature': signElevenLabsWebhook(body, secret(), Math.floor(Date.now() / 1000)),
		};
		const run = await trigger({ headers, rawBody: body });
		expectRefused(run, 400);
		expect(run.answered.json).toEqual({ error: 'The body is not JSON' });
	});

	it.each([
		[
			'transcript as text',
			{ transcript: 'x' },
			'The transcription event is malformed: transcript is not a list',
		],
		[
			'turns that are not objects',
			{ transcript: ['x', 1] },
			'The transcription event is malformed: transcript has entries that are not turns',
		],
		[
			'analysis as a list',
			{ analysis: [] },
			'The transcription event is malformed: analysis is not an object',
		],
		[
			'metadata as a number',
			{ metadata: 5 },
			'The transcription event is malformed: metadata is not an object',
		],
	])(
		'answers 400 to a signed transcription with %s, and starts nothing',
		async (_label, change, error) => {
			const run = await trigger(
				signed('post_call_transcription', { ...(await transcriptionData()), ...change }),
			);
			expectRefused(run, 400);
			expect(run.answered.json).toEqual({ error });
		},
	);

	it('answers 400 to a signed body with a "__proto__" key, and starts nothing', async () => {
		const data = await transcriptionData();
		const body = JSON.stringify({
			type: 'post_call_transcription',
			event_timestamp: 1,
			data,
		}).replace('"data":{', '"data":{"__proto__":{"polluted":true},');
		const headers = {
			'content-type': 'application/json',
			'ElevenLabs-Signature': signElevenLabsWebhook(body, secret(), Math.floor(Date.now() / 1000)),
		};
		const run = await trigger({ headers, rawBody: body });
		expectRefused(run, 400);
		expect(run.answered.json).toEqual({
			error: 'The body has a field named "__proto__", which no ElevenLabs event has',
		});
		expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
	});

	it('builds the audio file name from safe characters of the conversation id only', async () => {
		const audio = {
			agent_id: sandbox.ids.agents.recruitingDe,
			conversation_id: '../../etc/passwd',
			full_audio: silentMp3(2).toString('base64'),
		};
		const run = await trigger(signed('post_call_audio', audio));
		expect(run.items).toHaveLength(1);
		expect(run.items[0].json.fileName).toBe('etc_passwd.mp3');
		expect((run.items[0].binary?.data as IBinaryData).fileName).toBe('etc_passwd.mp3');
	});

	it.each([
		['8 bytes', Buffer.from('ID3abcde'), 'it has only 8 bytes, too short for a recording'],
		[
			'2 KB of zeros',
			Buffer.alloc(2048),
			'it does not begin like an MP3 file (no ID3 tag or MPEG frame)',
		],
	])(
		'answers 400 to audio that is not a recording (%s), and starts nothing',
		async (_label, bytes, problem) => {
			const audio = {
				agent_id: sandbox.ids.agents.recruitingDe,
				conversation_id: 'conv_x',
				full_audio: bytes.toString('base64'),
			};
			const run = await trigger(signed('post_call_audio', audio));
			expectRefused(run, 400);
			expect(run.answered.json).toEqual({
				error: `The audio event's full_audio is not a recording: ${problem}`,
			});
		},
	);

	it('answers 400 to an event without conversation or agent', async () => {
		const run = await trigger(signed('call_initiation_failure', { failure_reason: 'busy' }));
		expectRefused(run, 400);
		expect(run.answered.json).toEqual({ error: 'The event has no conversation_id or agent_id' });
	});

	it('acknowledges an event type the trigger has not selected, or another agent’s call, and starts nothing', async () => {
		const only = {
			events: ['post_call_transcription'],
			options: { agentId: locator(sandbox.ids.agents.recruitingDe) },
		};
		const data = await transcriptionData();
		const audio = signed('post_call_audio', {
			agent_id: sandbox.ids.agents.recruitingDe,
			conversation_id: 'conv_x',
			full_audio: 'AAAA',
		});
		const ignoredType = await trigger(audio, only);
		expect(ignoredType.returned).toEqual({
			webhookResponse: {
				received: true,
				ignored: 'event type post_call_audio is not selected in this trigger',
			},
		});
		expect(ignoredType.answered).toEqual({});
		expect(ignoredType.items).toEqual([]);

		const ignoredAgent = await trigger(
			signed('post_call_transcription', { ...data, agent_id: sandbox.ids.agents.noOverrides }),
			only,
		);
		expect(ignoredAgent.returned).toEqual({
			webhookResponse: {
				received: true,
				ignored: `the call belongs to agent ${sandbox.ids.agents.noOverrides}`,
			},
		});
		expect(ignoredAgent.items).toEqual([]);

		// …while the selected event of its agent does start it.
		const selected = await trigger(signed('post_call_transcription', data), only);
		expect(selected.items).toHaveLength(1);
	});

	it('answers the sandbox’s delivery itself: 200 when it starts the workflow', async () => {
		const delivery = await transcriptionDelivery();
		expect(delivery).toMatchObject({ type: 'post_call_transcription', status: 200 });
		expect(JSON.parse(String(delivery.responseBody))).toEqual({ received: true });
	});
});
