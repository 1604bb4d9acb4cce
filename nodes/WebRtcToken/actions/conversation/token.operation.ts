/** Conversation → Get WebRTC Token: a 10-minute token per item, capped per interview link */
import { updateDisplayOptions } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { getWebrtcToken } from '../../../shared/vendors/elevenLabsApi';
import { agentLocator } from '../../../shared/n8n/descriptions';
import { TOKEN_LIFETIME_MS, expiresAt } from '../../helpers/lifetimes';
import { branchOption, environmentOption, readCommonOptions, readText } from './fields';
import { issuePerItem } from './issue';
import { linkOptions, takeLinkToken } from './linkBudget';
import { ledgerProperties } from '../../../shared/ledger/ledgerParameters';

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
				description:
					"The candidate's name in the conversation's room. Empty means ElevenLabs uses the user ID.",
			},
			...linkOptions,
		],
	},
	...ledgerProperties({ resource: ['conversation'], operation: ['token'] }),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['conversation'], operation: ['token'] } },
	properties,
);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await issuePerItem(this, {
		request: async (connection, at, agentId, options) =>
			await getWebrtcToken(connection, at, {
				agentId,
				participantName: readText(options.participantName),
				...readCommonOptions(options),
			}),
		budget: takeLinkToken,
		conversationOf: (answer) => answer.conversationId,
		output: (answer, sentAt) => ({
			token: answer.token,
			conversationId: answer.conversationId,
			expiresAt: expiresAt(sentAt, TOKEN_LIFETIME_MS),
		}),
	});
}
