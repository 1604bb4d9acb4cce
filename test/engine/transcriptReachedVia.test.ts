/**
 * How each conversation reached the person (`reachedVia`), through Get Transcript in n8n's real
 * engine against the sandbox: calls placed by Place Agent Call (first attempt and retry), a call
 * the candidate made to the agent's number, and a browser session without a phone call.
 */
import { createServer } from 'node:http';
import type { AddressInfo, Server } from 'node:net';

import { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import type { IDataObject } from 'n8n-workflow';
import WebSocket from 'ws';

import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { conversationStore } from '../../sandbox/conversations';
import { ATTEMPT_VARIABLE } from '../../nodes/shared/conversation/reachedVia';
import { CANDIDATE, NODE as PLACE_NODE, runPlace } from './agentCall.helpers';
import { VARIABLES, endSandboxCalls } from './sandbox.helpers';
import { NODE, runTranscript } from './transcript.helpers';

const AGENT_NUMBER = '+493012345670';
const OUTBOUND = '/v1/convai/twilio/outbound-call';

let sandbox: Sandbox;
/** Stands in for the callback workflow: answers ElevenLabs' initiation request with variables. */
let initiationWebhook: Server;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
	initiationWebhook = createServer((request, response) => {
		request.resume();
		request.on('end', () =>
			response.writeHead(200, { 'content-type': 'application/json' }).end(
				JSON.stringify({
					type: 'conversation_initiation_client_data',
					dynamic_variables: VARIABLES,
					user_id: 'cand-callback',
				}),
			),
		);
	});
	await new Promise<void>((resolve) => initiationWebhook.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
	await sandbox.close();
	await new Promise<void>((resolve) => initiationWebhook.close(() => resolve()));
});

beforeEach(() => {
	sandbox.reset();
	sandbox.clock.setSpeed(1);
});

const client = () => new ElevenLabsClient({ apiKey: sandbox.apiKey, baseUrl: sandbox.url });

/** Get Transcript's output for a finished conversation. */
async function outcomeOf(conversationId: string): Promise<IDataObject> {
	const result = await runTranscript(sandbox, { operation: 'get' }, [{ conversationId }]);
	expect(result.status).toBe('success');
	return result.json(NODE)[0];
}

/** The client data each dial of the run sent, in order. */
const sentClientData = () =>
	sandbox.requests
		.filter('POST', OUTBOUND)
		.map((r) => (r.body as IDataObject).conversation_initiation_client_data as IDataObject);

describe('Get Transcript: how the person was reached', () => {
	it('first_call: a first attempt of Place Agent Call that was answered', async () => {
		const placed = await runPlace(sandbox, [CANDIDATE], { campaign: 'reach-first' });
		endSandboxCalls(sandbox);
		const conversationId = String(placed.json(PLACE_NODE)[0].conversationId);
		expect(await outcomeOf(conversationId)).toMatchObject({
			callResult: 'answered',
			reachedVia: 'first_call',
		});
		// A first attempt sends the call's variables unchanged.
		expect(sentClientData()[0].dynamic_variables).not.toHaveProperty(ATTEMPT_VARIABLE);
	});

	it('retry: Place Agent Call’s second attempt carries its number; answered, it reads as a retry', async () => {
		const budget = {
			campaign: 'reach-retry',
			options: { maxAttempts: 3, hoursBetweenAttempts: 0 },
		};
		// The scenario number that does not pick up the first call and answers the second.
		const later = { ...CANDIDATE, phone: sandbox.scenarios.answersSecondCall.number };
		const first = await runPlace(sandbox, [later], budget);
		endSandboxCalls(sandbox);
		const second = await runPlace(sandbox, [later], budget);
		endSandboxCalls(sandbox);
		const [firstData, secondData] = sentClientData();
		expect(firstData.dynamic_variables).not.toHaveProperty(ATTEMPT_VARIABLE);
		expect(secondData.dynamic_variables).toEqual({
			...(firstData.dynamic_variables as IDataObject),
			[ATTEMPT_VARIABLE]: 2,
		});
		// The idempotency key stays the candidate's on every attempt.
		expect(secondData.user_id).toBe(firstData.user_id);
		const missed = await outcomeOf(String(first.json(PLACE_NODE)[0].conversationId));
		expect(missed).toMatchObject({ callResult: 'no_answer', reachedVia: null });
		const reached = await outcomeOf(String(second.json(PLACE_NODE)[0].conversationId));
		expect(reached).toMatchObject({
			callResult: 'answered',
			reachedVia: 'retry',
			userId: firstData.user_id,
		});
	});

	it('callback: the candidate rang the agent’s number and the callback workflow answered', async () => {
		const elevenLabs = client();
		const { port } = initiationWebhook.address() as AddressInfo;
		await elevenLabs.conversationalAi.settings.update({
			conversationInitiationClientDataWebhook: {
				url: `http://127.0.0.1:${port}/initiation`,
				requestHeaders: {},
			},
		});
		await elevenLabs.conversationalAi.agents.update(sandbox.ids.agents.recruitingDe, {
			platformSettings: { overrides: { enableConversationInitiationClientDataFromWebhook: true } },
		});
		const response = await fetch(`${sandbox.url}/_sandbox/inbound-call`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ from: sandbox.scenarios.answered.number, to: AGENT_NUMBER }),
		});
		const call = (await response.json()) as { conversationId: string; error: string | null };
		expect(call.error).toBeNull();
		endSandboxCalls(sandbox);
		expect(await outcomeOf(call.conversationId)).toMatchObject({
			callResult: 'answered',
			reachedVia: 'callback',
			userId: 'cand-callback',
		});
	});

	it('browser: a session of the interview page, without a phone call', async () => {
		const { signedUrl } = await client().conversationalAi.conversations.getSignedUrl({
			agentId: sandbox.ids.agents.recruitingDe,
		});
		// What @elevenlabs/client sends: the client data first, then the candidate's turns.
		const socket = new WebSocket(`${signedUrl}&source=js_sdk&version=1.25.0`, ['convai']);
		const received: IDataObject[] = [];
		const arrived = (type: string) =>
			new Promise<IDataObject>((resolve) => {
				const check = () => received.find((m) => m.type === type);
				const found = check();
				if (found) return resolve(found);
				socket.on('message', () => {
					const later = check();
					if (later) resolve(later);
				});
			});
		socket.on('message', (data) => received.push(JSON.parse(String(data)) as IDataObject));
		await new Promise((resolve) => socket.once('open', resolve));
		socket.send(
			JSON.stringify({
				type: 'conversation_initiation_client_data',
				dynamic_variables: VARIABLES,
				user_id: 'cand-browser',
			}),
		);
		const metadata = await arrived('conversation_initiation_metadata');
		const conversationId = String(
			(metadata.conversation_initiation_metadata_event as IDataObject).conversation_id,
		);
		await arrived('agent_response');
		socket.send(JSON.stringify({ type: 'user_message', text: 'Ja, ich habe Zeit.' }));
		await arrived('user_transcript');
		const closed = new Promise((resolve) => socket.once('close', resolve));
		socket.close(1000);
		await closed;
		await waitFor(() => conversationStore(sandbox).get(conversationId)?.status !== 'in-progress');
		endSandboxCalls(sandbox);
		expect(await outcomeOf(conversationId)).toMatchObject({
			status: 'done',
			callResult: 'answered',
			reachedVia: 'browser',
			toNumber: null,
		});
	});
});

/** Polls until `done` holds (the socket's close reaches the server a moment after the client's). */
async function waitFor(done: () => boolean): Promise<void> {
	for (let i = 0; i < 100 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
	expect(done()).toBe(true);
}
