/** Create PDF: the report as a PDF file in a binary field, e.g. for an e-mail attachment. */
import { updateDisplayOptions } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { safeFileName } from '../../../shared/text/safeFileName';
import { renderPdfReport } from '../../helpers/pdfReport';
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
	{ name: 'fileName', type: 'string', description: 'The PDF file name in the binary field' },
	...summaryFields,
];

const properties: INodeProperties[] = [
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		required: true,
		default: 'data',
		hint: 'The name of the output binary field to put the PDF in',
	},
	{
		displayName: 'File Name',
		name: 'fileName',
		type: 'string',
		default: '',
		placeholder: 'kampagnenbericht.pdf',
		description: 'Name of the PDF file; the report title with .pdf when empty',
	},
];

export const description = [
	...updateDisplayOptions({ show: { resource: ['report'], operation: ['pdf'] } }, properties),
	...reportProperties,
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const built = buildReport(this);
	if (!built.ok) return reportFailure(this, built);
	const { report, view } = built.value;
	const property = String(this.getNodeParameter('binaryPropertyName', 0, 'data')).trim() || 'data';
	const fileName =
		String(this.getNodeParameter('fileName', 0, '')).trim() || safeFileName(view.title, 'pdf');
	const pdf = await renderPdfReport(view);
	const binary = await this.helpers.prepareBinaryData(pdf, fileName, 'application/pdf');
	return reportItem(
		this,
		{ fileName, language: view.language, ...reportSummary(report) },
		{
			[property]: binary,
		},
	);
}
