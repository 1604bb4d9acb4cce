/** Text Message: texts to candidates through the team's own Twilio account, once each. */
import type { INodeProperties } from 'n8n-workflow';

import * as send from './send.operation';

export const operations = { send };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['textMessage'] } },
		options: [
			{
				name: 'Send',
				value: 'send',
				action: 'Send a text message to a candidate',
				description:
					'Once per person and message, inside the calling window, never to a number on the do-not-call list',
			},
		],
		default: 'send',
	},
	// Texts always go through the team's Twilio account: the credential shows as for own-Twilio calls.
	{
		displayName: 'Transport',
		name: 'transport',
		type: 'hidden',
		default: 'ownTwilio',
		displayOptions: { show: { resource: ['textMessage'] } },
	},
	...send.description,
];
