/** Do Not Call → Get: whether a number is listed, since when and why */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { mapItems } from '../../../shared/n8n/items';
import type { OutputField } from '../../../shared/n8n/outputFields';
import { listedNumber } from './listedNumber';

/** The fields Get adds to each input item. */
export const outputFields: OutputField[] = [
	{ name: 'toNumber', type: 'string', description: 'The number in E.164' },
	{ name: 'doNotCall', type: 'boolean', description: 'Whether the number is on the list' },
	{ name: 'addedAt', type: 'string', description: 'ISO time it was listed', when: 'listed' },
	{ name: 'reason', type: 'string', description: 'Why it was listed', when: 'listed' },
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await mapItems(this, async (item, i) => {
		const number = await listedNumber(this, i);
		const entry = await number.run(async (ledger) => await ledger.doNotCall(number.e164));
		return {
			...item.json,
			toNumber: number.e164,
			doNotCall: Boolean(entry),
			...(entry ? { addedAt: new Date(entry.addedAt).toISOString(), reason: entry.reason } : {}),
		};
	});
}
