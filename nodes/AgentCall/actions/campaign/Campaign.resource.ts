/** Campaign resource: Submit, Get, Cancel and Retry of an ElevenLabs batch call */
import type { INodeProperties } from 'n8n-workflow';

import * as cancel from './cancel.operation';
import * as get from './get.operation';
import * as retry from './retry.operation';
import * as submit from './submit.operation';

export const operations = { submit, get, cancel, retry };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['campaign'] } },
		options: [
			{
				name: 'Cancel',
				value: 'cancel',
				action: 'Cancel a campaign',
				description: 'Stop a campaign: recipients not yet called are not called',
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Get a campaign',
				description: 'Status of a campaign and the result of each recipient',
			},
			{
				name: 'Retry',
				value: 'retry',
				action: 'Retry a campaign',
				description: 'Call the recipients again whose call failed or was not answered',
			},
			{
				name: 'Submit',
				value: 'submit',
				action: 'Submit a campaign',
				description: 'All input items become recipients of one ElevenLabs batch call',
			},
		],
		default: 'submit',
	},
	...submit.description,
	...get.description,
	...cancel.description,
	...retry.description,
];
