/** Do Not Call → Remove: takes a number off the list so it may be called again */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { mapItems } from '../../../shared/n8n/items';
import type { OutputField } from '../../../shared/n8n/outputFields';
import { listedNumber } from './listedNumber';

/** The fields Remove adds to each input item. */
export const outputFields: OutputField[] = [
	{ name: 'toNumber', type: 'string', description: 'The number in E.164' },
	{ name: 'doNotCall', type: 'boolean', description: 'Always `false`: the number may be called' },
	{
		name: 'removed',
		type: 'boolean',
		description: 'Whether it was on the list (false: it was not)',
	},
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await mapItems(this, async (item, i) => {
		const number = await listedNumber(this, i);
		const removed = await number.run(async (ledger) => await ledger.removeDoNotCall(number.e164));
		this.logger.info(
			`Place Agent Call: ${number.masked} ${removed ? 'removed from' : 'was not on'} the do-not-call list`,
		);
		return { ...item.json, toNumber: number.e164, doNotCall: false, removed };
	});
}
