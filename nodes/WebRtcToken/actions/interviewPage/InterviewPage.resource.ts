/** Interview Page resource: Render, Render Notice and Serve Script for the candidate's page */
import type { INodeProperties } from 'n8n-workflow';

import * as notice from './notice.operation';
import * as render from './render.operation';
import * as script from './script.operation';

export const operations = { render, notice, script };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['interviewPage'] } },
		options: [
			{
				name: 'Render',
				value: 'render',
				action: 'Render the interview page',
				description:
					"The candidate's page (consent, conversation, live transcript) as HTML, from the token or signed URL on the item",
			},
			{
				name: 'Render Notice',
				value: 'notice',
				action: 'Render a notice page',
				description:
					'A friendly page (and its HTTP status) for a link that is unknown, expired, already used, or cannot start now',
			},
			{
				name: 'Serve Script',
				value: 'script',
				action: 'Serve a script of the interview page',
				description:
					'The ElevenLabs browser client (or its resampler) shipped with this package, for the page to load from this n8n',
			},
		],
		default: 'render',
	},
	...render.description,
	...notice.description,
	...script.description,
];
