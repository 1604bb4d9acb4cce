/** ElevenLabs Callback Trigger: answers ElevenLabs' conversation-initiation webhook for calls to an agent's number. */
import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import type { OutputField } from '../shared/n8n/outputFields';
import { ELEVENLABS_CREDENTIAL } from '../shared/vendors/elevenLabsClient';
import { agentOptions } from '../shared/vendors/listSearch';
import { credentialApiKey, registrationLifecycle } from '../shared/trigger/activation';
import { loadBundledSet } from '../RecruitingPrompt/helpers/templates';
import type { BundledSetName } from '../RecruitingPrompt/helpers/templates';
import { CALLBACK_SECRET_HEADER, callbackSecret, secretMatches } from './helpers/callbackSecret';
import { genericAnswer, greetingText, readInitiationRequest } from './helpers/initiationAnswer';
import {
	initiationWebhookExists,
	registerInitiationWebhook,
	storedCallbackRegistration,
	unregisterInitiationWebhook,
} from './helpers/initiationWebhook';
import { DEFAULT_ANSWER_WITHIN_MS, answerBudgetMs, holdRequest } from './helpers/pendingAnswers';

/** The bundled intake greeting of a language (template `callbackIntake` of its set). */
function intakeGreeting(language: string): string | undefined {
	const set: BundledSetName = language === 'en' ? 'en' : 'de';
	try {
		return greetingText(loadBundledSet(set).callbackIntake);
	} catch {
		return undefined;
	}
}

function answerNow(ctx: IWebhookFunctions, status: number, body: object): IWebhookResponseData {
	ctx.getResponseObject().status(status).json(body);
	return { noWebhookResponse: true };
}

/** The one item a call to the agent's number starts the workflow with. */
export const outputFields: OutputField[] = [
	{
		name: 'callbackId',
		type: 'string',
		description:
			'The held request of this call: ElevenLabs Callback Answer answers it (map nothing, it is read from the execution)',
	},
	{
		name: 'callerNumber',
		type: 'string',
		description:
			"The caller's number as ElevenLabs reports it (E.164): look the candidate up by it",
		example: '+4917112345678',
	},
	{ name: 'agentId', type: 'string', description: 'The agent the caller reached' },
	{ name: 'calledNumber', type: 'string', description: "The agent's number that was called" },
	{ name: 'callSid', type: 'string', description: "Twilio's id of the inbound call" },
	{
		name: 'agentVariables',
		type: 'string[]',
		description: "The dynamic variables the agent's prompt needs, which the answer must fill",
	},
	{
		name: 'firstMessageAllowed',
		type: 'boolean',
		description:
			'Whether the agent lets the answer replace its first message (the callback greeting)',
	},
	{ name: 'receivedAt', type: 'string', description: 'When the call came in (ISO 8601)' },
];

