/** The Report resource: the same report as a page or as a PDF. */
import type { INodeProperties } from 'n8n-workflow';

import * as page from './page.operation';
import * as pdf from './pdf.operation';

export const operations = { page, pdf };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['report'] } },
		options: [
			{
				name: 'Render Page',
				value: 'page',
				action: 'Render the report as an HTML page',
				description:
					'One self-contained HTML page (charts, sortable candidate table) for Respond to Webhook',
			},
			{
				name: 'Create PDF',
				value: 'pdf',
				action: 'Create the report as a PDF file',
				description: 'A PDF file in a binary field, e.g. for an e-mail to the hiring manager',
			},
		],
		default: 'page',
	},
	...page.description,
	...pdf.description,
];
