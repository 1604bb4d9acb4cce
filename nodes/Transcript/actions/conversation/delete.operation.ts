import type { ElevenLabs } from '@elevenlabs/elevenlabs-js';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { TERMINAL_STATUSES } from '../../../shared/conversationOutput';
import { locatorValue } from '../../../shared/descriptions';
import { elevenLabsClient } from '../../../shared/elevenLabsClient';
import { elevenLabsApiError, elevenLabsFailure } from '../../../shared/errors';
import { mapItems } from '../../../shared/items';
import { assertAgent, notFoundHint, readConversationId } from '../../helpers/conversations';
import { conversationIdField, onlyForAgentOption } from './fields';

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

export const description = updateDisplayOptions({ show: { resource: ['conversation'], operation: ['delete'] } }, properties);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const connection = await elevenLabsClient(this);
	return await mapItems(this, async (item, i) => {
		const conversationId = readConversationId(this, item, i);
		const options = this.getNodeParameter('options', i, {}) as { ignoreMissing?: boolean; agentId?: unknown };
		// Read first: to check the agent and the state, and to say what was deleted.
		let conversation: ElevenLabs.GetConversationResponseModel;
		try {
			conversation = await connection.client.conversationalAi.conversations.get(conversationId);
		} catch (error) {
			if (options.ignoreMissing && elevenLabsFailure(error, connection.secrets).status === 404) {
				return { conversationId, deleted: false, reason: 'not_found' };
			}
			throw elevenLabsApiError(this.getNode(), error, connection.secrets, {
				action: `get conversation ${conversationId}`,
				itemIndex: i,
				statusHints: { 404: notFoundHint(conversationId) },
			});
		}
		assertAgent(this, conversation, locatorValue(options.agentId), i);
		if (!TERMINAL_STATUSES.includes(conversation.status)) {
			throw new NodeOperationError(this.getNode(), `Conversation ${conversationId} is still "${conversation.status}"`, {
				itemIndex: i,
				description:
					'Only a finished conversation (done or failed) can be deleted. Delete it after Get with "Wait for Completion", once its results are stored.',
			});
		}
		try {
			await connection.client.conversationalAi.conversations.delete(conversationId);
		} catch (error) {
			if (options.ignoreMissing && elevenLabsFailure(error, connection.secrets).status === 404) {
				return { conversationId, deleted: false, reason: 'not_found' };
			}
			throw elevenLabsApiError(this.getNode(), error, connection.secrets, {
				action: `delete conversation ${conversationId}`,
				itemIndex: i,
				statusHints: { 404: notFoundHint(conversationId) },
			});
		}
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
