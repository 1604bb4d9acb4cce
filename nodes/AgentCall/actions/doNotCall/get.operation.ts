/** Do Not Call → Get: whether a number is listed, since when and why */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { mapItems } from '../../../shared/n8n/items';
import { listedNumber } from './listedNumber';

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
