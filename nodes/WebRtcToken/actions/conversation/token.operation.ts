import { updateDisplayOptions } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { agentLocator } from '../../../shared/descriptions';
import { elevenLabsClient } from '../../../shared/elevenLabsClient';
import { elevenLabsApiError } from '../../../shared/errors';
import { mapItems } from '../../../shared/items';
import { TOKEN_LIFETIME_MS, expiresAt } from '../../helpers/lifetimes';
import {
	agentNotFoundHint,
	branchOption,
	environmentOption,
	readAgentId,
	readCommonOptions,
	readText,
} from './fields';

const properties: INodeProperties[] = [
	{ ...agentLocator, description: 'The ElevenLabs agent the candidate talks to in the browser' },
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			branchOption,
			environmentOption,
			{
				displayName: 'Participant Name',
				name: 'participantName',
				type: 'string',
				default: '',
				placeholder: 'e.g. {{ $json.name }}',
				description: "The candidate's name in the conversation's room. Empty means ElevenLabs uses the user ID.",
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['conversation'], operation: ['token'] } }, properties);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const { client, secrets } = await elevenLabsClient(this);
	return await mapItems(this, async (item, i) => {
		const agentId = readAgentId(this, i);
		const options = this.getNodeParameter('options', i, {}) as Record<string, unknown>;
		const sentAt = Date.now();
		try {
			const answer = await client.conversationalAi.conversations.getWebrtcToken({
				agentId,
				participantName: readText(options.participantName),
				...readCommonOptions(options),
			});
			return {
				...item.json,
				token: answer.token,
				conversationId: answer.conversationId,
				expiresAt: expiresAt(sentAt, TOKEN_LIFETIME_MS),
			};
		} catch (error) {
			throw elevenLabsApiError(this.getNode(), error, secrets, {
				action: `issue a conversation token for agent ${agentId}`,
				itemIndex: i,
				statusHints: { 404: agentNotFoundHint(agentId) },
			});
		}
	});
}
