/**
 * Twilio status callbacks of calls created with the Twilio SDK (TwiML from ElevenLabs'
 * register-call), received by a local HTTP server: the events asked for, in order, with the call's
 * status as the conversation moves on, form-encoded and signed so that Twilio's own
 * `validateRequest` accepts them.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';

import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { conversationStore } from '../../sandbox/conversations';
import { statusCallbacksOf } from '../../sandbox/routes/twilioCalls';
import { elevenLabs, twilioClient } from './helpers';

interface Received {
	method: string;
	url: string;
	signature: string;
	params: Record<string, string>;
}

let sandbox: Sandbox;
let received: Received[] = [];
let callbackUrl: string;
const server = createServer((request, response) => {
	let body = '';
	request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
	request.on('end', () => {
		received.push({
			method: request.method ?? '',
			url: request.url ?? '',
			signature: String(request.headers['x-twilio-signature'] ?? ''),
			params: Object.fromEntries(new URLSearchParams(body)),
		});
		response.writeHead(204).end();
	});
});

beforeAll(async () => {
	sandbox = await startSandbox();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	callbackUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/twilio/status?campaign=e2e`;
});

afterAll(async () => {
	await sandbox.close();
	await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
	sandbox.reset();
	received = [];
});

async function callWithCallbacks(
	toNumber: string,
	events?: Array<'initiated' | 'ringing' | 'answered' | 'completed'>,
	registered: { direction?: 'inbound' | 'outbound' } = { direction: 'outbound' },
) {
	const { accountSid, authToken } = sandbox.twilio;
	const twiml = await elevenLabs(sandbox).conversationalAi.twilio.registerCall({
		agentId: sandbox.ids.agents.recruitingDe,
		fromNumber: sandbox.numbers.twilioBerlin,
		toNumber,
		direction: registered.direction,
		conversationInitiationClientData: {
			dynamicVariables: {
				candidate_name: 'Anna Schmidt',
				company: 'Muster GmbH',
				job_title: 'Lagerist',
			},
		},
	});
	const call = await twilioClient(sandbox, accountSid, authToken).calls.create({
		to: toNumber,
		from: sandbox.numbers.twilioBerlin,
		twiml,
		statusCallback: callbackUrl,
		statusCallbackMethod: 'POST',
		...(events ? { statusCallbackEvent: events } : {}),
	});
	// Every call ends as its number decides, at once.
	conversationStore(sandbox).settleAll();
	await statusCallbacksOf(sandbox).flush();
	return call;
}

describe('status callbacks', () => {
	it('an answered call reports every asked-for step, in order, signed with the auth token', async () => {
		const call = await callWithCallbacks('+4917112345601', [
			'initiated',
			'ringing',
			'answered',
			'completed',
		]);
		expect(received.map((r) => r.params.CallStatus)).toEqual([
			'queued',
			'ringing',
			'in-progress',
			'completed',
		]);
		expect(received.map((r) => r.params.SequenceNumber)).toEqual(['0', '1', '2', '3']);
		for (const r of received) {
			expect(r.method).toBe('POST');
			expect(r.params).toMatchObject({
				CallSid: call.sid,
				AccountSid: sandbox.twilio.accountSid,
				From: sandbox.numbers.twilioBerlin,
				To: '+4917112345601',
				Direction: 'outbound-api',
				CallbackSource: 'call-progress-events',
			});
			expect(
				twilio.validateRequest(sandbox.twilio.authToken, r.signature, callbackUrl, r.params),
			).toBe(true);
		}
		expect(Number(received[3].params.CallDuration)).toBeGreaterThan(0);
		// A wrong token does not validate: the signature really is the account's.
		expect(
			twilio.validateRequest('wrong-token', received[0].signature, callbackUrl, received[0].params),
		).toBe(false);
	});

	it('without StatusCallbackEvent only the end is reported, as Twilio does; busy and no answer say so', async () => {
		await callWithCallbacks('+4917112345603');
		await callWithCallbacks('+4917112345604');
		expect(received.map((r) => [r.params.To, r.params.CallStatus])).toEqual([
			['+4917112345603', 'busy'],
			['+4917112345604', 'no-answer'],
		]);
	});
});

describe('the conversation of a registered call', () => {
	it('has the direction it was registered with: outbound as asked, inbound by default, as ElevenLabs records it', async () => {
		const directionOf = async (direction: 'inbound' | 'outbound' | undefined) => {
			sandbox.reset();
			await callWithCallbacks('+4917112345601', undefined, { direction });
			const [latest] = conversationStore(sandbox).list();
			const conversation = await elevenLabs(sandbox).conversationalAi.conversations.get(
				latest.conversationId,
			);
			return conversation.metadata.phoneCall?.direction;
		};
		expect(await directionOf('outbound')).toBe('outbound');
		expect(await directionOf(undefined)).toBe('inbound');
	});
});
