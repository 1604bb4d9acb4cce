/** ElevenLabs Agents Trigger node: signed post-call events (transcript, audio, failure), once */
import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IDataObject,
	IHookFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import {
	conversationOutput,
	conversationOutputFields,
	initiationFailureOutput,
} from '../shared/conversation/conversationOutput';
import { agentLocator, locatorValue } from '../shared/n8n/descriptions';
import { agentOptions, searchAgents } from '../shared/vendors/listSearch';
import { audioProblem } from '../shared/conversation/mp3';
import { getAgent } from '../shared/vendors/elevenLabsApi';
import { ELEVENLABS_CREDENTIAL, elevenLabsClient } from '../shared/vendors/elevenLabsClient';
import type { OutputField } from '../shared/n8n/outputFields';
import { problem, toNodeError } from '../shared/n8n/problems';
import type { Checked } from '../shared/n8n/problems';
import { safeFileName } from '../shared/text/safeFileName';
import { SIGNATURE_HEADER, verifyWebhookSignature } from '../shared/vendors/webhookSignature';
import type { SignatureCheck } from '../shared/vendors/webhookSignature';
import { isFirstDelivery, ledgerProperties, triggerLedger } from './helpers/deliveries';
import {
	audioFromWire,
	eventIds,
	initiationFailureFromWire,
	parseEventBody,
	transcriptionShapeProblem,
} from './helpers/events';
import type { PostCallEvent } from './helpers/events';
import {
	ownSecret,
	register,
	registrationExists,
	storedRegistration,
	unregister,
} from './helpers/registration';
import { countRefusal } from './helpers/refusals';
import { callLedgerConnection } from '../shared/ledger/credentialTest';
import { chosenAgents, registrationLifecycle } from '../shared/trigger/activation';

/**
 * The secrets that verify the signatures: the credential's, for a webhook set up by hand, and
 * the one ElevenLabs returned when the trigger registered its own webhook. Both count, so that
 * a secret added to a shared credential for another workflow does not lock this trigger out.
 */
async function webhookSecrets(ctx: IWebhookFunctions): Promise<Checked<string[]>> {
	const credentials = await ctx.getCredentials(ELEVENLABS_CREDENTIAL);
	const secrets = [
		String(credentials.webhookSecret ?? '').trim(),
		(await ownSecret(ctx, ctx.getWorkflowStaticData('node'))) ?? '',
	].filter(Boolean);
	if (secrets.length) return { ok: true, value: secrets };
	return problem(
		'The ElevenLabs credential has no webhook secret',
		'The trigger has not set up a webhook of its own either. Choose the agents under "Agent Names or IDs" and activate the workflow again, so that the trigger sets up its webhook, or paste the secret of a webhook set up by hand into "Webhook Secret" of the "ElevenLabs Agents API" credential.',
	);
}

/** The signature check against each secret: the first that matches, else the first failure. */
function verifyWithAny(
	request: { header: string | string[] | undefined; rawBody: Buffer },
	secrets: string[],
): SignatureCheck {
	const nowMs = Date.now();
	const checks = secrets.map((secret) => verifyWebhookSignature({ ...request, secret, nowMs }));
	return checks.find((check) => check.ok) ?? checks[0];
}

/** Whether the credential has a webhook secret (a webhook set up by hand, or one for another workflow). */
async function credentialHasSecret(ctx: IHookFunctions): Promise<boolean> {
	const credentials = await ctx.getCredentials(ELEVENLABS_CREDENTIAL);
	return String(credentials.webhookSecret ?? '').trim() !== '';
}

/** The ledger must work before events arrive: its problem stops the activation, not every event. */
async function checkLedger(ctx: IHookFunctions): Promise<void> {
	const ledger = await triggerLedger(ctx);
	if (!ledger.ok) throw toNodeError(ctx.getNode(), ledger);
}

