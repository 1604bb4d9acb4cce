/** Interview Page → Render Notice: a friendly page and status for a link that cannot start */
import { updateDisplayOptions } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { ItemParameters } from '../../../shared/n8n/itemParameters';
import { mapItems } from '../../../shared/n8n/items';
import type { OutputField } from '../../../shared/n8n/outputFields';
import { ProblemError } from '../../../shared/n8n/problems';
import { renderNoticePage } from '../../helpers/interviewPage';
import { NOTICE_REASONS } from '../../helpers/pageTexts';
import { companyField, contactEmailField, languageField } from './fields';

/** The friendly page for a link that cannot start a conversation. */
export const outputFields: OutputField[] = [
	{ name: 'html', type: 'string', description: 'The page, for Respond to Webhook' },
	{
		name: 'statusCode',
		type: 'number',
		description:
			'The HTTP status to answer with: 404 `unknown`, 410 `expired` or `used`, 503 `unavailable`',
	},
	{ name: 'linkStatus', type: 'string', description: 'The reason the page shows' },
];

const properties: INodeProperties[] = [
	languageField,
	{
		displayName: 'Reason',
		name: 'reason',
		type: 'string',
		// An item from an error output carries `error` (ElevenLabs unreachable), or a used-up link's linkStatus in `details`.
		default: "={{ $json.details?.linkStatus ?? ($json.error ? 'unavailable' : $json.linkStatus) }}",
		description: `Why the link cannot start a conversation: ${Object.keys(NOTICE_REASONS).join(', ')}. Anything else shows the page for an unknown link.`,
	},
	companyField,
	contactEmailField,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['interviewPage'], operation: ['notice'] } },
	properties,
);

/** Per item the friendly page as `html` and the HTTP status it answers with (`statusCode`). */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const parameters = new ItemParameters(this);
	const read = (name: string, i: number) => String(parameters.getNodeParameter(name, i, '') ?? '');
	return await mapItems(this, async (_item, i) => {
		const page = renderNoticePage({
			language: read('language', i),
			reason: read('reason', i),
			company: read('company', i),
			contactEmail: read('contactEmail', i),
		});
		if (!page.ok) throw new ProblemError(page.message, page.hint);
		return {
			html: page.value.html,
			statusCode: page.value.statusCode,
			linkStatus: page.value.reason,
		};
	});
}
