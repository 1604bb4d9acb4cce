/**
 * Place Agent Call inside a real n8n 2.41.1 against the sandbox, with `n8n execute`: every
 * transport (ElevenLabs' Twilio integration, SIP trunk, the team's own Twilio account), the
 * candidate rows from n8n's own nodes, Build Recruiting Prompt before it and Get Transcript
 * (waiting) after it; and a second run of the same campaign, which dials nobody.
 */
import type { IDataObject, INode } from 'n8n-workflow';

import type { N8nInstance } from '../../scripts/n8n';
import { N8N_CREDENTIAL_IDS, startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { conversationStore } from '../../sandbox/conversations';
import { locator } from '../locator';
import { createN8n, manualWorkflow, PACKAGE_PREFIX } from './helpers';

let sandbox: Sandbox;
let n8n: N8nInstance;

/** Answered (completes the screening) and busy, as the sandbox decides by the dialled number. */
const ROWS = [
	{
		candidateId: 'e2e-anna',
		name: 'Anna Schmidt',
		phone: '0171 12345601',
		jobTitle: 'Lagerist (m/w/d)',
		company: 'Muster Logistik GmbH',
		recruiterName: 'Jonas Weber',
	},
	{
		candidateId: 'e2e-ben',
		name: 'Ben Keller',
		phone: '+49 171 123456-03',
		jobTitle: 'Lagerist (m/w/d)',
		company: 'Muster Logistik GmbH',
		recruiterName: 'Jonas Weber',
	},
];

const ELEVENLABS = {
	elevenLabsAgentsApi: { id: N8N_CREDENTIAL_IDS.elevenLabsAgentsApi, name: 'ElevenLabs (sandbox)' },
};
const TWILIO = {
	twilioCallsApi: { id: N8N_CREDENTIAL_IDS.twilioCallsApi, name: 'Twilio (sandbox)' },
};

function node(
	name: string,
	type: string,
	parameters: INode['parameters'],
	credentials: INode['credentials'] = {},
	typeVersion = 1,
): INode {
	return {
		id: `e2e-${name.replace(/\W+/g, '-')}`,
		name,
		type,
		typeVersion,
		position: [0, 0],
		parameters,
		credentials,
	};
}

/** Rows → Split Out → Build Recruiting Prompt → Place Agent Call (→ Get Transcript). */
function callWorkflow(id: string, place: INode['parameters'], withTranscript: boolean) {
	const nodes: INode[] = [
		node(
			'Rows',
			'n8n-nodes-base.set',
			{ mode: 'raw', jsonOutput: JSON.stringify({ rows: ROWS }), options: {} },
			{},
			3.4,
		),
		node('Split Out', 'n8n-nodes-base.splitOut', { fieldToSplitOut: 'rows', options: {} }),
		node('Build Recruiting Prompt', `${PACKAGE_PREFIX}.recruitingPrompt`, {}),
		node(
			'Place Agent Call',
			`${PACKAGE_PREFIX}.agentCall`,
			{
				agentId: locator(sandbox.ids.agents.recruitingDe),
				phoneNumberId: locator(sandbox.ids.phoneNumbers.twilioDe),
				campaign: id,
				useCallingWindow: false,
				options: { callsPerMinute: 0 },
				...place,
			},
			{ ...ELEVENLABS, ...TWILIO },
		),
	];
	if (withTranscript) {
		nodes.push(
			node(
				'Get Transcript',
				`${PACKAGE_PREFIX}.transcript`,
				{ waitForCompletion: true, timeoutSeconds: 120, options: { pollIntervalSeconds: 1 } },
				ELEVENLABS,
			),
		);
	}
	return manualWorkflow(id, `Calls: ${id}`, nodes);
}

const byCandidate = (items: IDataObject[]) =>
	Object.fromEntries(items.map((json) => [String(json.candidateId), json]));

beforeAll(async () => {
	// A fast clock: an answered call of a few minutes lasts a few seconds.
	sandbox = await startSandbox({ port: 0, clock: { speed: 60 } });
	n8n = await createN8n('agent call e2e');
	await n8n.importCredentials(sandbox.n8nCredentials());
	await n8n.importWorkflows([
		callWorkflow('e2eCallTwilio', {}, true),
		callWorkflow('e2eCallSip', { phoneNumberId: locator(sandbox.ids.phoneNumbers.sipTrunk) }, true),
		callWorkflow(
			'e2eCallOwnTwilio',
			{ transport: 'ownTwilio', fromNumber: sandbox.numbers.twilioBerlin },
			false,
		),
	]);
});

afterAll(async () => {
	await n8n?.dispose();
	await sandbox?.close();
});

describe('n8n execute: Place Agent Call on every transport', () => {
	it('ElevenLabs’ Twilio integration: both candidates dialled once, the answered screening comes back with its answers', async () => {
		const result = await n8n.execute('e2eCallTwilio');
		expect(result.error).toBeUndefined();
		expect(result.status).toBe('success');

		const placed = byCandidate(result.json('Place Agent Call'));
		expect(placed['e2e-anna']).toMatchObject({
			status: 'initiated',
			transport: 'twilio',
			toNumber: '+4917112345601',
			conversationId: expect.stringMatching(/^conv_/),
		});
		expect(placed['e2e-ben']).toMatchObject({
			status: 'initiated',
			transport: 'twilio',
			toNumber: '+4917112345603',
		});

		// Get Transcript's items are the conversations, in the order of the calls.
		const [anna, ben] = result.json('Get Transcript');
		expect(anna).toMatchObject({
			conversationId: placed['e2e-anna'].conversationId,
			status: 'done',
			callResult: 'answered',
			callSuccessful: 'success',
		});
		expect(anna.transcriptText).toMatch(/^Agent: /);
		expect(anna.dataCollection).toMatchObject({ consent_given: true });
		expect(ben).toMatchObject({
			conversationId: placed['e2e-ben'].conversationId,
			callResult: 'busy',
		});

		// The sandbox's conversation carries the idempotency key as its user id.
		const conversation = conversationStore(sandbox).get(String(placed['e2e-anna'].conversationId));
		expect(conversation?.userId).toBe(placed['e2e-anna'].idempotencyKey);
		expect(sandbox.requests.count('POST', '/v1/convai/twilio/outbound-call')).toBe(2);
	});

	it('the same campaign run again dials nobody: the screened candidate is done, the busy one waits out the attempt pause', async () => {
		const before = conversationStore(sandbox).list().length;
		const result = await n8n.execute('e2eCallTwilio');
		expect(result.status).toBe('success');
		const placed = byCandidate(result.json('Place Agent Call'));
		expect(placed['e2e-anna']).toMatchObject({ status: 'already_called' });
		expect(placed['e2e-ben']).toMatchObject({
			status: 'too_soon',
			attempts: 1,
			nextAttemptAfter: expect.any(String),
		});
		expect(conversationStore(sandbox).list().length).toBe(before);
		expect(sandbox.requests.count('POST', '/v1/convai/twilio/outbound-call')).toBe(2);
	});

	it('SIP trunk: dialled through the SIP endpoint, never the Twilio one', async () => {
		const result = await n8n.execute('e2eCallSip');
		expect(result.status).toBe('success');
		const placed = byCandidate(result.json('Place Agent Call'));
		expect(placed['e2e-anna']).toMatchObject({
			status: 'initiated',
			transport: 'sip_trunk',
			sipCallId: expect.any(String),
		});
		expect(result.json('Get Transcript')[0]).toMatchObject({
			conversationId: placed['e2e-anna'].conversationId,
			status: 'done',
			callResult: 'answered',
		});
		expect(sandbox.requests.count('POST', '/v1/convai/sip-trunk/outbound-call')).toBe(2);
		expect(sandbox.requests.count('POST', '/v1/convai/twilio/outbound-call')).toBe(2);
	});

	it('own Twilio account: register-call’s TwiML handed to a call created with the Twilio credential', async () => {
		const result = await n8n.execute('e2eCallOwnTwilio');
		expect(result.status).toBe('success');
		const placed = byCandidate(result.json('Place Agent Call'));
		expect(placed['e2e-anna']).toMatchObject({
			status: 'initiated',
			transport: 'own_twilio',
			callSid: expect.stringMatching(/^CA[0-9a-f]{32}$/),
		});
		const creates = sandbox.requests
			.all()
			.filter((r) => r.method === 'POST' && /\/Calls\.json$/.test(r.path));
		expect(creates).toHaveLength(2);
		expect(creates[0].principal).toBe(sandbox.twilio.accountSid);
		expect(creates[0].body).toMatchObject({
			To: '+4917112345601',
			From: sandbox.numbers.twilioBerlin,
			Twiml: expect.stringContaining('<Response>'),
		});
		expect(sandbox.requests.count('POST', '/v1/convai/twilio/register-call')).toBe(2);
	});
});
