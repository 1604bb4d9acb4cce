import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { elevenLabsClient } from '../../../shared/elevenLabsClient';
import { elevenLabsApiError } from '../../../shared/errors';
import { mapItems } from '../../../shared/items';
import { text } from '../candidate';
import { setupError } from '../call/lookups';
import { campaignIdProperty } from './campaignId.description';
import { campaignOutput } from './output';

export const description: INodeProperties[] = [campaignIdProperty('cancel')];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await mapItems(this, async (_item, i) => {
		const campaignId = text(this.getNodeParameter('campaignId', i, ''));
		if (!campaignId) throw setupError(this, { message: 'No campaign ID is given', hint: 'Map "Campaign ID" to the campaignId that Submit returned.' }, i);
		// Retries off: a repeated cancel request must not start calls twice.
		const { client, secrets } = await elevenLabsClient(this, { itemIndex: i, placesCalls: true });
		try {
			return campaignOutput(await client.conversationalAi.batchCalls.cancel(campaignId));
		} catch (error) {
			throw elevenLabsApiError(this.getNode(), error, secrets, { action: 'cancel the campaign', itemIndex: i });
		}
	});
}
