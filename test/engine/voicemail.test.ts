/**
 * Voicemail through n8n's engine against the sandbox: Publish switches on the agent's
 * voicemail_detection tool with the template set's message (company and a number to call back,
 * nothing about the candidate or the job), compared and written only where it differs; a call
 * that reaches a mailbox leaves that message there and comes out as `voicemail` in Get
 * Transcript, the trigger and the call ledger (not reached: the attempt budget applies), for
 * ElevenLabs' own Twilio calls and for calls through the team's own Twilio account.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { buildSignedWebhook, startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { conversationStore } from '../../sandbox/conversations';
import { mailboxMessages } from '../../sandbox/mailbox';
import { NODE as PLACE, placeNode } from './agentCall.helpers';
import { locator, runError, runNode, runNodes, runWebhook } from './harness';
import { elevenLabsCredential, VARIABLES } from './sandbox.helpers';
import { NODE as GET, waitingGetNode } from './transcript.helpers';

const PUBLISH = 'Publish';
const CALLBACK = '+49 30 12345670';
const JOB = { company: 'Klinikum Nord GmbH', jobTitle: 'Pflegefachkraft (m/w/d)' };

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

const bare = () => sandbox.ids.agents.bare;
const agentOf = (agentId: string) => structuredClone(sandbox.state.agents.get(agentId)!.agent);
const voicemailTool = (agentId: string) =>
	agentOf(agentId).conversationConfig.agent?.prompt?.builtInTools?.voicemailDetection;
const writes = () =>
	sandbox.requests.all().filter((r) => ['POST', 'PATCH', 'DELETE', 'PUT'].includes(r.method));

async function publish(extra: INodeParameters = {}) {
	return await runNode(
		{
			type: 'recruitingPrompt',
			name: PUBLISH,
			parameters: {
				operation: 'publish',
				agentId: locator(bare()),
				templateSet: 'de',
				...JOB,
				jobDetails: { variable: [{ name: 'callbackPhone', value: CALLBACK }] },
				...extra,
			},
		},
		{ credentials: elevenLabsCredential(sandbox) },
	);
}

describe('Publish: the voicemail tool', () => {
	it('switches the tool on with a message that names the company and the number, nothing else', async () => {
		const result = await publish();
		expect(result.status).toBe('success');
		const [out] = result.json(PUBLISH);
		expect(out.changed).toContain('voicemail');
		const tool = voicemailTool(bare());
		expect(tool).toMatchObject({
			type: 'system',
			name: 'voicemail_detection',
			params: { systemToolType: 'voicemail_detection' },
		});
		const message = String(
			(tool?.params as { voicemailMessage?: string } | undefined)?.voicemailMessage,
		);
		expect(message).toBe(
			`Guten Tag, hier ist Lena, die KI-Assistentin von Klinikum Nord GmbH. Wir versuchen es später noch einmal. Sie erreichen uns auch unter ${CALLBACK}. Auf Wiederhören.`,
		);
		expect((out.diff as IDataObject).voicemail).toEqual({ before: null, after: message });

		// The same set again: nothing to write.
		sandbox.requests.clear();
		const again = await publish();
		expect(again.json(PUBLISH)[0].changed).toEqual([]);
		expect(writes()).toEqual([]);
	});

	it('keeps the agent’s other built-in tools and writes a changed message only', async () => {
		const stored = sandbox.state.agents.get(bare())!.agent;
		stored.conversationConfig.agent = {
			...stored.conversationConfig.agent,
			prompt: {
				...stored.conversationConfig.agent?.prompt,
				builtInTools: {
					endCall: { type: 'system', name: 'end_call', params: { systemToolType: 'end_call' } },
				},
			},
		};
		expect((await publish()).status).toBe('success');
		expect(agentOf(bare()).conversationConfig.agent?.prompt?.builtInTools?.endCall).toMatchObject({
			name: 'end_call',
		});
		const english = await publish({ templateSet: 'en' });
		expect(english.json(PUBLISH)[0].changed).toContain('voicemail');
		expect(
			(voicemailTool(bare())?.params as { voicemailMessage?: string }).voicemailMessage,
		).toContain('the AI assistant of Klinikum Nord GmbH');
	});

	it('takes a custom set’s own message', async () => {
		const result = await publish({
			templateSet: 'custom',
			baseSet: 'de',
			partials: {
				partial: [
					{
						name: 'voicemailMessage',
						template: 'Hier ist {{company}}. Rückruf: {{callbackPhone}}.',
					},
				],
			},
		});
		expect(result.status).toBe('success');
		expect((voicemailTool(bare())?.params as { voicemailMessage?: string }).voicemailMessage).toBe(
			`Hier ist Klinikum Nord GmbH. Rückruf: ${CALLBACK}.`,
		);
	});

	it('refuses a message that names the candidate or the job, before anything is written', async () => {
		const result = await publish({
			templateSet: 'custom',
			baseSet: 'de',
			partials: {
				partial: [
					{
						name: 'voicemailMessage',
						template: 'Hallo {{name}}, es geht um {{jobTitle}} bei {{company}}.',
					},
				],
			},
		});
		expect(result.status).toBe('error');
		const error = runError(result);
		expect(error.message).toBe('The voicemail message uses name and jobTitle');
		expect(error.description).toContain('A mailbox can be heard by others');
		expect(writes()).toEqual([]);
		expect(voicemailTool(bare())).toBeUndefined();
	});
});

describe('A call that reaches a mailbox', () => {
	beforeEach(() =>
		sandbox.setWebhook({ url: 'http://127.0.0.1:9/unused', events: ['transcript'] }),
	);

	/** The trigger's output for the sandbox's transcription event of this conversation. */
	async function triggered(conversationId: string): Promise<IDataObject> {
		const delivery = await sandbox.webhooks.waitFor(
			(sent) => sent.type === 'post_call_transcription' && sent.rawBody.includes(conversationId),
		);
		const { data } = JSON.parse(delivery.rawBody) as { data: unknown };
		// Signed now: the sandbox's clock runs fast in these tests, its own signature lies ahead.
		const request = buildSignedWebhook(
			'post_call_transcription',
			data,
			String(sandbox.credentials().elevenLabsAgentsApi.webhookSecret),
			Math.floor(Date.now() / 1000),
		);
		const run = await runWebhook(
			{
				type: 'elevenLabsAgentsTrigger',
				name: 'Trigger',
				parameters: { events: ['post_call_transcription'] },
			},
			request,
			{ credentials: elevenLabsCredential(sandbox) },
		);
		return run.items[0].json;
	}

	const row = () => ({ name: 'Jonas Becker', phone: sandbox.scenarios.voicemail.number });

	async function callMailbox(extra: INodeParameters = {}) {
		sandbox.clock.setSpeed(50);
		return await runNodes(
			[
				placeNode(sandbox, {
					agentId: locator(bare()),
					campaign: 'mailbox',
					dynamicVariables: { variable: [{ name: 'name', value: '={{ $json.name }}' }] },
					...extra,
				}),
				waitingGetNode(),
			],
			{ credentials: { ...sandbox.credentials() }, items: [row()] },
		);
	}

	it('leaves the message on the mailbox and is voicemail in Get Transcript, the trigger and the ledger', async () => {
		expect((await publish()).status).toBe('success');
		const result = await callMailbox({ options: { maxAttempts: 2, hoursBetweenAttempts: 0 } });
		expect(result.status).toBe('success');
		const [outcome] = result.json(GET);
		expect(outcome).toMatchObject({ status: 'done', callResult: 'voicemail' });
		const [left] = mailboxMessages(sandbox, sandbox.scenarios.voicemail.number);
		expect(left).toMatchObject({
			conversationId: outcome.conversationId,
			from: sandbox.numbers.twilioBerlin,
		});
		expect(left.message).toContain('Klinikum Nord GmbH');
		expect(left.message).toContain(CALLBACK);
		expect(left.message).not.toContain('Jonas');
		expect(outcome.transcriptText).toContain(left.message);

		expect(await triggered(String(outcome.conversationId))).toMatchObject({
			conversationId: outcome.conversationId,
			callResult: 'voicemail',
		});

		// Not reached: the next attempt is dialled, and the one after it is over the budget.
		const second = await callMailbox({ options: { maxAttempts: 2, hoursBetweenAttempts: 0 } });
		expect(second.json(PLACE)[0]).toMatchObject({ status: 'initiated' });
		expect(second.json(GET)[0]).toMatchObject({ callResult: 'voicemail' });
		const third = await runNode(
			placeNode(sandbox, {
				agentId: locator(bare()),
				campaign: 'mailbox',
				options: { maxAttempts: 2, hoursBetweenAttempts: 0 },
			}),
			{ credentials: { ...sandbox.credentials() }, items: [row()] },
		);
		expect(third.json(PLACE)[0]).toMatchObject({ status: 'attempts_exhausted', attempts: 2 });
		expect(mailboxMessages(sandbox)).toHaveLength(2);
	});

	it('through the team’s own Twilio account as well', async () => {
		expect((await publish()).status).toBe('success');
		sandbox.clock.setSpeed(50);
		const placed = await runNode(
			placeNode(sandbox, {
				agentId: locator(bare()),
				campaign: 'mailbox',
				dynamicVariables: { variable: [{ name: 'name', value: '={{ $json.name }}' }] },
				transport: 'ownTwilio',
				fromNumber: sandbox.numbers.twilioBerlin,
				options: { machineDetection: 'enable' },
			}),
			{ credentials: { ...sandbox.credentials() }, items: [row()] },
		);
		const [out] = placed.json(PLACE);
		expect(out).toMatchObject({ status: 'initiated', transport: 'own_twilio' });
		// Twilio's answer carries no conversation id: the call's user id (the key) finds it.
		const [conversation] = conversationStore(sandbox).list({ userId: String(out.idempotencyKey) });
		const result = await runNode(waitingGetNode(), {
			credentials: elevenLabsCredential(sandbox),
			items: [{ conversationId: conversation.conversationId }],
		});
		expect(result.json(GET)[0]).toMatchObject({ callResult: 'voicemail' });
		expect(mailboxMessages(sandbox, sandbox.scenarios.voicemail.number)).toHaveLength(1);
		// Twilio's machine detection says the same.
		const call = await fetch(
			`${sandbox.url}/2010-04-01/Accounts/${sandbox.twilio.accountSid}/Calls/${String(out.callSid)}.json`,
			{
				headers: {
					authorization: `Basic ${Buffer.from(`${sandbox.twilio.accountSid}:${sandbox.twilio.authToken}`).toString('base64')}`,
				},
			},
		);
		expect(((await call.json()) as IDataObject).answered_by).toBe('machine_start');
	});

	it('leaves nothing on the mailbox when the agent was never published (the agent talks on)', async () => {
		const result = await callMailbox({
			dynamicVariables: {
				variable: Object.entries(VARIABLES).map(([name, value]) => ({ name, value })),
			},
			agentId: locator(sandbox.ids.agents.recruitingDe),
		});
		expect(result.status).toBe('success');
		expect(result.json(GET)[0]).toMatchObject({ callResult: 'voicemail' });
		expect(mailboxMessages(sandbox)).toEqual([]);
	});
});
