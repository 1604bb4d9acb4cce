/**
 * The Twilio SMS Trigger in n8n-core's real hook and webhook contexts against the sandbox's
 * Twilio: activation points the number's SmsUrl at the trigger and deactivation puts back what
 * was there; a candidate's reply, signed as Twilio signs it, starts the workflow; STOP (and
 * STOPP) puts the number on the do-not-call list, after which no call and no text reaches it;
 * an unsigned or tampered request is answered 401 and starts nothing.
 */
import twilio from 'twilio';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { outputFields } from '../../nodes/TwilioSmsTrigger/TwilioSmsTrigger.node';
import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { conversationStore } from '../../sandbox/conversations';
import {
	inboundDeliveries,
	sandboxMessages,
	SMS_REPLY_SCENARIOS,
} from '../../sandbox/routes/twilioMessages';
import { declarationGaps, NO_GAPS } from '../outputFields';
import { ALWAYS_OPEN, CANDIDATE, NODE, runPlace } from './agentCall.helpers';
import { activateTrigger, deactivateTrigger, runNode, runWebhook, serveWebhook } from './harness';
import type { PackageNode, TriggerOptions, WebhookEndpoint } from './harness';

const TRIGGER = 'Twilio SMS Trigger';

let sandbox: Sandbox;
let endpoint: WebhookEndpoint;
const staticData: IDataObject = {};
const options: TriggerOptions = {};

function triggerNode(parameters: INodeParameters = {}): PackageNode {
	return {
		type: 'twilioSmsTrigger',
		name: TRIGGER,
		parameters: { phoneNumber: sandbox.numbers.twilioBerlin, ...parameters },
	};
}

const berlin = () =>
	[...sandbox.state.twilio.incomingNumbers.values()].find(
		(n) => n.phoneNumber === sandbox.numbers.twilioBerlin,
	)!;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
	options.credentials = { twilioCallsApi: { ...sandbox.credentials().twilioCallsApi } };
	options.staticData = staticData;
	endpoint = await serveWebhook(triggerNode(), options);
	// The same options object: the webhook's own URL (what Twilio signs) is the production URL here.
	options.webhookBaseUrl = endpoint.baseUrl;
});
afterAll(async () => {
	await endpoint.close();
	await sandbox.close();
});
beforeEach(() => {
	sandbox.reset();
	endpoint.runs.length = 0;
	for (const key of Object.keys(staticData)) delete staticData[key];
});

/** A text from `from` to the Berlin number, posted the way Twilio posts it (signed with `authToken`). */
function inboundText(from: string, body: string, authToken = sandbox.twilio.authToken) {
	const params = {
		MessageSid: 'SM0123456789abcdef0123456789abcdef',
		AccountSid: sandbox.twilio.accountSid,
		From: from,
		To: sandbox.numbers.twilioBerlin,
		Body: body,
	};
	const url = berlin().smsUrl;
	return {
		headers: {
			'content-type': 'application/x-www-form-urlencoded',
			'x-twilio-signature': twilio.getExpectedTwilioSignature(authToken, url, params),
		},
		rawBody: new URLSearchParams(params).toString(),
	};
}

/** Waits (on a fast sandbox clock) until the sandbox has posted `count` inbound texts. */
async function repliesDelivered(count: number) {
	sandbox.clock.setSpeed(50);
	for (let i = 0; i < 200 && inboundDeliveries(sandbox).length < count; i++)
		await new Promise((resolve) => setTimeout(resolve, 25));
	expect(inboundDeliveries(sandbox)).toHaveLength(count);
}

const textParameters = (campaign: string): INodeParameters => ({
	resource: 'textMessage',
	operation: 'send',
	fromNumber: sandbox.numbers.twilioBerlin,
	campaign,
	message: 'announcement',
	callTime: 'heute zwischen 10 und 11 Uhr',
	...ALWAYS_OPEN,
});

async function sendText(campaign: string, phone: string) {
	return await runNode(
		{ type: 'agentCall', name: NODE, parameters: textParameters(campaign) },
		{
			credentials: { ...sandbox.credentials() },
			items: [{ phone, company: 'Klinikum Nord', candidateId: `trigger-${campaign}` }],
		},
	);
}

