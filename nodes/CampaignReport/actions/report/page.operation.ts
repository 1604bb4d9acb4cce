/** Render Page: the report as one self-contained HTML page in `html`, for Respond to Webhook. */
import { updateDisplayOptions } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { renderHtmlReport } from '../../helpers/htmlReport';
import type { OutputField } from '../../../shared/n8n/outputFields';
import {
	buildReport,
	reportFailure,
	reportItem,
	reportProperties,
	reportSummary,
	summaryFields,
} from './fields';

/** The one output item: the report and its figures. */
export const outputFields: OutputField[] = [
	{ name: 'html', type: 'string', description: 'The report as one self-contained HTML page' },
	...summaryFields,
];

const properties: INodeProperties[] = [
	{
		displayName:
			'The page holds personal data: serve it only behind authentication (the Webhook node\'s "Authentication" setting). Every input item is one candidate; the output is one item with the page in "html".',
		name: 'pageNotice',
		type: 'notice',
		default: '',
	},
];

export const description = [
	...updateDisplayOptions({ show: { resource: ['report'], operation: ['page'] } }, properties),
	...reportProperties,
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const built = buildReport(this);
	if (!built.ok) return reportFailure(this, built);
	const { report, view } = built.value;
	return reportItem(this, {
		html: renderHtmlReport(view),
		language: view.language,
		...reportSummary(report),
	});
}
