/** Conversation → Get Many: conversations filtered by agent, time, status, result or key */
import type { ElevenLabs } from '@elevenlabs/elevenlabs-js';
import { updateDisplayOptions } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import {
	conversationOutput,
	simplifyConversation,
} from '../../../shared/conversation/conversationOutput';
import {
	CONVERSATION_STATUSES,
	excludedStatuses,
} from '../../../shared/conversation/conversationStatus';
import { agentLocator, locatorValue } from '../../../shared/n8n/descriptions';
import { getConversation, listConversations } from '../../../shared/vendors/elevenLabsApi';
import { elevenLabsClient } from '../../../shared/vendors/elevenLabsClient';
import { elevenLabsPages, nextCursor } from '../../../shared/vendors/elevenLabsPages';
import { checkUserIdLength } from '../../../shared/text/idLengths';
import { mapItems } from '../../../shared/n8n/items';
import type { OutputField } from '../../../shared/n8n/outputFields';
import { readNumberParameter } from '../../../shared/n8n/numberParameters';
import { ProblemError } from '../../../shared/n8n/problems';
import { conversationSummary, unixSeconds } from '../../helpers/summaries';
import { outputFields as getFields } from './get.operation';

const PAGE_SIZE = 100;

const DETAILS = 'with *Include Details* (or a *Call Results* filter)';
const LIST_ENTRY = 'without *Include Details*';
/** The fields of Get that ElevenLabs' list entry has too (conversationSummary). */
const IN_LIST_ENTRY = [
	'conversationId',
	'agentId',
	'status',
	'callSuccessful',
	'startedAt',
	'durationSecs',
	'summary',
	'language',
	'terminationReason',
];

/**
 * Without details each item is ElevenLabs' list entry, named like Get; with details it is Get's
 * output (*Simplify* then keeps the outcome), so a field's presence depends on both options.
 */
export const outputFields: OutputField[] = [
	...getFields.map((field): OutputField => {
		if (IN_LIST_ENTRY.includes(field.name))
			return field.when ? { ...field, when: `${LIST_ENTRY}, or ${field.when}` } : field;
		return { ...field, when: field.when ? `${DETAILS}, ${field.when}` : DETAILS };
	}),
	{ name: 'agentName', type: 'string or null', description: "The agent's name", when: LIST_ENTRY },
	{
		name: 'messageCount',
		type: 'number',
		description: 'Turns in the conversation',
		when: LIST_ENTRY,
	},
	{
		name: 'title',
		type: 'string or null',
		description: "ElevenLabs' title of the call summary",
		when: LIST_ENTRY,
	},
	{
		name: 'direction',
		type: 'string or null',
		description: '`inbound` or `outbound`',
		when: LIST_ENTRY,
	},
];

const properties: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1, numberPrecision: 0 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{ ...agentLocator, required: false, description: 'Only conversations of this agent' },
			{
				displayName: 'Call Results',
				name: 'callResults',
				type: 'multiOptions',
				default: [],
				description:
					'Only calls with one of these results. ElevenLabs cannot filter by this itself, so each listed conversation is fetched in full (one more request each).',
				options: [
					{ name: 'Answered', value: 'answered' },
					{ name: 'Busy', value: 'busy' },
					{ name: 'Failed', value: 'failed' },
					{ name: 'No Answer', value: 'no_answer' },
					{ name: 'Voicemail', value: 'voicemail' },
				],
			},
			{
				displayName: 'Evaluation Result',
				name: 'callSuccessful',
				type: 'options',
				default: 'success',
				description: "Only conversations with this result of the agent's success evaluation",
				options: [
					{ name: 'Success', value: 'success' },
					{ name: 'Failure', value: 'failure' },
					{ name: 'Unknown', value: 'unknown' },
				],
			},
			{
				displayName: 'Idempotency Key (User ID)',
				name: 'userId',
				type: 'string',
				default: '',
				description:
					"Only conversations placed with this key (ElevenLabs' user_id), as Place Agent Call outputs it in idempotencyKey",
			},
			{
				displayName: 'Started After',
				name: 'startedAfter',
				type: 'dateTime',
				default: '',
				description: 'Only calls that started at or after this time',
			},
			{
				displayName: 'Started Before',
				name: 'startedBefore',
				type: 'dateTime',
				default: '',
				description: 'Only calls that started before this time',
			},
			{
				displayName: 'Statuses',
				name: 'statuses',
				type: 'multiOptions',
				default: [],
				description: 'Only conversations in one of these states',
				options: CONVERSATION_STATUSES.map((status) => ({
					name:
						status === 'in-progress' ? 'In Progress' : status[0].toUpperCase() + status.slice(1),
					value: status,
				})),
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
				displayName: 'Include Details',
				name: 'includeDetails',
				type: 'boolean',
				default: false,
				description:
					'Whether to fetch each conversation in full and output it as Get does (transcript, answers, evaluation, call result): one more request per conversation',
			},
			{
				displayName: 'Simplify',
				name: 'simplify',
				type: 'boolean',
				default: false,
				description:
					'Whether to return only the outcome of each detailed conversation, without the transcript',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['conversation'], operation: ['list'] } },
	properties,
);

