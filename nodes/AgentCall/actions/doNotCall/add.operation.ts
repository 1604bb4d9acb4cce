/** Do Not Call → Add: lists a number, with a reason, and takes it out of running campaigns */
import { updateDisplayOptions } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { mapItems } from '../../../shared/n8n/items';
import type { OutputField } from '../../../shared/n8n/outputFields';
import { listedNumber } from './listedNumber';
import { leaveRunningCampaigns } from './runningCampaigns';

/** The fields Add adds to each input item: the entry, and what became of running campaigns. */
export const outputFields: OutputField[] = [
	{ name: 'toNumber', type: 'string', description: 'The number in E.164' },
	{ name: 'doNotCall', type: 'boolean', description: 'Always `true`: the number is listed' },
	{
		name: 'added',
		type: 'boolean',
		description:
			'Whether this run listed it (false: it was listed already; the first reason stays)',
	},
	{ name: 'addedAt', type: 'string', description: 'ISO time it was listed' },
	{ name: 'reason', type: 'string', description: 'Why it was listed' },
	{
		name: 'removedFromCampaigns',
		type: 'object[]',
		description:
			'Campaigns that had not dialled the number yet, cancelled and submitted again without it: `campaignId` (the old one), `replacedBy` (the new one, null when nobody was left), `resubmitted`',
	},
	{
		name: 'alreadyDialledIn',
		type: 'object[]',
		description:
			'Campaigns that had called the number already (`campaignId`, recipient `status`); left as they are',
	},
	{
		name: 'pendingCampaigns',
		type: 'string[]',
		description: 'Campaigns that may still call the number but could not be checked',
	},
	{
		name: 'pendingCampaignsHint',
		type: 'string',
		description:
			'Why they could not be checked: no *ElevenLabs Agents API* credential, a campaign unknown to that workspace, or another run kept changing it',
		when: '`pendingCampaigns` is not empty',
	},
];

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