/**
 * "Listen for test event" in the editor: n8n gives the test webhook empty static data, so it
 * would register a second webhook and move the agents to the editor's URL. Nothing is changed
 * at ElevenLabs: with a webhook set up by hand (the credential's secret) the test URL listens
 * for what is sent there; otherwise the chosen agents are read, to check the set-up, and the
 * editor is told how to test.
 */
async function verifyInEditor(ctx: IHookFunctions): Promise<boolean> {
	if (await credentialHasSecret(ctx)) return true;
	const connection = await elevenLabsClient(ctx);
	for (const agentId of chosenAgents(ctx))
		await getAgent(connection, { node: ctx.getNode() }, agentId);
	throw toNodeError(ctx.getNode(), {
		message: 'Listening in the editor does not move the agents away from the published workflow',
		hint: "The chosen agents and the credential are fine; ElevenLabs keeps sending their post-call events to the Production URL, and nothing at ElevenLabs was changed. To build the rest of the workflow, open an execution of the published workflow (Executions), copy it to the editor or pin the trigger's output there, and run the following nodes with it.",
	});
}

/**
 * Whether the trigger's webhook is in place: its own registration (registration.ts), or one the
 * team set up by hand, which the credential's webhook secret without a registration says. In
 * the editor ("Listen for test event", mode manual) nothing at ElevenLabs is touched.
 */
async function webhookInPlace(ctx: IHookFunctions, staticData: IDataObject): Promise<boolean> {
	if (ctx.getMode() === 'manual') return await verifyInEditor(ctx);
	await checkLedger(ctx);
	if (storedRegistration(staticData)) {
		if (await credentialHasSecret(ctx))
			ctx.logger.warn(
				'ElevenLabs Agents Trigger: the credential has a webhook secret and the trigger its own webhook; events signed with either are accepted',
				{ node: ctx.getNode().name },
			);
		return await registrationExists(ctx, staticData);
	}
	return await credentialHasSecret(ctx);
}

function reject(ctx: IWebhookFunctions, status: number, message: string): IWebhookResponseData {
	countRefusal(ctx, status, message);
	ctx.getResponseObject().status(status).json({ error: message });
	return { noWebhookResponse: true };
}

/** Acknowledged with 200 (so ElevenLabs does not count a failure) but starts nothing. */
function ignore(reason: string): IWebhookResponseData {
	return { webhookResponse: { received: true, ignored: reason } };
}

const BOTH_IDS = new Set(['conversationId', 'agentId']);

/** What each event starts the workflow with: Get Transcript's fields, or the recording's. */
export const outputFields: OutputField[] = [
	{
		name: 'event',
		type: 'string',
		description:
			'`post_call_transcription` (Transcript Ready), `call_initiation_failure` (Call Initiation Failed) or `post_call_audio` (Call Audio)',
	},
	{
		name: 'eventTimestamp',
		type: 'number or null',
		description: "The event's time (Unix seconds)",
	},
	...conversationOutputFields.map((field) =>
		BOTH_IDS.has(field.name)
			? field
			: { ...field, when: 'Transcript Ready, Call Initiation Failed (as Get Transcript)' },
	),
	{
		name: 'fileName',
		type: 'string',
		description:
			"The recording's file name, from the safe characters of the conversation id (the audio is the item's binary `audio/mpeg`)",
		when: 'Call Audio',
	},
	{ name: 'fileSizeBytes', type: 'number', description: 'Its size', when: 'Call Audio' },
];

