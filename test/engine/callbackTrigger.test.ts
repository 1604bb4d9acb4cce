/**
 * Callbacks that know the caller: the ElevenLabs Callback Trigger becomes the workspace's
 * conversation initiation webhook at the sandbox, and the sandbox's inbound calls ask it, as
 * ElevenLabs does, while the phone rings. A known caller is greeted by name with their
 * variables and recorded in the call ledger (no campaign dials them again); a listed number, an
 * unknown caller and a failing workflow get the generic intake in time, never candidate data.
 */
import { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { conversationStore } from '../../sandbox/conversations';
import { initiationDeliveries } from '../../sandbox/routes/inboundCalls';
import { CANDIDATE, runPlace } from './agentCall.helpers';
import { lookup, registerLookup } from './callback.helpers';
import { activateTrigger, deactivateTrigger, runNode, serveTriggeredWorkflow } from './harness';
import type { PackageNode, TriggerOptions, TriggeredWorkflowEndpoint } from './harness';
import { declarationGaps, NO_GAPS } from '../outputFields';
import { outputFields as triggerFields } from '../../nodes/ElevenLabsCallbackTrigger/ElevenLabsCallbackTrigger.node';
import { outputFields as answerFields } from '../../nodes/ElevenLabsCallbackAnswer/actions/answer.operation';

const TRIGGER = 'ElevenLabs Callback Trigger';
const ANSWER = 'ElevenLabs Callback Answer';
const AGENT_NUMBER = '+493012345670';

let sandbox: Sandbox;
let endpoint: TriggeredWorkflowEndpoint;
let options: TriggerOptions;
let campaign: string;
let round = 0;

const dashboard = () =>
	new ElevenLabsClient({ apiKey: sandbox.apiKey, baseUrl: sandbox.url, maxRetries: 0 });
const settings = async () => await dashboard().conversationalAi.settings.get();

function triggerNode(parameters: INodeParameters = {}): PackageNode {
	return {
		type: 'elevenLabsCallbackTrigger',
		name: TRIGGER,
		parameters: { agentIds: [sandbox.ids.agents.recruitingDe], ...parameters },
	};
}

function answerNode(): PackageNode {
	return {
		type: 'elevenLabsCallbackAnswer',
		name: ANSWER,
		parameters: {
			phone: '={{ $json.phone }}',
			campaign,
			candidateId: '={{ $json.candidateId }}',
			dynamicVariables: {
				variable: [
					{ name: 'name', value: '={{ $json.name }}' },
					{ name: 'candidate_name', value: '={{ $json.name }}' },
					{ name: 'job_title', value: '={{ $json.jobTitle }}' },
					{ name: 'company', value: 'Muster Pflege GmbH' },
				],
			},
		},
	};
}

/** A row of the team's sheet. */
function row(phone: string, name: string): IDataObject {
	return { phone, name, jobTitle: 'Pflegefachkraft', candidateId: `cand-${phone.slice(-4)}` };
}

/** The candidate rings the agent's number; returns the sandbox's record of the call. */
async function callIn(from: string) {
	const response = await fetch(`${sandbox.url}/_sandbox/inbound-call`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ from, to: AGENT_NUMBER }),
	});
	const body = (await response.json()) as { conversationId: string; error: string | null };
	await Promise.all(endpoint.executions);
	const conversation = conversationStore(sandbox).get(body.conversationId)!;
	return { ...body, conversation, delivery: initiationDeliveries(sandbox).at(-1)! };
}

const sentVariables = (call: Awaited<ReturnType<typeof callIn>>) =>
	(call.conversation.clientData?.dynamicVariables ?? {}) as IDataObject;

beforeAll(async () => {
	registerLookup();
	sandbox = await startSandbox({ port: 0 });
});
afterAll(async () => await sandbox.close());

beforeEach(async () => {
	sandbox.reset();
	lookup.rows = [];
	lookup.delayMs = 0;
	lookup.fails = false;
	campaign = `callbacks-${Date.now()}-${++round}`;
	options = { credentials: { ...sandbox.credentials() }, staticData: {} };
	endpoint = await serveTriggeredWorkflow(
		triggerNode({ options: { answerWithinMs: 1500 } }),
		[{ type: 'test.candidateLookup', name: 'Lookup', parameters: {} }, answerNode()],
		options,
	);
	options.webhookBaseUrl = endpoint.baseUrl;
	await activateTrigger(triggerNode(), options);
});
afterEach(async () => await endpoint.close());

