/** Campaign → Get: a campaign's status and each recipient's result, optionally one item each */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { elevenLabsClient } from '../../../shared/vendors/elevenLabsClient';
import { getBatchCall } from '../../../shared/vendors/elevenLabsApi';
import { mapItems } from '../../../shared/n8n/items';
import { campaignIdOf } from './campaignCommand';
import { campaignIdProperty } from './campaignId.description';
import { campaignOutput } from './output';

export const description: INodeProperties[] = [
	campaignIdProperty('get'),
	{
		displayName: 'One Item per Recipient',
		name: 'splitRecipients',
		type: 'boolean',
		default: false,
		description:
			'Whether to output each recipient as its own item (status, conversation ID) instead of one item for the campaign',
		displayOptions: { show: { resource: ['campaign'], operation: ['get'] } },
	},
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await mapItems(this, async (_item, i) => {
		const campaignId = campaignIdOf(this, i);
		const connection = await elevenLabsClient(this, { itemIndex: i });
		const batch = await getBatchCall(
			connection,
			{ node: this.getNode(), itemIndex: i },
			campaignId,
		);
		const recipients: IDataObject[] = batch.recipients.map((r) => ({
			recipientId: r.id,
			toNumber: r.phoneNumber ?? null,
			status: r.status,
			conversationId: r.conversationId ?? null,
			idempotencyKey: r.conversationInitiationClientData?.userId ?? null,
			updatedAt: new Date(r.updatedAtUnix * 1000).toISOString(),
		}));
		const campaign = campaignOutput(batch);
		if (this.getNodeParameter('splitRecipients', i, false)) {
			return recipients.map((r) => ({
				json: { campaignId: campaign.campaignId, campaignStatus: campaign.status, ...r },
			}));
		}
		return { ...campaign, recipients };
	});
}
