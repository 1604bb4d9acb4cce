/** Conversation resource: a WebRTC token or a signed WebSocket URL for a browser conversation */
import type { INodeProperties } from 'n8n-workflow';

import * as signedUrl from './signedUrl.operation';
import * as token from './token.operation';

export const operations = { token, signedUrl };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['conversation'] } },
		options: [
			{
				name: 'Get Signed WebSocket URL',
				value: 'signedUrl',
				action: 'Get a signed URL for a browser conversation',
				description: 'A URL valid for 15 minutes, for pages that talk to the agent over WebSocket',
			},
			{
				name: 'Get WebRTC Token',
				value: 'token',
				action: 'Get a conversation token for a browser conversation',
				description:
					'A conversation token valid for 10 minutes, for pages that talk to the agent over WebRTC (recommended)',
			},
		],
		default: 'token',
	},
	...token.description,
	...signedUrl.description,
];
