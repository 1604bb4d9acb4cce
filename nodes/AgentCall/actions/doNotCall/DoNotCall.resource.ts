/** Do Not Call resource: Add, Get and Remove a number on the call ledger's do-not-call list */
import type { INodeProperties } from 'n8n-workflow';

import { ledgerProperties } from '../../../shared/ledger/ledgerParameters';
import * as add from './add.operation';
import { numberProperties } from './doNotCall.description';
import * as get from './get.operation';
import * as remove from './remove.operation';

export const operations = { add, get, remove };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['doNotCall'] } },
		options: [
			{
				name: 'Add',
				value: 'add',
				action: 'Add a number to the do not call list',
				description:
					'No call or campaign of this ledger dials the number again, until it is removed',
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Check a number against the do not call list',
				description: 'Whether the number is listed, since when and why',
			},
			{
				name: 'Remove',
				value: 'remove',
				action: 'Remove a number from the do not call list',
				description: 'The number may be called again',
			},
		],
		default: 'add',
	},
	...ledgerProperties({ resource: ['doNotCall'] }),
	...numberProperties,
	...add.description,
];
