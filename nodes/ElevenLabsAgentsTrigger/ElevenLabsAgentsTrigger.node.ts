import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IHookFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { conversationOutput, initiationFailureOutput } from '../shared/conversationOutput';
import { agentLocator, locatorValue } from '../shared/descriptions';
import { ELEVENLABS_CREDENTIAL } from '../shared/elevenLabsClient';
import { agentOptions, searchAgents } from '../shared/listSearch';
import { audioProblem } from '../shared/mp3';
import { problem } from '../shared/problems';
import type { Checked } from '../shared/problems';
import { safeFileName } from '../shared/safeFileName';
import { SIGNATURE_HEADER, verifyWebhookSignature } from '../shared/webhookSignature';
import { isRepeatDelivery, rememberDelivery } from './helpers/deliveries';
import {
	audioFromWire,
	eventIds,
	initiationFailureFromWire,
	parseEventBody,
	transcriptionShapeProblem,
} from './helpers/events';
import type { PostCallEvent } from './helpers/events';
import {
	register,
	registrationExists,
	storedRegistration,
	unregister,
} from './helpers/registration';

/**
 * The secret that verifies the signatures: the credential's, for a webhook set up by hand, else
 * the one ElevenLabs returned when the trigger registered its own webhook.
 */
async function webhookSecret(ctx: IWebhookFunctions): Promise<Checked<string>> {
	const credentials = await ctx.getCredentials(ELEVENLABS_CREDENTIAL);
	const secret =
		String(credentials.webhookSecret ?? '').trim() ||
		storedRegistration(ctx.getWorkflowStaticData('node'))?.webhookSecret;
	if (secret) return { ok: true, value: secret };
	return problem(
		'The ElevenLabs credential has no webhook secret',
		'The trigger has not set up a webhook of its own either. Choose the agents under "Agent Names or IDs" and activate the workflow again, so that the trigger sets up its webhook, or paste the secret of a webhook set up by hand into "Webhook Secret" of the "ElevenLabs Agents API" credential.',
	);
}

/** Whether the team set the webhook up by hand: the credential has its secret, nothing is registered. */
async function setUpByHand(ctx: IHookFunctions): Promise<boolean> {
	const credentials = await ctx.getCredentials(ELEVENLABS_CREDENTIAL);
	return String(credentials.webhookSecret ?? '').trim() !== '';
}

function reject(ctx: IWebhookFunctions, status: number, message: string): IWebhookResponseData {
	ctx.logger.warn(`ElevenLabs Agents Trigger answered ${status}: ${message}`, {
		node: ctx.getNode().name,
	});
	ctx.getResponseObject().status(status).json({ error: message });
	return { noWebhookResponse: true };
}

/** Acknowledged with 200 (so ElevenLabs does not count a failure) but starts nothing. */
function ignore(reason: string): IWebhookResponseData {
	return { webhookResponse: { received: true, ignored: reason } };
}

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
		credentials: [{ name: ELEVENLABS_CREDENTIAL, required: true }],
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
					'On activation the trigger sets up its own post-call webhook in ElevenLabs (HMAC, this node\'s Production URL) for the agents chosen below, and removes it on deactivation. With a webhook set up by hand, put its secret into the credential\'s "Webhook Secret" instead: then nothing is set up.',
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
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
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

	methods = { listSearch: { searchAgents }, loadOptions: { getAgents: agentOptions } };

	/**
	 * n8n's webhook lifecycle: the trigger registers its own webhook (registration.ts) unless the
	 * team set one up by hand, which the credential's webhook secret says.
	 */
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				if (await setUpByHand(this)) return true;
				return await registrationExists(this, this.getWorkflowStaticData('node'));
			},
			async create(this: IHookFunctions): Promise<boolean> {
				if (await setUpByHand(this)) return true;
				await register(this, this.getWorkflowStaticData('node'));
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				// Also after the credential got a secret: what was registered is still undone.
				await unregister(this, this.getWorkflowStaticData('node'));
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const secret = await webhookSecret(this);
		if (!secret.ok) return reject(this, 401, secret.message);
		const request = this.getRequestObject();
		const raw: unknown = request.rawBody;
		if (!Buffer.isBuffer(raw)) return reject(this, 401, 'The request has no body to verify');
		const check = verifyWebhookSignature({
			header: request.headers[SIGNATURE_HEADER],
			rawBody: raw,
			secret: secret.value,
			nowMs: Date.now(),
		});
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

		const staticData = this.getWorkflowStaticData('node');
		const now = Date.now();
		if (isRepeatDelivery(staticData, body.type, ids.conversationId, now)) {
			return ignore(`${body.type} of conversation ${ids.conversationId} was already received`);
		}

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
		rememberDelivery(staticData, body.type, ids.conversationId, now);
		// Answered here, before n8n starts the execution: n8n 2.41 saves the static data a
		// webhook() changed when the answer goes out, and starting the execution first clears
		// its "changed" mark (the run wraps the same static data), so the repeat would be lost.
		this.getResponseObject().status(200).json({ received: true });
		const event = { event: body.type, eventTimestamp: body.eventTimestamp };
		return {
			workflowData: [[{ ...result.item, json: { ...event, ...result.item.json } }]],
			noWebhookResponse: true,
		};
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
