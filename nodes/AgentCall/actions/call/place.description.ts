/** Call → Place parameters: agent, route, caller number, skip, calling window and options */
import type { INodeProperties } from 'n8n-workflow';

import { agentLocator, phoneNumberLocator } from '../../../shared/n8n/descriptions';
import { callingHoursProperties, callingWindowOptions } from '../common/callingHours.description';
import { candidateProperties, numberKindOptions } from '../common/candidate.description';
import { attemptOptions, ledgerProperties } from '../../../shared/ledger/ledgerParameters';

const show = { resource: ['call'], operation: ['place'] };

export const description: INodeProperties[] = [
	{ ...agentLocator, displayOptions: { show } },
	{
		displayName: 'Call Through',
		name: 'transport',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show },
		options: [
			{
				name: 'ElevenLabs Phone Number',
				value: 'elevenLabs',
				description:
					'ElevenLabs dials from a number imported into ElevenLabs (Twilio or SIP trunk, picked from the number)',
			},
			{
				name: 'Own Twilio Account',
				value: 'ownTwilio',
				description:
					'Your Twilio account dials and connects the call to the agent (needs the Twilio Calls API credential)',
			},
		],
		default: 'elevenLabs',
	},
	{ ...phoneNumberLocator, displayOptions: { show: { ...show, transport: ['elevenLabs'] } } },
	{
		displayName: 'Caller Number',
		name: 'fromNumber',
		type: 'string',
		required: true,
		default: '',
		placeholder: '+4930123456789',
		description:
			'A voice number of your Twilio account (or a verified caller ID) in international format',
		displayOptions: { show: { ...show, transport: ['ownTwilio'] } },
	},
	...candidateProperties(show),
	...ledgerProperties(show),
	{
		displayName: 'Skip If Already Called',
		name: 'skipIfAlreadyCalled',
		type: 'boolean',
		default: true,
		description:
			'Whether a call that reached the candidate counts against calling them again in this campaign, and calls the call ledger does not know (placed before it, or by another tool) are looked up in ElevenLabs by the idempotency key. The ledger always keeps executions running at the same time, retries and re-runs from dialling twice.',
		displayOptions: { show },
	},
	{
		displayName: 'Respect Calling Window',
		name: 'useCallingWindow',
		type: 'boolean',
		default: true,
		description:
			'Whether to call only on the chosen days and hours in the candidate’s local time, and not on public holidays. Candidates outside the window are not called; they come out with status "outside_window" and the next allowed time.',
		displayOptions: { show },
	},
	...callingHoursProperties(show, 'the candidate’s time zone'),
	callingWindowOptions(show),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			...attemptOptions,
			...numberKindOptions,
			{
				displayName: 'Answering Machine Detection',
				name: 'machineDetection',
				type: 'options',
				options: [
					{ name: 'Off', value: 'off' },
					{
						name: 'Detect',
						value: 'enable',
						description: 'Twilio tells whether a person or a machine answered',
					},
					{
						name: 'Detect and Wait for Message End',
						value: 'detect_message_end',
						description: 'For leaving a voicemail after the beep',
					},
				],
				default: 'off',
				description: 'Twilio numbers only',
			},
			{
				displayName: 'Calls per Minute',
				name: 'callsPerMinute',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 20,
				description: 'Most calls this node starts per minute; 0 for no limit',
			},
			{
				displayName: 'Concurrency Guard',
				name: 'concurrencyGuard',
				type: 'boolean',
				default: true,
				description:
					'Whether to count the agent’s running calls before each dial and wait while it is at its limit',
			},
			{
				displayName: 'Default Phone Region',
				name: 'defaultRegion',
				type: 'string',
				default: 'DE',
				description: 'Country for numbers written without country code, e.g. DE, AT, CH',
			},
			{
				displayName: 'First Message',
				name: 'firstMessage',
				type: 'string',
				typeOptions: { rows: 2 },
				default: '',
				description:
					'Replaces the first message (also the one from the item’s prompt). The agent must allow it.',
			},
			{
				displayName: 'Idempotency Key',
				name: 'idempotencyKey',
				type: 'string',
				default: '',
				description:
					'Your own key instead of the one made from campaign and candidate. Calls with the same key are placed once.',
			},
			{
				displayName: 'Language',
				name: 'language',
				type: 'string',
				default: '',
				placeholder: 'de',
				description: 'Replaces the conversation language. The agent must allow it.',
			},
			{
				displayName: 'Look Back (Days)',
				name: 'lookBackDays',
				type: 'number',
				typeOptions: { minValue: 1, numberPrecision: 0 },
				default: 90,
				description: 'How far back "Skip If Already Called" searches',
			},
			{
				displayName: 'Max Concurrent Calls',
				name: 'maxConcurrentCalls',
				type: 'number',
				typeOptions: { minValue: 0, numberPrecision: 0 },
				default: 0,
				description: 'Limit for the concurrency guard; 0 uses the agent’s own concurrency limit',
			},
			{
				displayName: 'Max Wait (Seconds)',
				name: 'maxWaitSeconds',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 600,
				description:
					'How long one candidate waits for a free line (concurrency guard and busy retries) before failing',
			},
			{
				displayName: 'Record Call (Twilio)',
				name: 'recording',
				type: 'boolean',
				default: false,
				description:
					'Whether Twilio records the call (Twilio numbers only). Candidates must be told and, under GDPR, usually consent.',
			},
			{
				displayName: 'Request Timeout (Seconds)',
				name: 'requestTimeout',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 300 },
				default: 30,
				description:
					'How long to wait for ElevenLabs to answer a dial (Twilio: 30 s). Without an answer the call may still have been placed: it is reported as status "unknown", never retried.',
			},
			{
				displayName: 'Retries When Busy',
				name: 'busyRetries',
				type: 'number',
				typeOptions: { minValue: 0, numberPrecision: 0 },
				default: 5,
				description:
					'How often a dial refused with 429 (over the concurrency limit: nobody was called) is tried again with backoff',
			},
			{
				displayName: 'Ringing Timeout (Seconds)',
				name: 'ringingTimeout',
				type: 'number',
				typeOptions: { minValue: 5, maxValue: 600, numberPrecision: 0 },
				default: 60,
				description: 'How long the phone rings before the call counts as not answered',
			},
			{
				displayName: 'Status Callback URL (Own Twilio)',
				name: 'statusCallbackUrl',
				type: 'string',
				default: '',
				placeholder: 'https://n8n.example.com/webhook/call-status',
				description:
					'Twilio posts the call’s status changes (initiated, ringing, answered, completed) here. Anyone who knows the address can post to it too: check the X-Twilio-Signature header (HMAC-SHA1 of the URL and the posted fields with the Twilio Auth Token) before acting on a status.',
			},
			{
				displayName: 'System Prompt',
				name: 'systemPrompt',
				type: 'string',
				typeOptions: { rows: 4 },
				default: '',
				description:
					'Replaces the agent’s system prompt (also the one from the item’s prompt). The agent must allow it.',
			},
		],
	},
];