export class ElevenLabsCallbackTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'ElevenLabs Callback Trigger',
		name: 'elevenLabsCallbackTrigger',
		icon: {
			light: 'file:../../icons/callbackTrigger.svg',
			dark: 'file:../../icons/callbackTrigger.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		subtitle: "Calls to the agents' numbers",
		description:
			"Starts the workflow when a candidate calls an agent's number, so that it can look the caller up and answer with their call variables",
		defaults: { name: 'ElevenLabs Callback Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: ELEVENLABS_CREDENTIAL, required: true }],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: 'elevenlabs-conversation-initiation',
			},
		],
		properties: [
			{
				displayName:
					'On activation this trigger becomes the conversation initiation webhook of the ElevenLabs workspace (one per workspace), with a secret header, and the agents below may take call data from it. End the workflow with "ElevenLabs Callback Answer". A caller the workflow does not answer for in time gets the generic intake.',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Agent Names or IDs',
				name: 'agentIds',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getAgents' },
				required: true,
				default: [],
				description:
					'The agents whose phone numbers candidates call back. On activation they may take call data from this webhook; on deactivation they get back the setting they had. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Answer Within (Milliseconds)',
						name: 'answerWithinMs',
						type: 'number',
						typeOptions: { minValue: 200, maxValue: 10000, numberPrecision: 0 },
						default: DEFAULT_ANSWER_WITHIN_MS,
						description:
							'How long the phone rings while the workflow looks the caller up. Without an answer by then the caller gets the generic intake. ElevenLabs does not publish how long it waits: keep this short.',
					},
					{
						displayName: 'Intake Greeting Language',
						name: 'intakeLanguage',
						type: 'options',
						options: [
							{ name: 'German', value: 'de' },
							{ name: 'English', value: 'en' },
						],
						default: 'de',
						description:
							'The bundled greeting for callers who get the generic intake, used where the agent allows a first message of the call',
					},
					{
						displayName: 'Replace Another Webhook',
						name: 'replaceOtherWebhook',
						type: 'boolean',
						default: false,
						description:
							'Whether to replace a conversation initiation webhook that someone else set in the workspace. Deactivation puts it back.',
					},
					{
						displayName: 'Values for Unknown Callers',
						name: 'intakeValues',
						type: 'fixedCollection',
						typeOptions: { multipleValues: true },
						placeholder: 'Add Value',
						default: {},
						description:
							'What the agent’s call variables hold in the generic intake (e.g. name: "" or job_title: "eine unserer Stellen"). Variables not listed here are empty.',
						options: [
							{
								displayName: 'Value',
								name: 'value',
								values: [
									{ displayName: 'Name', name: 'name', type: 'string', default: '' },
									{ displayName: 'Value', name: 'value', type: 'string', default: '' },
								],
							},
						],
					},
				],
			},
		],
	};

	methods = { loadOptions: { getAgents: agentOptions } };

	webhookMethods = {
		default: registrationLifecycle({
			exists: initiationWebhookExists,
			register: registerInitiationWebhook,
			unregister: unregisterInitiationWebhook,
		}),
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const expected = callbackSecret(
			await credentialApiKey(this),
			this.getNodeWebhookUrl('default') ?? '',
		);
		const request = this.getRequestObject();
		if (!secretMatches(request.headers[CALLBACK_SECRET_HEADER], expected)) {
			this.logger.warn('ElevenLabs Callback Trigger refused a request without its secret header', {
				node: this.getNode().name,
			});
			return answerNow(this, 401, { error: 'The request does not carry the secret header' });
		}
		const call = readInitiationRequest(request.body);
		if (!call) return answerNow(this, 400, { error: 'The body has no caller_id and agent_id' });

		const options = this.getNodeParameter('options', {}) as {
			answerWithinMs?: number;
			intakeLanguage?: string;
			intakeValues?: { value?: Array<{ name?: string; value?: string }> };
		};
		const values: Record<string, string> = {};
		for (const entry of options.intakeValues?.value ?? []) {
			if (entry.name?.trim()) values[entry.name.trim()] = entry.value ?? '';
		}
		const profile = storedCallbackRegistration(this.getWorkflowStaticData('node'))?.agents.find(
			(agent) => agent.agentId === call.agentId,
		);
		const generic = genericAnswer(profile, values, intakeGreeting(options.intakeLanguage ?? 'de'));
		// A call to an agent this trigger was not set up for: answered, nothing started.
		if (!profile) return answerNow(this, 200, generic);

		const response = this.getResponseObject();
		const callbackId = holdRequest(
			(body) => response.status(200).json(body),
			generic,
			answerBudgetMs(options.answerWithinMs),
		);
		return {
			workflowData: [
				[
					{
						json: {
							callbackId,
							callerNumber: call.callerId,
							agentId: call.agentId,
							calledNumber: call.calledNumber,
							callSid: call.callSid,
							agentVariables: profile.variables,
							firstMessageAllowed: profile.firstMessageOverride,
							receivedAt: new Date().toISOString(),
						},
					},
				],
			],
			noWebhookResponse: true,
		};
	}
}
