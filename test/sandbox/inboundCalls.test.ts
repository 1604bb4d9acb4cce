/**
 * The sandbox's calls to an agent's number: the workspace's initiation webhook setting, the
 * request ElevenLabs sends while the phone rings, and a conversation that fails without the
 * variables the agent needs, as at ElevenLabs; and the scenario number that calls back.
 */
import { createServer } from 'node:http';
import type { AddressInfo, Server } from 'node:net';

import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { conversationStore } from '../../sandbox/conversations';
import { initiationDeliveries } from '../../sandbox/routes/inboundCalls';
import { elevenLabs } from './helpers';

const AGENT_NUMBER = '+493012345670';

let sandbox: Sandbox;
let receiver: Server;
let receiverUrl: string;
let answer: (body: Record<string, unknown>) => unknown = () => ({});
const received: Array<{ headers: Record<string, unknown>; body: Record<string, unknown> }> = [];

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
	receiver = createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
			received.push({ headers: request.headers, body });
			void Promise.resolve(answer(body)).then((value) =>
				response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(value)),
			);
		});
	});
	await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
	receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/initiation`;
});
afterAll(async () => {
	await sandbox.close();
	await new Promise<void>((resolve) => receiver.close(() => resolve()));
});
beforeEach(() => {
	sandbox.reset();
	received.length = 0;
});

async function ring(from: string, timeoutMs?: number) {
	const response = await fetch(`${sandbox.url}/_sandbox/inbound-call`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ from, to: AGENT_NUMBER, timeoutMs }),
	});
	return (await response.json()) as { conversationId: string; error: string | null };
}

async function setUp(allowed = true) {
	const client = elevenLabs(sandbox);
	await client.conversationalAi.settings.update({
		conversationInitiationClientDataWebhook: {
			url: receiverUrl,
			requestHeaders: { 'x-secret': 'abc' },
		},
	});
	await client.conversationalAi.agents.update(sandbox.ids.agents.recruitingDe, {
		platformSettings: { overrides: { enableConversationInitiationClientDataFromWebhook: allowed } },
	});
}

describe('calls to an agent number', () => {
	it('keeps the initiation webhook setting per workspace, and null clears it', async () => {
		const client = elevenLabs(sandbox);
		expect(
			(await client.conversationalAi.settings.get()).conversationInitiationClientDataWebhook,
		).toBeUndefined();
		await setUp();
		expect(
			(await client.conversationalAi.settings.get()).conversationInitiationClientDataWebhook,
		).toEqual({
			url: receiverUrl,
			requestHeaders: { 'x-secret': 'abc' },
		});
		await client.conversationalAi.settings.update({
			conversationInitiationClientDataWebhook: null as never,
		});
		expect(
			(await client.conversationalAi.settings.get()).conversationInitiationClientDataWebhook,
		).toBeUndefined();
	});

	it('asks the webhook with ElevenLabs’ request and starts the call with its variables', async () => {
		await setUp();
		answer = () => ({
			type: 'conversation_initiation_client_data',
			dynamic_variables: {
				candidate_name: 'Erika Muster',
				job_title: 'Pflegefachkraft',
				company: 'Muster GmbH',
			},
			user_id: 'cand-1',
		});
		const call = await ring('+4917112345640');
		expect(call.error).toBeNull();
		expect(received).toEqual([
			{
				headers: expect.objectContaining({ 'x-secret': 'abc' }),
				body: {
					caller_id: '+4917112345640',
					agent_id: sandbox.ids.agents.recruitingDe,
					called_number: AGENT_NUMBER,
					call_sid: expect.stringMatching(/^CA/),
				},
			},
		]);
		const conversation = conversationStore(sandbox).get(call.conversationId)!;
		expect(conversation.userId).toBe('cand-1');
		expect(conversation.phoneCall).toMatchObject({
			direction: 'inbound',
			externalNumber: '+4917112345640',
		});
	});

	it('fails the conversation for a missing variable, as ElevenLabs does, without a webhook or its permission', async () => {
		expect((await ring('+4917112345640')).error).toBe(
			"Missing required dynamic variables in first message: {'candidate_name', 'company', 'job_title'}",
		);
		await setUp(false);
		answer = () => ({ type: 'conversation_initiation_client_data', dynamic_variables: {} });
		expect((await ring('+4917112345640')).error).toMatch(/^Missing required dynamic variables/);
		expect(received).toHaveLength(0);
	});

	it('goes on without client data when the webhook answers too late', async () => {
		await setUp();
		answer = async () => {
			await new Promise((resolve) => setTimeout(resolve, 400));
			return {
				type: 'conversation_initiation_client_data',
				dynamic_variables: { candidate_name: 'Zu Spät', job_title: 'Koch', company: 'Muster GmbH' },
			};
		};
		const call = await ring('+4917112345640', 100);
		expect(call.error).toMatch(/^Missing required dynamic variables/);
		expect(initiationDeliveries(sandbox).at(-1)).toMatchObject({ used: false, timedOut: true });
	});

	it('the callsBack number rings the agent number back after an unanswered call', async () => {
		await setUp();
		answer = () => ({
			type: 'conversation_initiation_client_data',
			dynamic_variables: {
				candidate_name: 'Rolf Rückruf',
				job_title: 'Koch',
				company: 'Muster GmbH',
			},
		});
		await elevenLabs(sandbox).conversationalAi.twilio.outboundCall({
			agentId: sandbox.ids.agents.recruitingDe,
			agentPhoneNumberId: sandbox.ids.phoneNumbers.twilioDe,
			toNumber: sandbox.scenarios.callsBack.number,
			conversationInitiationClientData: {
				dynamicVariables: {
					candidate_name: 'Rolf Rückruf',
					job_title: 'Koch',
					company: 'Muster GmbH',
				},
			},
		});
		sandbox.clock.advance(30_000);
		sandbox.clock.advance(120_000);
		for (let waited = 0; waited < 50 && !received.length; waited++)
			await new Promise((resolve) => setTimeout(resolve, 20));
		expect(received[0]?.body).toMatchObject({ caller_id: sandbox.scenarios.callsBack.number });
		await new Promise((resolve) => setTimeout(resolve, 50));
		const inbound = conversationStore(sandbox)
			.list()
			.find((conversation) => conversation.phoneCall?.direction === 'inbound');
		expect(inbound?.clientData).toMatchObject({
			dynamicVariables: { candidate_name: 'Rolf Rückruf' },
		});
	});

	it('the answersSecondCall number does not pick up the first call and answers the second', async () => {
		const call = async () => {
			const { conversationId } = await elevenLabs(sandbox).conversationalAi.twilio.outboundCall({
				agentId: sandbox.ids.agents.recruitingDe,
				agentPhoneNumberId: sandbox.ids.phoneNumbers.twilioDe,
				toNumber: sandbox.scenarios.answersSecondCall.number,
				conversationInitiationClientData: {
					dynamicVariables: {
						candidate_name: 'Rita Retry',
						job_title: 'Koch',
						company: 'Muster GmbH',
					},
				},
			});
			conversationStore(sandbox).settleAll();
			return (await elevenLabs(sandbox).conversationalAi.conversations.get(conversationId!))
				.metadata;
		};
		expect((await call()).phoneCall?.callResult).toBe('no_answer');
		const second = await call();
		expect(second.phoneCall?.callResult).toBe('answered');
		expect(second.callDurationSecs).toBe(sandbox.scenarios.answered.talkSecs);
		expect((await call()).phoneCall?.callResult).toBe('answered');
	});
});