export class ElevenLabsAgentsTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'ElevenLabs Agents Trigger',
		name: 'elevenLabsAgentsTrigger',
		icon: {
			light: 'file:../../icons/agentsTrigger.svg',
			dark: 'file:../../icons/agentsTrigger.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		subtitle: '={{ ($parameter["events"] || []).join(", ") }}',
		description:
			'Starts the workflow when ElevenLabs sends a post-call webhook: transcript and analysis ready, call audio, or a call that could not be connected',
		defaults: { name: 'ElevenLabs Agents Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: ELEVENLABS_CREDENTIAL, required: true },
			{
				name: 'callLedgerPostgresApi',
				required: true,
				testedBy: 'callLedgerConnection',
				displayOptions: { show: { ledger: ['postgres'] } },
			},
		],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: 'elevenlabs-post-call',
			},
		],
		properties: [
			{
				displayName:
					'On activation the trigger sets up its own post-call webhook in ElevenLabs (HMAC, this node\'s Production URL) for the agents chosen below, and removes it on deactivation. With a webhook set up by hand, put its secret into the credential\'s "Webhook Secret" instead: then nothing is set up. "Listen for test event" changes nothing at ElevenLabs: test with the output of an execution of the published workflow, pinned here.',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Agent Names or IDs',
				name: 'agentIds',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getAgents' },
				default: [],
				description:
					'The agents whose calls start this workflow: on activation their post-call webhook becomes this trigger (with the events below), on deactivation they get back what they had. Not needed when the credential has a webhook secret. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				default: ['post_call_transcription', 'call_initiation_failure'],
				description:
					'Which post-call webhooks start the workflow; others are acknowledged and ignored',
				options: [
					{
						name: 'Call Audio',
						value: 'post_call_audio',
						description: 'The recording of the whole call as binary audio/mpeg',
					},
					{
						name: 'Call Initiation Failed',
						value: 'call_initiation_failure',
						description: 'The call was not connected: busy, no answer or failed',
					},
					{
						name: 'Transcript Ready',
						value: 'post_call_transcription',
						description:
							'Transcript, summary, collected answers and evaluation, after the analysis',
					},
				],
			},
			...ledgerProperties,
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Take Over From Other Webhooks',
						name: 'takeOver',
						type: 'boolean',
						default: false,
						description:
							'Whether to attach the trigger to agents that send their post-call events to another webhook (another workflow, your own system). Off: activation stops and names that webhook. On: the agent goes back to it when this workflow is deactivated, in whichever order the workflows are deactivated.',
					},
					{
						displayName: 'Put Audio in Field',
						name: 'binaryPropertyName',
						type: 'string',
						default: 'data',
						description: 'The name of the output binary field that holds the call audio',
					},
					{
						...agentLocator,
						displayName: 'Only for Agent',
						required: false,
						description:
							'Start only for calls of this agent. The webhook is set per workspace, so it otherwise reports the calls of every agent.',
					},
				],
			},
		],
	};

	methods = {
		listSearch: { searchAgents },
		loadOptions: { getAgents: agentOptions },
		credentialTest: { callLedgerConnection },
	};

	/**
	 * n8n's webhook lifecycle: the trigger registers its own webhook unless one is in place.
	 * Deactivation undoes the registration also after the credential got a secret.
	 */
	webhookMethods = {
		default: registrationLifecycle({ exists: webhookInPlace, register, unregister }),
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const secrets = await webhookSecrets(this);
		if (!secrets.ok) return reject(this, 401, secrets.message);
		const request = this.getRequestObject();
		const raw: unknown = request.rawBody;
		if (!Buffer.isBuffer(raw)) return reject(this, 401, 'The request has no body to verify');
		const check = verifyWithAny(
			{ header: request.headers[SIGNATURE_HEADER], rawBody: raw },
			secrets.value,
		);
		if (!check.ok) return reject(this, 401, check.message);

		const body = parseEventBody(raw);
		if (!body.ok) return reject(this, 400, body.message);
		const events = this.getNodeParameter('events', []) as string[];
		if (!events.includes(body.type)) {
			return ignore(`event type ${body.type} is not selected in this trigger`);
		}
		const ids = eventIds(body.data);
		if (!ids) return reject(this, 400, 'The event has no conversation_id or agent_id');
		const options = this.getNodeParameter('options', {}) as {
			binaryPropertyName?: string;
			agentId?: unknown;
		};
		const onlyAgent = locatorValue(options.agentId);
		if (onlyAgent && onlyAgent !== ids.agentId)
			return ignore(`the call belongs to agent ${ids.agentId}`);

		const result = await outputItem(
			this,
			body.type as PostCallEvent,
			body.data,
			ids,
			options.binaryPropertyName,
		).catch(
			// A shape no check above foresaw: answer 400 and start nothing, never a TypeError.
			() => ({ ok: false as const, problem: `The ${body.type} event could not be read` }),
		);
		if (!result.ok) return reject(this, 400, result.problem);
		// A test in the editor runs every event it is sent; the published trigger each event once.
		if (this.getMode() !== 'manual') {
			const first = await firstCopy(this, {
				type: body.type,
				conversationId: ids.conversationId,
				signedAt: check.timestamp,
			});
			if (first !== true) return first;
		}
		this.getResponseObject().status(200).json({ received: true });
		const event = { event: body.type, eventTimestamp: body.eventTimestamp };
		return {
			workflowData: [[{ ...result.item, json: { ...event, ...result.item.json } }]],
			noWebhookResponse: true,
		};
	}
}

