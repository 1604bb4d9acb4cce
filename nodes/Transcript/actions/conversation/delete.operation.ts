/** Conversation → Delete: removes a finished conversation with its transcript and audio */
import type { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import { updateDisplayOptions } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { isFinished } from '../../../shared/conversation/conversationStatus';
import { locatorValue } from '../../../shared/n8n/descriptions';
import { elevenLabsClient } from '../../../shared/vendors/elevenLabsClient';
import type { ElevenLabsConnection } from '../../../shared/vendors/elevenLabsClient';
import { deleteConversation, getConversation } from '../../../shared/vendors/elevenLabsApi';
import type { At, Endpoint } from '../../../shared/vendors/endpoint';
import { mapItems } from '../../../shared/n8n/items';
import type { OutputField } from '../../../shared/n8n/outputFields';
import { ProblemError } from '../../../shared/n8n/problems';
import { assertAgent, readConversationId } from '../../helpers/conversations';
import { conversationIdField, onlyForAgentOption } from './fields';

const DELETED = 'deleted';

/** What was deleted; a missing conversation under *Ignore Missing* gives `deleted: false`. */
export const outputFields: OutputField[] = [
	{ name: 'conversationId', type: 'string', description: 'The conversation' },
	{
		name: 'deleted',
		type: 'boolean',
		description: 'Whether it was deleted (false: it did not exist, with *Ignore Missing*)',
	},
	{ name: 'reason', type: 'string', description: '`not_found`', when: 'not deleted' },
	{ name: 'agentId', type: 'string', description: 'The agent that held it', when: DELETED },
	{
		name: 'userId',
		type: 'string or null',
		description: 'Its user id (the idempotency key of Place Agent Call)',
		when: DELETED,
	},
	{ name: 'startedAt', type: 'string', description: 'ISO time the call started', when: DELETED },
	{ name: 'status', type: 'string', description: '`done` or `failed`', when: DELETED },
	{
		name: 'deletedTranscriptTurns',
		type: 'number',
		description: 'Turns of the transcript deleted',
		when: DELETED,
	},
	{
		name: 'deletedAudio',
		type: 'boolean',
		description: 'Whether a recording was deleted',
		when: DELETED,
	},
];

const properties: INodeProperties[] = [
	conversationIdField,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Ignore Missing',
				name: 'ignoreMissing',
				type: 'boolean',
				default: false,
				description:
					'Whether a conversation that does not exist (for example deleted by an earlier run) counts as done instead of failing the item',
			},
			onlyForAgentOption,
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['conversation'], operation: ['delete'] } },
	properties,
);

/** The answer of a request, or `undefined` when the conversation is gone and that is fine. */
async function unlessMissing<T>(
	endpoint: Endpoint<ElevenLabsClient, [conversationId: string], T>,
	connection: ElevenLabsConnection,
	request: { at: At; conversationId: string; ignoreMissing?: boolean },
): Promise<{ answer: T } | undefined> {
	const answer = await endpoint.attempt(connection, request.conversationId);
	if (answer.ok) return { answer: answer.value };
	if (request.ignoreMissing && answer.failure.status === 404) return undefined;
	throw endpoint.error(request.at, answer.failure, request.conversationId);
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const connection = await elevenLabsClient(this);
	return await mapItems(this, async (item, i) => {
		const conversationId = readConversationId(this, item, i);
		const options = this.getNodeParameter('options', i, {}) as {
			ignoreMissing?: boolean;
			agentId?: unknown;
		};
		const at = { node: this.getNode(), itemIndex: i };
		const request = { at, conversationId, ignoreMissing: options.ignoreMissing };
		const missing = { conversationId, deleted: false, reason: 'not_found' };
		// Read first: to check the agent and the state, and to say what was deleted.
		const read = await unlessMissing(getConversation, connection, request);
		if (!read) return missing;
		const conversation = read.answer;
		assertAgent(conversation, locatorValue(options.agentId));
		if (!isFinished(conversation.status)) {
			throw new ProblemError(
				`Conversation ${conversationId} is still "${conversation.status}"`,
				'Only a finished conversation (done or failed) can be deleted. Delete it after Get with "Wait for Completion", once its results are stored.',
			);
		}
		if (!(await unlessMissing(deleteConversation, connection, request))) return missing;
		return {
			conversationId,
			deleted: true,
			agentId: conversation.agentId,
			userId: conversation.userId ?? conversation.conversationInitiationClientData?.userId ?? null,
			startedAt: new Date(conversation.metadata.startTimeUnixSecs * 1000).toISOString(),
			status: conversation.status,
			deletedTranscriptTurns: conversation.transcript.length,
			deletedAudio: conversation.hasAudio,
		};
	});
}
