/** Do Not Call → Add: lists a number, with a reason, and takes it out of running campaigns */
import { updateDisplayOptions } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { mapItems } from '../../../shared/n8n/items';
import { listedNumber } from './listedNumber';
import { leaveRunningCampaigns } from './runningCampaigns';

const properties: INodeProperties[] = [
	{
		displayName: 'Reason',
		name: 'reason',
		type: 'string',
		default: '',
		placeholder: 'Opted out during the call',
		description: 'Why the number is listed (kept with the entry; no transcript is stored)',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['doNotCall'], operation: ['add'] } },
	properties,
);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await mapItems(this, async (item, i) => {
		const number = await listedNumber(this, i);
		const reason = String(this.getNodeParameter('reason', i, '') ?? '').trim();
		const { entry, added } = await number.run(
			async (ledger) => await ledger.addDoNotCall(number.e164, number.masked, reason),
		);
		this.logger.info(
			`Place Agent Call: ${number.masked} ${added ? 'added to' : 'already on'} the do-not-call list`,
		);
		const listed = {
			toNumber: number.e164,
			doNotCall: true,
			added,
			addedAt: new Date(entry.addedAt).toISOString(),
			reason: entry.reason,
		};
		const campaigns = await leaveRunningCampaigns(this, number, i).catch((error: unknown) => {
			// The entry stands whatever failed after it: the item's output says so.
			const known = (error as { itemFields?: IDataObject }).itemFields;
			throw Object.assign(error as Error, { itemFields: { ...listed, ...known } });
		});
		return { ...item.json, ...listed, ...campaigns };
	});
}
