/** Interview Page → Serve Script: a browser script shipped with the package, as binary data */
import { updateDisplayOptions } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { mapItems } from '../../../shared/n8n/items';
import type { OutputField } from '../../../shared/n8n/outputFields';
import { ProblemError } from '../../../shared/n8n/problems';
import {
	PAGE_SCRIPT_NAMES,
	SCRIPT_CONTENT_TYPE,
	isPageScriptName,
	pageScript,
} from '../../helpers/pageAssets';

/** The JSON beside the script, which is the binary `data` (`text/javascript`). */
export const outputFields: OutputField[] = [
	{ name: 'file', type: 'string', description: 'The script served' },
	{
		name: 'integrity',
		type: 'string',
		description: 'Its `sha384-…` hash, the one the page pins',
	},
	{ name: 'contentType', type: 'string', description: '`text/javascript; charset=utf-8`' },
];

const properties: INodeProperties[] = [
	{
		displayName: 'File',
		name: 'file',
		type: 'string',
		default: '={{ $json.query.file }}',
		description: `Which shipped script: ${PAGE_SCRIPT_NAMES.join(' or ')}. The default reads the ?file= the page asks for.`,
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['interviewPage'], operation: ['script'] } },
	properties,
);

/** Per item the asked-for script as binary `data` (for Respond to Webhook › Binary File), with its integrity hash. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await mapItems(this, async (_item, i) => {
		const name = String(this.getNodeParameter('file', i, '') ?? '').trim();
		if (!isPageScriptName(name)) {
			throw new ProblemError(
				`"${name.slice(0, 80)}" is not a script of the interview page`,
				`The page loads only ${PAGE_SCRIPT_NAMES.join(' and ')}; check what "File" is mapped to.`,
			);
		}
		const script = pageScript(name);
		const data = await this.helpers.prepareBinaryData(script.content, name, SCRIPT_CONTENT_TYPE);
		return {
			json: { file: name, integrity: script.integrity, contentType: SCRIPT_CONTENT_TYPE },
			binary: { data },
		};
	});
}
