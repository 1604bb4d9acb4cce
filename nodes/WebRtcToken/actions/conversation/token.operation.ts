/** Conversation → Get WebRTC Token: a 10-minute token per item, capped per interview link */
import { updateDisplayOptions } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { getWebrtcToken } from '../../../shared/vendors/elevenLabsApi';
import { agentLocator } from '../../../shared/n8n/descriptions';
import { TOKEN_LIFETIME_MS, expiresAt } from '../../helpers/lifetimes';
import { branchOption, environmentOption, readCommonOptions, readText } from './fields';
import type { OutputField } from '../../../shared/n8n/outputFields';
import { expiresAtField, issuePerItem } from './issue';
import { linkOptions, takeLinkToken } from './linkBudget';
import { ledgerProperties } from '../../../shared/ledger/ledgerParameters';

/** The fields the token adds to each input item. */
export const outputFields: OutputField[] = [
	{
		name: 'token',
		// An output field, not a parameter: the rule takes any object named "token" for one.
		// eslint-disable-next-line n8n-nodes-base/node-param-type-options-password-missing
		type: 'string',
		description: 'For `Conversation.startSession({ conversationToken })` (WebRTC)',
	},
	{
		name: 'conversationId',
		type: 'string',
		description: 'The conversation this token starts, known before it starts',
	},
	expiresAtField('10 minutes'),
];

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
