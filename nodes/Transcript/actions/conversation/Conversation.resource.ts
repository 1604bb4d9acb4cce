/** Conversation resource: Get, Get Many, Download Audio and Delete of agent conversations */
import type { INodeProperties } from 'n8n-workflow';

import * as deleteConversation from './delete.operation';
import * as downloadAudio from './downloadAudio.operation';
import * as get from './get.operation';
import * as list from './list.operation';

export const operations = { get, list, downloadAudio, delete: deleteConversation };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['conversation'] } },
		options: [
			{
				name: 'Delete',
				value: 'delete',
				action: 'Delete a conversation',
				description:
					'Delete a finished conversation with its transcript and audio (data minimisation)',
			},
			{
				name: 'Download Audio',
				value: 'downloadAudio',
				action: 'Download the audio of a conversation',
				description: 'Get the recording as binary audio/mpeg',
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Get a conversation',
				description: 'Get the outcome of a call, optionally waiting until it has finished',
			},
			{
				name: 'Get Many',
				value: 'list',
				action: 'Get many conversations',
				description: 'List conversations by agent, time, status, call result or idempotency key',
			},
		],
		default: 'get',
	},
	...get.description,
	...list.description,
	...downloadAudio.description,
	...deleteConversation.description,
];
