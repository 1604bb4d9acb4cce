/** Campaign Report: the results of a calling campaign as a page and a PDF for the hiring team. */
import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import * as report from './actions/report/Report.resource';
import { router } from './actions/router';

export class CampaignReport implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Campaign Report',
		name: 'campaignReport',
		icon: {
			light: 'file:../../icons/campaignReport.svg',
			dark: 'file:../../icons/campaignReport.dark.svg',
		},
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] === "pdf" ? "PDF" : "Page"}}',
		description:
			'Funnel, reach, answers and cost of a recruiting call campaign, as an HTML page or a PDF, from one item per candidate',
		defaults: { name: 'Campaign Report' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Report', value: 'report' }],
				default: 'report',
			},
			...report.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