describe('Twilio SMS Trigger', () => {
	it('points the number’s SmsUrl at itself on activation and puts the old one back on deactivation', async () => {
		berlin().smsUrl = 'https://crm.example/sms';
		expect(await activateTrigger(triggerNode(), options)).toEqual({ created: true });
		expect(berlin()).toMatchObject({
			smsUrl: `${endpoint.baseUrl}/test-webhook/twilio-sms`,
			smsMethod: 'POST',
		});
		// Activated again (n8n restarts): nothing to do.
		expect(await activateTrigger(triggerNode(), options)).toEqual({ created: false });
		await deactivateTrigger(triggerNode(), options);
		expect(berlin().smsUrl).toBe('https://crm.example/sms');
	});

	it('refuses a number that is not one of the account', async () => {
		await expect(
			activateTrigger(triggerNode({ phoneNumber: '+4930999999' }), options),
		).rejects.toThrow('+4930999999 is not a phone number of this Twilio account');
	});

	it('STOP to a text puts the number on the do-not-call list: no later call and no later text', async () => {
		await activateTrigger(triggerNode(), options);
		const stop = SMS_REPLY_SCENARIOS.repliesStop.number;
		expect((await sendText('stop', stop)).json(NODE)[0].status).toBe('sent');
		await repliesDelivered(1);
		const [delivery] = inboundDeliveries(sandbox);
		expect(delivery).toMatchObject({ status: 200, params: { From: stop, Body: 'STOP' } });
		// Nothing for the workflow; the list holds it.
		expect(endpoint.runs).toHaveLength(1);
		expect(endpoint.runs[0].items).toEqual([]);
		expect(endpoint.runs[0].answered.text).toContain(
			'<Message>Sie erhalten keine Anrufe und SMS mehr von uns.</Message>',
		);

		const call = await runPlace(sandbox, [{ ...CANDIDATE, phone: stop }], { campaign: 'stop' });
		expect(call.json(NODE)[0]).toMatchObject({
			status: 'do_not_call',
			doNotCallReason: 'Replied STOP by SMS',
		});
		expect(conversationStore(sandbox).list()).toHaveLength(0);
		const text = await sendText('stop-later', stop);
		expect(text.json(NODE)[0].status).toBe('do_not_call');
		expect([...sandboxMessages(sandbox).values()].filter((m) => m.to === stop)).toHaveLength(1);
	});

	it('hands every other reply to the workflow', async () => {
		await activateTrigger(triggerNode(), options);
		const later = SMS_REPLY_SCENARIOS.repliesLater.number;
		await sendText('later', later);
		await repliesDelivered(1);
		expect(endpoint.runs[0].items.map((item) => item.json)).toEqual([
			{
				from: later,
				to: sandbox.numbers.twilioBerlin,
				body: 'Bitte morgen anrufen',
				messageSid: expect.stringMatching(/^SM/),
				receivedAt: expect.any(String),
				optOut: false,
			},
		]);
		expect(declarationGaps(endpoint.runs[0].items[0].json, outputFields)).toEqual(NO_GAPS);
		// Not an opt-out: the number may still be called.
		const call = await runPlace(sandbox, [{ ...CANDIDATE, phone: later }], { campaign: 'later' });
		expect(call.json(NODE)[0].status).toBe('initiated');
	});

	it('takes the German STOPP as well, and tells the workflow when asked to', async () => {
		await activateTrigger(triggerNode(), options);
		const node = triggerNode({ options: { emitOptOuts: true, optOutReply: '' } });
		const run = await runWebhook(node, inboundText('+4917112345699', ' Stopp! '), options);
		expect(run.items[0].json).toMatchObject({ optOut: true, optOutRecorded: true });
		expect(declarationGaps(run.items[0].json, outputFields)).toEqual(NO_GAPS);
		expect(run.answered.text).not.toContain('<Message>');
		const call = await runPlace(sandbox, [{ ...CANDIDATE, phone: '0171 12345699' }], {
			campaign: 'stopp',
		});
		expect(call.json(NODE)[0].status).toBe('do_not_call');
	});

	it('answers 401 and starts nothing for an unsigned, wrongly signed or tampered request', async () => {
		await activateTrigger(triggerNode(), options);
		const unsigned = inboundText('+4917112345698', 'STOP');
		delete (unsigned.headers as Record<string, string>)['x-twilio-signature'];
		const wrongKey = inboundText('+4917112345698', 'STOP', 'f'.repeat(32));
		const tampered = inboundText('+4917112345698', 'Hallo');
		tampered.rawBody = tampered.rawBody.replace('Hallo', 'STOP');
		for (const request of [unsigned, wrongKey, tampered]) {
			const run = await runWebhook(triggerNode(), request, options);
			expect(run.answered.status).toBe(401);
			expect(run.items).toEqual([]);
		}
		const call = await runPlace(sandbox, [{ ...CANDIDATE, phone: '0171 12345698' }], {
			campaign: 'unsigned',
		});
		expect(call.json(NODE)[0].status).toBe('initiated');
	});
});