describe('activation and deactivation', () => {
	it('sets the workspace webhook with a secret header and the agent permission, and gives both back', async () => {
		await deactivateTrigger(triggerNode(), options);
		await dashboard().conversationalAi.settings.update({
			conversationInitiationClientDataWebhook: {
				url: 'https://ats.example/initiation?token=abc',
				requestHeaders: { authorization: 'Bearer ats-secret' },
			},
		});
		// Someone else's webhook is not replaced unless the node is told to.
		await expect(activateTrigger(triggerNode(), options)).rejects.toThrow(
			'The workspace already sends conversation initiation requests to another URL (ats.example)',
		);
		expect((await settings()).conversationInitiationClientDataWebhook?.url).toBe(
			'https://ats.example/initiation?token=abc',
		);

		await activateTrigger(triggerNode({ options: { replaceOtherWebhook: true } }), options);
		const set = (await settings()).conversationInitiationClientDataWebhook!;
		expect(set.url.startsWith(endpoint.baseUrl)).toBe(true);
		const secret = set.requestHeaders['x-voice-recruiting-callback-secret'];
		expect(secret).toMatch(/^[0-9a-f]{64}$/);
		const agent = await dashboard().conversationalAi.agents.get(sandbox.ids.agents.recruitingDe);
		expect(
			agent.platformSettings?.overrides?.enableConversationInitiationClientDataFromWebhook,
		).toBe(true);
		// Neither our secret nor the other team's header is kept readable in the static data.
		const kept = JSON.stringify(options.staticData);
		expect(kept).not.toContain(String(secret));
		expect(kept).not.toContain('ats-secret');
		expect(kept).not.toContain('ats.example');

		await deactivateTrigger(triggerNode(), options);
		expect((await settings()).conversationInitiationClientDataWebhook).toEqual({
			url: 'https://ats.example/initiation?token=abc',
			requestHeaders: { authorization: 'Bearer ats-secret' },
		});
		const after = await dashboard().conversationalAi.agents.get(sandbox.ids.agents.recruitingDe);
		expect(
			after.platformSettings?.overrides?.enableConversationInitiationClientDataFromWebhook,
		).toBe(false);
	});

	it('refuses a request without the secret header', async () => {
		const set = (await settings()).conversationInitiationClientDataWebhook!;
		const response = await fetch(set.url, {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				'x-voice-recruiting-callback-secret': 'guess',
			},
			body: JSON.stringify({
				caller_id: '+4917112345601',
				agent_id: sandbox.ids.agents.recruitingDe,
			}),
		});
		expect(response.status).toBe(401);
		expect(endpoint.executions).toHaveLength(0);
	});
});

describe('a candidate calls back', () => {
	it('is greeted by name with their variables, and no campaign dials them again', async () => {
		lookup.rows = [row('0171 12345640', 'Erika Muster'), row('0171 12345650', 'Jonas Beispiel')];
		const call = await callIn('+4917112345640');
		expect(call.error).toBeNull();
		expect(call.delivery).toMatchObject({ status: 200, used: true, timedOut: false });
		expect(sentVariables(call)).toMatchObject({
			name: 'Erika Muster',
			job_title: 'Pflegefachkraft',
		});
		const greeting = (call.conversation.clientData?.conversationConfigOverride as IDataObject)
			?.agent as IDataObject;
		expect(greeting.firstMessage).toContain('Sie hatten einen Anruf von uns');
		const run = await endpoint.executions[0];
		expect(run.json(ANSWER)[0]).toMatchObject({
			answer: 'candidate',
			answeredInTime: true,
			ledgerAttempt: 1,
		});
		expect(declarationGaps(run.json(TRIGGER)[0], triggerFields)).toEqual(NO_GAPS);
		expect(declarationGaps(run.json(ANSWER)[0], answerFields)).toEqual(NO_GAPS);

		conversationStore(sandbox).settleAll();
		const candidate = { ...CANDIDATE, phone: '0171 12345640', candidateId: 'cand-5640' };
		const place = await runPlace(sandbox, [candidate], { campaign });
		expect(place.error).toBeUndefined();
		expect(place.json('Place Agent Call')[0]).toMatchObject({ status: 'already_called' });
		// Only the callback: nobody was dialled.
		expect(sandbox.requests.count('POST', '/v1/convai/twilio/outbound-call')).toBe(0);
	});
});

describe('callers who get the generic intake', () => {
	async function expectIntake(from: string, reason: string | undefined) {
		const call = await callIn(from);
		// The generic intake fills every variable the agent needs, so the call goes on.
		expect(call.error).toBeNull();
		expect(call.delivery).toMatchObject({ status: 200, used: true, timedOut: false });
		expect(sentVariables(call)).toEqual({ candidate_name: '', company: '', job_title: '' });
		const override = call.conversation.clientData?.conversationConfigOverride as IDataObject;
		expect((override.agent as IDataObject).firstMessage).toContain(
			'Ich kann Ihre Nummer gerade keiner Bewerbung zuordnen',
		);
		if (reason) {
			const run = await endpoint.executions.at(-1)!;
			expect(run.json(ANSWER)[0]).toMatchObject({ answer: 'intake', reason });
			expect(declarationGaps(run.json(ANSWER)[0], answerFields)).toEqual(NO_GAPS);
		}
		return call;
	}

	it('an unknown caller', async () => {
		lookup.rows = [row('0171 12345640', 'Erika Muster')];
		await expectIntake('+4917112345699', 'unknown_caller');
	});

	it('a number on the do-not-call list, although the sheet knows it', async () => {
		lookup.rows = [row('0171 12345660', 'Petra Liste')];
		await runNode(
			{
				type: 'agentCall',
				name: 'Place Agent Call',
				parameters: { resource: 'doNotCall', operation: 'add', phone: '0171 12345660' },
			},
			{ credentials: { ...sandbox.credentials() }, items: [{}] },
		);
		const call = await expectIntake('+4917112345660', 'do_not_call');
		expect(JSON.stringify(call.conversation.clientData)).not.toContain('Petra');
	});

	it('a caller whose lookup fails, before the sandbox gives up waiting', async () => {
		lookup.rows = [row('0171 12345670', 'Paul Fehler')];
		lookup.fails = true;
		const call = await expectIntake('+4917112345670', undefined);
		expect((await endpoint.executions[0]).status).toBe('error');
		expect(call.delivery.elapsedMs).toBeLessThan(5000);
	});

	it('a caller whose lookup is slower than the budget, and the late answer is not sent', async () => {
		lookup.rows = [row('0171 12345680', 'Lena Langsam')];
		lookup.delayMs = 2500;
		const call = await expectIntake('+4917112345680', undefined);
		const run = await endpoint.executions[0];
		expect(run.json(ANSWER)[0]).toMatchObject({ answer: 'too_late', answeredInTime: false });
		expect(declarationGaps(run.json(ANSWER)[0], answerFields)).toEqual(NO_GAPS);
		expect(JSON.stringify(call.conversation.clientData)).not.toContain('Lena');
	});
});
