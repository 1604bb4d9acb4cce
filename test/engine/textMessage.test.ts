/**
 * Place Agent Call → Text Message → Send through n8n's engine against the sandbox's Twilio
 * Messages API, with round trips as slow as the real API's: the bundled texts, sent once per
 * person and message however the item is delivered (three copies at once → one text, n8n's Retry
 * On Fail, a later run), never outside the window, never to a number on the do-not-call list,
 * numbers checked as for calls, and Twilio's refusals and unclear answers settled as for a dial.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { sandboxMessages } from '../../sandbox/routes/twilioMessages';
import { ALWAYS_OPEN, NODE } from './agentCall.helpers';
import { runError, runNode } from './harness';
import type { PackageNode } from './harness';

const LATENCY_MS = 300;
const MESSAGES = /\/Messages\.json$/;

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
});
afterAll(async () => await sandbox.close());
beforeEach(() => {
	sandbox.reset();
	sandbox.setLatency(LATENCY_MS);
});

const CANDIDATE = {
	name: 'Anna Schmidt',
	phone: '0171 12345601',
	company: 'Klinikum Nord',
	candidateId: 'sms-1',
	interviewUrl: 'https://n8n.example.com/webhook/interview?c=sms-1',
};

function textNode(campaign: string, extra: INodeParameters = {}): PackageNode {
	return {
		type: 'agentCall',
		name: NODE,
		parameters: {
			resource: 'textMessage',
			operation: 'send',
			fromNumber: sandbox.numbers.twilioBerlin,
			campaign,
			message: 'announcement',
			callTime: 'heute zwischen 10 und 11 Uhr',
			...ALWAYS_OPEN,
			...extra,
		},
	};
}

async function sendText(campaign: string, items: IDataObject[], extra: INodeParameters = {}) {
	return await runNode(textNode(campaign, extra), {
		credentials: { ...sandbox.credentials() },
		items,
	});
}

const sendRequests = () =>
	sandbox.requests.all().filter((r) => r.method === 'POST' && MESSAGES.test(r.path));
const outbound = () =>
	[...sandboxMessages(sandbox).values()].filter((m) => m.direction === 'outbound-api');

describe('Text Message → Send', () => {
	it('sends the German announcement once, GSM-7 in one segment, and reports the message', async () => {
		const result = await sendText('announce', [CANDIDATE]);
		expect(result.status).toBe('success');
		const [out] = result.json(NODE);
		const text =
			'Klinikum Nord: Unsere KI-Assistentin ruft Sie heute zwischen 10 und 11 Uhr wegen Ihrer Bewerbung an. Keine Anrufe/SMS mehr? STOPP';
		expect(out).toMatchObject({
			...CANDIDATE,
			status: 'sent',
			toNumber: '+4917112345601',
			messageSid: expect.stringMatching(/^SM[0-9a-f]{32}$/),
			messageKey: 'announcement',
			encoding: 'GSM-7',
			segments: 1,
			text,
		});
		expect(result.output(NODE)[0].pairedItem).toEqual({ item: 0 });
		const [request] = sendRequests();
		expect(request.body).toEqual({
			To: '+4917112345601',
			From: sandbox.numbers.twilioBerlin,
			Body: text,
		});
		expect(outbound()).toHaveLength(1);
	});

	it('sends the follow-up with the interview link and the callback number, in English', async () => {
		const result = await sendText('follow-up', [CANDIDATE], {
			message: 'followUp',
			language: 'en',
			callbackNumber: '+49 30 12345670',
		});
		const [out] = result.json(NODE);
		expect(out.status).toBe('sent');
		expect(out.text).toBe(
			`Klinikum Nord: We missed you. Talk to us in your browser: ${CANDIDATE.interviewUrl} Call back: +49 30 12345670 Opt out: STOP`,
		);
		expect(out.encoding).toBe('GSM-7');
	});

	it('sends the same text delivered three times at once only once', async () => {
		const runs = await Promise.all([1, 2, 3].map(async () => await sendText('three', [CANDIDATE])));
		const outputs = runs.map((run) => run.json(NODE)[0]);
		const sent = outputs.filter((out) => out.status === 'sent');
		expect(sent).toHaveLength(1);
		const held = outputs.filter((out) => out.status === 'already_sent');
		expect(held).toHaveLength(2);
		for (const out of held) expect(out.messageSid).toBe(sent[0].messageSid);
		expect(sendRequests()).toHaveLength(1);
		expect(outbound()).toHaveLength(1);
		// A later run of the same campaign sends nothing either; another message key does.
		expect((await sendText('three', [CANDIDATE])).json(NODE)[0].status).toBe('already_sent');
		expect(
			(await sendText('three', [CANDIDATE], { message: 'followUp' })).json(NODE)[0].status,
		).toBe('sent');
		expect(outbound()).toHaveLength(2);
	});

	it('sends no text outside the window, and says when the window opens', async () => {
		const result = await sendText('closed', [CANDIDATE], {
			callingDays: [1, 2, 3, 4, 5, 6, 7],
			windowStart: '00:00',
			windowEnd: '00:01',
		});
		const [out] = result.json(NODE);
		expect(out).toMatchObject({ status: 'outside_window', nextWindowStart: expect.any(String) });
		expect(sendRequests()).toHaveLength(0);
	});

	it('sends nothing to a number on the do-not-call list', async () => {
		const list = await runNode(
			{
				type: 'agentCall',
				name: 'List',
				parameters: { resource: 'doNotCall', operation: 'add', reason: 'Opted out' },
			},
			{ credentials: { ...sandbox.credentials() }, items: [{ phone: '+49 171 12345602' }] },
		);
		expect(list.status).toBe('success');
		const result = await sendText('listed', [{ ...CANDIDATE, phone: '0171 12345602' }]);
		expect(result.json(NODE)[0]).toMatchObject({
			status: 'do_not_call',
			doNotCallReason: 'Opted out',
		});
		expect(sendRequests()).toHaveLength(0);
	});

	it('refuses a landline and a text with missing values before anything is claimed or sent', async () => {
		const landline = await sendText('bad', [{ ...CANDIDATE, phone: '030 12345678' }]);
		expect(runError(landline).message).toBe(
			'+493012345678 is a landline number, which cannot receive texts',
		);
		const noTime = await sendText('bad', [CANDIDATE], { callTime: '' });
		expect(runError(noTime).message).toBe('The announcement needs Call Time');
		expect(sendRequests()).toHaveLength(0);
		// Nothing was claimed: the corrected item is sent.
		expect((await sendText('bad', [CANDIDATE])).json(NODE)[0].status).toBe('sent');
	});

	it('a refusal by Twilio releases the claim; an unclear answer never sends again', async () => {
		const refused = await sendText('refusals', [CANDIDATE], { fromNumber: '+4930999999' });
		const error = runError(refused);
		expect(error.message).toContain(
			'The sender number is not an SMS-capable number of this Twilio account',
		);
		expect((await sendText('refusals', [CANDIDATE])).json(NODE)[0].status).toBe('sent');

		sandbox.faults.add({ method: 'POST', path: MESSAGES, kind: 'status5xxAfter' });
		const unclear = await runNode(
			{ ...textNode('unclear'), retry: { maxTries: 3, waitBetweenTries: 10 } },
			{ credentials: { ...sandbox.credentials() }, items: [CANDIDATE] },
		);
		expect(runError(unclear).message).toContain(
			'may have been sent by an earlier try of this execution',
		);
		expect((await sendText('unclear', [CANDIDATE])).json(NODE)[0]).toMatchObject({
			status: 'already_sent',
			previousStatus: 'unknown',
		});
		// The refused one, the sent one, the one answered 502 after it was sent: none a second time.
		expect(sendRequests().map((r) => r.status)).toEqual([400, 201, 502]);
		expect(outbound()).toHaveLength(2);
	});
});
