/** Campaign → Submit parameters: agent, number, campaign name, candidate, window and options */
import { updateDisplayOptions } from 'n8n-workflow';
import type { INodeProperties } from 'n8n-workflow';

import { agentLocator, phoneNumberLocator } from '../../../shared/n8n/descriptions';
import { callingHoursProperties } from '../common/callingHours.description';
import { candidateProperties, numberKindOptions } from '../common/candidate.description';
import { attemptOptions, ledgerProperties } from '../../../shared/ledger/ledgerParameters';

const show = { resource: ['campaign'], operation: ['submit'] };

const properties: INodeProperties[] = [
	agentLocator,
	phoneNumberLocator,
	{
		displayName: 'Campaign Name',
		name: 'callName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'Warehouse staff Leipzig, March',
		description: 'Shown in ElevenLabs under Batch Calling',
	},
	...candidateProperties({}),
	...ledgerProperties({}),
	{
		displayName: 'Skip If Already Called',
		name: 'skipIfAlreadyCalled',
		type: 'boolean',
		default: true,
		description:
			'Whether a call that reached the candidate counts against calling them again in this campaign, and recipients of earlier campaigns of this agent (same idempotency key, not cancelled) that the call ledger does not know are left out. The ledger always keeps two submits of the same list from calling anyone twice.',
	},
	{
		displayName: 'Respect Calling Window',
		name: 'useCallingWindow',
		type: 'boolean',
		default: true,
		description:
			'Whether to call each recipient only on the chosen days and hours in their own local time, and not on the public holidays of their number’s country. Recipients outside their window when the campaign starts are left out and listed in outsideWindow; without a scheduled time, a campaign that could call nobody now starts at the next allowed moment.',
	},
	...callingHoursProperties({}, 'the recipient’s time zone'),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			...attemptOptions,
			...numberKindOptions,
			{
				displayName: 'Concurrency Limit',
				name: 'concurrencyLimit',
				type: 'number',
				typeOptions: { minValue: 1, numberPrecision: 0 },
				default: 5,
				description:
					'Most calls of this campaign at the same time. Without it ElevenLabs gives the campaign a share of the workspace’s lines, and the calling-window plan counts on the agent’s own limit (one line when it has none).',
			},
			{
				displayName: 'Default Phone Region',
				name: 'defaultRegion',
				type: 'string',
				default: 'DE',
				description: 'Country for numbers without country code',
			},
			{
				displayName: 'First Message',
				name: 'firstMessage',
				type: 'string',
				default: '',
				description: 'Replaces the first message for every recipient. The agent must allow it.',
			},
			{
				displayName: 'Holiday Country',
				name: 'holidayCountry',
				type: 'string',
				default: '',
				placeholder: 'DE',
				description:
					'Two-letter country whose public holidays are skipped for every recipient. Default: each number’s country.',
			},
			{
				displayName: 'Holiday State',
				name: 'holidayState',
				type: 'string',
				default: '',
				placeholder: 'BY',
			},
			{
				displayName: 'Invalid Numbers',
				name: 'invalidNumbers',
				type: 'options',
				options: [
					{ name: 'Stop, Submit Nothing', value: 'fail' },
					{ name: 'Leave Out and List Them', value: 'report' },
				],
				default: 'fail',
				description: 'What to do when some candidates’ numbers cannot be called',
			},
			{
				displayName: 'Language',
				name: 'language',
				type: 'string',
				default: '',
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
				displayName: 'Ringing Timeout (Seconds)',
				name: 'ringingTimeout',
				type: 'number',
				typeOptions: { minValue: 5, maxValue: 600, numberPrecision: 0 },
				default: 60,
			},
			{
				displayName: 'Scheduled Time',
				name: 'scheduledTime',
				type: 'dateTime',
				default: '',
				description: 'When the campaign starts; empty for now (or the next allowed moment)',
			},
			{
				displayName: 'Skip Public Holidays',
				name: 'skipHolidays',
				type: 'boolean',
				default: true,
				description:
					'Whether to leave out recipients for whom the campaign starts on a public holiday of the holiday country (and state)',
			},
			{
				displayName: 'System Prompt',
				name: 'systemPrompt',
				type: 'string',
				typeOptions: { rows: 4 },
				default: '',
				description: 'Replaces the system prompt for every recipient. The agent must allow it.',
			},
			{
				displayName: 'Time Zone',
				name: 'timeZone',
				type: 'string',
				default: '',
				placeholder: 'Europe/Berlin',
				description:
					'IANA time zone of every recipient’s calling window, and the one ElevenLabs shows the campaign in. Default: each recipient’s own (the item field "timezone", else the number’s country); ElevenLabs shows Europe/Berlin.',
			},
			{
				displayName: 'Typical Call Length (Minutes)',
				name: 'typicalCallMinutes',
				type: 'number',
				typeOptions: { minValue: 1, numberPrecision: 1 },
				default: 5,
				description:
					'How long a call holds a line, ringing and wrap-up included. With the concurrency limit it decides how many recipients the campaign reaches before their calling window closes; the rest are listed under waitingForNextWindow for the next run.',
			},
		],
	},
];

export const description = updateDisplayOptions({ show }, properties);
