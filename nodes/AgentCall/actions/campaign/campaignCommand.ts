import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { elevenLabsClient } from '../../../shared/elevenLabsClient';
import { elevenLabsApiError } from '../../../shared/errors';
import { mapItems } from '../../../shared/items';
import { text } from '../candidate';
import { setupError } from '../call/lookups';
import { campaignOutput } from './output';

/** The item's campaign ID, or an error that says where to map it from. */
export function campaignIdOf(ctx: IExecuteFunctions, itemIndex: number): string {
	const campaignId = text(ctx.getNodeParameter('campaignId', itemIndex, ''));
	if (!campaignId) {
		throw setupError(ctx, { message: 'No campaign ID is given', hint: 'Map "Campaign ID" to the campaignId that Submit returned.' }, itemIndex);
	}
	return campaignId;
}

/** Cancel or Retry: one request per item, the campaign's new state as output. */
export async function changeCampaign(ctx: IExecuteFunctions, command: 'cancel' | 'retry'): Promise<INodeExecutionData[]> {
	return await mapItems(ctx, async (_item, i) => {
		const campaignId = campaignIdOf(ctx, i);
		// Retries off: a repeated retry request could dial the failed recipients twice.
		const { client, secrets } = await elevenLabsClient(ctx, { itemIndex: i, placesCalls: true });
		try {
			return campaignOutput(await client.conversationalAi.batchCalls[command](campaignId));
		} catch (error) {
			throw elevenLabsApiError(ctx.getNode(), error, secrets, { action: `${command} the campaign`, itemIndex: i });
		}
	});
}
