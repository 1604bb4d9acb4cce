/** Call resource: its one operation, Place, with that operation's parameters */
import type { INodeProperties } from 'n8n-workflow';

import * as place from './place.operation';

export const operations = { place };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['call'] } },
		options: [
			{
				name: 'Place',
				value: 'place',
				action: 'Place a call to a candidate',
				description: 'Call one candidate per item, inside the calling window, once',
			},
		],
		default: 'place',
	},
	...place.description,
];
