/** Conversation → Get Signed WebSocket URL: a 15-minute URL per item for the browser */
import { updateDisplayOptions } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { getSignedUrl } from '../../../shared/vendors/elevenLabsApi';
import { agentLocator } from '../../../shared/n8n/descriptions';
import { SIGNED_URL_LIFETIME_MS, expiresAt } from '../../helpers/lifetimes';
import { branchOption, environmentOption, readCommonOptions } from './fields';
import type { OutputField } from '../../../shared/n8n/outputFields';
import { expiresAtField, issuePerItem } from './issue';

/** The fields the signed URL adds to each input item. */
export const outputFields: OutputField[] = [
	{
		name: 'signedUrl',
		type: 'string',
		description:
			'`wss://…/v1/convai/conversation?agent_id=…&conversation_signature=…`, for a WebSocket session',
	},
	expiresAtField('15 minutes'),
];

const properties: INodeProperties[] = [
	{ ...agentLocator, description: 'The ElevenLabs agent the candidate talks to in the browser' },
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [branchOption, environmentOption],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['conversation'], operation: ['signedUrl'] } },
	properties,
);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await issuePerItem(this, {
		request: async (connection, at, agentId, options) =>
			await getSignedUrl(connection, at, { agentId, ...readCommonOptions(options) }),
		output: (answer, sentAt) => ({
			signedUrl: answer.signedUrl,
			expiresAt: expiresAt(sentAt, SIGNED_URL_LIFETIME_MS),
		}),
	});
}
