/**
 * The Twilio SMS Trigger in a real n8n 2.41.1 (`n8n start`, the workflow published) against the
 * sandbox's Twilio: activation points the number's SmsUrl at the production URL; a candidate's
 * reply, signed by the sandbox as Twilio signs it, starts the workflow; a STOP reply puts the
 * number on the call ledger's do-not-call list, which Place Agent Call (run with `n8n execute` on
 * the same n8n folder) then honours for calls and texts; unpublishing puts the old SmsUrl back.
 */
import { randomUUID } from 'node:crypto';

import type { INode, INodeParameters } from 'n8n-workflow';

import { N8N_CREDENTIAL_IDS, startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import {
	inboundDeliveries,
	sandboxMessages,
	SMS_REPLY_SCENARIOS,
} from '../../sandbox/routes/twilioMessages';
import { N8nInstance } from '../../scripts/n8n';
import type { N8nRestClient, WorkflowJson } from '../../scripts/n8n';
import { eventually, manualWorkflow, PACKAGE_PREFIX, TARBALL_ENV } from './helpers';
import { captureAfter, JsonCapture } from './workflowsShared';

const TRIGGER = 'Twilio SMS Trigger';
const WEBHOOK_ID = randomUUID();
const WORKFLOW_ID = 'smsReplies';
const OLD_SMS_URL = 'https://old.example.de/sms';

let sandbox: Sandbox;
let n8n: N8nInstance;
let rest: N8nRestClient;
let capture: JsonCapture;
let baseUrl: string;

const berlin = () =>
	[...sandbox.state.twilio.incomingNumbers.values()].find(
		(n) => n.phoneNumber === sandbox.numbers.twilioBerlin,
	)!;

function triggerWorkflow(): WorkflowJson {
	const trigger: INode = {
		id: 'trigger',
		name: TRIGGER,
		type: `${PACKAGE_PREFIX}.twilioSmsTrigger`,
		typeVersion: 1,
		position: [0, 0],
		webhookId: WEBHOOK_ID,
		parameters: { phoneNumber: sandbox.numbers.twilioBerlin },
		credentials: {
			twilioCallsApi: { id: N8N_CREDENTIAL_IDS.twilioCallsApi, name: 'Twilio (sandbox)' },
		},
	};
	const workflow: WorkflowJson = {
		id: WORKFLOW_ID,
		name: 'SMS replies',
		nodes: [trigger],
		connections: {},
		settings: { executionOrder: 'v1' },
	};
	captureAfter(workflow, TRIGGER, `${capture.url}/replies`);
	return workflow;
}

/** Manual Trigger → Place Agent Call (a text or a call) to one candidate, calling window off. */
function placeWorkflow(id: string, phone: string, parameters: INodeParameters): WorkflowJson {
	const candidate: INode = {
		id: 'candidate',
		name: 'Candidate',
		type: 'n8n-nodes-base.set',
		typeVersion: 3.4,
		position: [0, 0],
		parameters: {
			mode: 'raw',
			jsonOutput: JSON.stringify({
				name: 'Anna Schmidt',
				candidate_name: 'Anna Schmidt',
				job_title: 'Pflegefachkraft (m/w/d)',
				phone,
				company: 'Muster Klinikum GmbH',
				candidateId: `sms-${phone}`,
			}),
			options: {},
		},
	};
	const place: INode = {
		id: 'place',
		name: 'Place Agent Call',
		type: `${PACKAGE_PREFIX}.agentCall`,
		typeVersion: 1,
		position: [0, 0],
		parameters: { useCallingWindow: false, ...parameters },
		credentials: {
			elevenLabsAgentsApi: { id: N8N_CREDENTIAL_IDS.elevenLabsAgentsApi, name: 'ElevenLabs' },
			twilioCallsApi: { id: N8N_CREDENTIAL_IDS.twilioCallsApi, name: 'Twilio (sandbox)' },
		},
	};
	return manualWorkflow(id, id, [candidate, place]);
}

const text = (id: string, phone: string, campaign: string) =>
	placeWorkflow(id, phone, {
		resource: 'textMessage',
		operation: 'send',
		fromNumber: sandbox.numbers.twilioBerlin,
		campaign,
		message: 'announcement',
		callTime: 'heute',
	});

const call = (id: string, phone: string) =>
	placeWorkflow(id, phone, {
		resource: 'call',
		operation: 'place',
		agentId: { __rl: true, mode: 'id', value: sandbox.ids.agents.recruitingDe },
		phoneNumberId: { __rl: true, mode: 'id', value: sandbox.ids.phoneNumbers.twilioDe },
		campaign: 'sms-e2e',
	});

const log = () => `n8n log:\n${n8n.serverLog.slice(-3000)}`;
/** `eventually`, with the end of n8n's log when it times out. */
const inN8n = <T>(what: string, probe: () => Promise<T | undefined> | T | undefined) =>
	eventually(what, probe, { diagnosis: log });

beforeAll(async () => {
	capture = await new JsonCapture().start();
	sandbox = await startSandbox({ port: 0 });
	berlin().smsUrl = OLD_SMS_URL;
	n8n = await N8nInstance.create({
		tarball: process.env[TARBALL_ENV],
		label: 'sms trigger',
		env: { NODE_ENV: 'production' },
	});
	await n8n.importCredentials(sandbox.n8nCredentials());
	const stop = SMS_REPLY_SCENARIOS.repliesStop.number;
	const later = SMS_REPLY_SCENARIOS.repliesLater.number;
	await n8n.importWorkflows([
		triggerWorkflow(),
		text('textLater', later, 'sms-e2e'),
		text('textStop', stop, 'sms-e2e'),
		text('textStopAgain', stop, 'sms-e2e-later'),
		call('callStop', stop),
	]);
	await n8n.publish(WORKFLOW_ID);
	baseUrl = await n8n.start({ webhookPaths: [`${WEBHOOK_ID}/twilio-sms`] });
	rest = await n8n.setupOwner();
}, 10 * 60_000);

afterAll(async () => {
	await n8n?.dispose();
	await sandbox?.close();
	await capture?.close();
});

describe('the Twilio SMS Trigger in a real n8n', () => {
	it('points the number’s SmsUrl at its production URL when published', async () => {
		await inN8n('the SmsUrl', () =>
			berlin().smsUrl.startsWith(baseUrl) ? berlin().smsUrl : undefined,
		);
		expect(berlin().smsUrl).toBe(`${baseUrl}/webhook/${WEBHOOK_ID}/twilio-sms`);
	});

	it('starts the workflow with a candidate’s reply, signed as Twilio signs it', async () => {
		const result = await n8n.execute('textLater');
		expect(result.json('Place Agent Call')[0]).toMatchObject({ status: 'sent' });
		const reply = await capture.waitFor('replies', (body) => body.body === 'Bitte morgen anrufen');
		expect(reply).toMatchObject({
			from: SMS_REPLY_SCENARIOS.repliesLater.number,
			to: sandbox.numbers.twilioBerlin,
			optOut: false,
		});
	});

	it('puts a number that replies STOP on the do-not-call list: no later call, no later text', async () => {
		const stop = SMS_REPLY_SCENARIOS.repliesStop.number;
		expect((await n8n.execute('textStop')).json('Place Agent Call')[0]).toMatchObject({
			status: 'sent',
		});
		await inN8n('the STOP reply', () =>
			[...sandboxMessages(sandbox).values()].find(
				(message) => message.direction === 'inbound' && message.from === stop,
			),
		);
		// The trigger answers STOP itself, with the confirmation as TwiML for Twilio to send.
		const delivery = await inN8n('the STOP delivery', () =>
			inboundDeliveries(sandbox).find((sent) => sent.params.From === stop),
		);
		expect(delivery.status).toBe(200);
		const called = await n8n.execute('callStop');
		expect(called.error).toBeUndefined();
		expect(called.json('Place Agent Call')[0]).toMatchObject({
			status: 'do_not_call',
			doNotCallReason: 'Replied STOP by SMS',
		});
		const texted = await n8n.execute('textStopAgain');
		expect(texted.json('Place Agent Call')[0]).toMatchObject({ status: 'do_not_call' });
		expect(capture.all('replies').some((body) => body.from === stop)).toBe(false);
	});

	it('puts the old SmsUrl back when unpublished', async () => {
		await rest.unpublish(WORKFLOW_ID);
		await inN8n('the old SmsUrl', () =>
			berlin().smsUrl === OLD_SMS_URL ? berlin().smsUrl : undefined,
		);
	});
});
