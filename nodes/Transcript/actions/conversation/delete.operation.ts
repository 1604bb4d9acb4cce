import type { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import { updateDisplayOptions } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { isFinished } from '../../../shared/conversation/conversationStatus';
import { locatorValue } from '../../../shared/n8n/descriptions';
import { elevenLabsClient } from '../../../shared/vendors/elevenLabsClient';
import type { ElevenLabsConnection } from '../../../shared/vendors/elevenLabsClient';
import { attemptElevenLabs } from '../../../shared/vendors/elevenLabsTransport';
import { vendorApiError } from '../../../shared/vendors/errors';
import { mapItems } from '../../../shared/n8n/items';
import { ProblemError } from '../../../shared/n8n/problems';
import { assertAgent, conversationContext, readConversationId } from '../../helpers/conversations';
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

export const description = updateDisplayOptions(
	{ show: { resource: ['conversation'], operation: ['delete'] } },
	properties,
);

/** The answer of a request, or `undefined` when the conversation is gone and that is fine. */
async function unlessMissing<T>(
	ctx: IExecuteFunctions,
	connection: ElevenLabsConnection,
	request: { verb: string; conversationId: string; itemIndex: number; ignoreMissing?: boolean },
	call: (client: ElevenLabsClient) => Promise<T>,
): Promise<T | undefined> {
	const answer = await attemptElevenLabs(connection, call);
	if (answer.ok) return answer.value;
	if (request.ignoreMissing && answer.failure.status === 404) return undefined;
	const context = conversationContext(request.verb, request.conversationId, request.itemIndex);
	throw vendorApiError(ctx.getNode(), 'ElevenLabs', answer.failure, context);
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const connection = await elevenLabsClient(this);
	return await mapItems(this, async (item, i) => {
		const conversationId = readConversationId(this, item, i);
		const options = this.getNodeParameter('options', i, {}) as {
			ignoreMissing?: boolean;
			agentId?: unknown;
		};
		const request = { conversationId, itemIndex: i, ignoreMissing: options.ignoreMissing };
		const missing = { conversationId, deleted: false, reason: 'not_found' };
		// Read first: to check the agent and the state, and to say what was deleted.
		const conversation = await unlessMissing(
			this,
			connection,
			{ ...request, verb: 'get' },
			(client) => client.conversationalAi.conversations.get(conversationId),
		);
		if (!conversation) return missing;
		assertAgent(conversation, locatorValue(options.agentId));
		if (!isFinished(conversation.status)) {
			throw new ProblemError(
				`Conversation ${conversationId} is still "${conversation.status}"`,
				'Only a finished conversation (done or failed) can be deleted. Delete it after Get with "Wait for Completion", once its results are stored.',
			);
		}
		const deleted = await unlessMissing(
			this,
			connection,
			{ ...request, verb: 'delete' },
			async (client) => {
				await client.conversationalAi.conversations.delete(conversationId);
				return true;
			},
		);
		if (!deleted) return missing;
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