/**
 * True for the first copy of an event; else the answer: 200 and nothing started for a repeat,
 * 503 when the ledger cannot be reached (ElevenLabs retries; nothing is lost or doubled).
 */
async function firstCopy(
	ctx: IWebhookFunctions,
	event: { type: string; conversationId: string; signedAt: number },
): Promise<true | IWebhookResponseData> {
	const repeat = `${event.type} of conversation ${event.conversationId} was already received`;
	try {
		const ledger = await triggerLedger(ctx);
		if (!ledger.ok) return reject(ctx, 503, ledger.message);
		return (await isFirstDelivery(ctx, ledger.value, event)) ? true : ignore(repeat);
	} catch {
		return reject(
			ctx,
			503,
			'The call ledger, where the trigger records the events it received, could not be reached',
		);
	}
}

async function outputItem(
	ctx: IWebhookFunctions,
	type: PostCallEvent,
	data: Record<string, unknown>,
	ids: { conversationId: string; agentId: string },
	binaryPropertyName = 'data',
): Promise<{ ok: true; item: INodeExecutionData } | { ok: false; problem: string }> {
	switch (type) {
		case 'post_call_transcription': {
			const malformed = transcriptionShapeProblem(data);
			if (malformed) return { ok: false, problem: malformed };
			// The SDK's own wire → camelCase mapping, so Get and the trigger shape the same model.
			const { GetConversationResponseModel } = await import(
				'@elevenlabs/elevenlabs-js/serialization/types/GetConversationResponseModel'
			);
			const parsed = GetConversationResponseModel.parse(data, {
				unrecognizedObjectKeys: 'passthrough',
				allowUnrecognizedUnionMembers: true,
				allowUnrecognizedEnumValues: true,
				// Webhook payloads lag the GET shape by a field or two (e.g. has_auxiliary_audio).
				skipValidation: true,
			});
			if (!parsed.ok) return { ok: false, problem: 'The transcription event could not be read' };
			return { ok: true, item: { json: conversationOutput(parsed.value) } };
		}
		case 'post_call_audio': {
			const audio = audioFromWire(data);
			if (!audio) return { ok: false, problem: 'The audio event has no base64 full_audio' };
			const notMp3 = audioProblem('audio/mpeg', audio);
			if (notMp3)
				return { ok: false, problem: `The audio event's full_audio is not a recording: ${notMp3}` };
			// The id comes from the request body: only safe characters reach the file name.
			const fileName = safeFileName(ids.conversationId, 'mp3');
			const binary = await ctx.helpers.prepareBinaryData(audio, fileName, 'audio/mpeg');
			return {
				ok: true,
				item: {
					json: { ...ids, fileName, fileSizeBytes: audio.length },
					binary: { [binaryPropertyName.trim() || 'data']: binary },
				},
			};
		}
		case 'call_initiation_failure':
			return {
				ok: true,
				item: { json: initiationFailureOutput(initiationFailureFromWire(data, ids)) },
			};
	}
}