interface ListFilters {
	agentId?: unknown;
	callResults?: string[];
	callSuccessful?: ElevenLabs.EvaluationResultFilter;
	userId?: string;
	startedAfter?: unknown;
	startedBefore?: unknown;
	statuses?: string[];
}

function dateFilter(value: unknown, field: string): number | undefined {
	const seconds = unixSeconds(value);
	if (seconds !== 'invalid') return seconds;
	throw new ProblemError(
		`Filter "${field}" is not a date`,
		`Pick a date and time, or map an ISO date such as 2026-03-01T09:00:00+01:00 (got ${JSON.stringify(value)}).`,
	);
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const connection = await elevenLabsClient(this);
	return await mapItems(this, async (_item, i) => {
		const returnAll = this.getNodeParameter('returnAll', i, false) as boolean;
		const limit = returnAll ? Infinity : readNumberParameter(this, properties, 'limit', i);
		const filters = this.getNodeParameter('filters', i, {}) as ListFilters;
		const options = this.getNodeParameter('options', i, {}) as {
			includeDetails?: boolean;
			simplify?: boolean;
		};
		const userId = checkUserIdLength(filters.userId?.trim() ?? '', 'User ID');
		if (!userId.ok) throw new ProblemError(userId.message, userId.hint);
		const callResults = filters.callResults ?? [];
		const details = options.includeDetails === true || callResults.length > 0;
		const request: ElevenLabs.conversationalAi.ConversationsListRequest = {
			agentId: locatorValue(filters.agentId),
			userId: userId.value || undefined,
			callSuccessful: filters.callSuccessful,
			callStartAfterUnix: dateFilter(filters.startedAfter, 'Started After'),
			callStartBeforeUnix: dateFilter(filters.startedBefore, 'Started Before'),
			excludeStatuses: excludedStatuses(filters.statuses),
			// Without details the list's own summary is all there is, so ask for it.
			summaryMode: details ? undefined : 'include',
		};

		const out: IDataObject[] = [];
		const at = { node: this.getNode(), itemIndex: i };
		const pages = elevenLabsPages({
			page: async (cursor) =>
				await listConversations(connection, at, {
					...request,
					// Client-side filtering may drop some: then full pages save requests.
					pageSize: details ? PAGE_SIZE : Math.min(PAGE_SIZE, limit - out.length),
					cursor,
				}),
			next: nextCursor,
		});
		for await (const page of pages) {
			for (const summary of page.conversations) {
				if (out.length >= limit) break;
				if (!details) {
					out.push(conversationSummary(summary));
					continue;
				}
				const full = conversationOutput(
					await getConversation(connection, at, summary.conversationId),
				);
				if (callResults.length && !callResults.includes(full.callResult ?? '')) continue;
				out.push(options.simplify ? simplifyConversation(full) : full);
			}
			if (out.length >= limit) break;
		}
		return out.map((json) => ({ json }));
	});
}
