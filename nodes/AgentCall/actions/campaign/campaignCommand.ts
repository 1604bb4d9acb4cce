import type { ElevenLabs } from '@elevenlabs/elevenlabs-js';
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { elevenLabsClient } from '../../../shared/elevenLabsClient';
import { elevenLabsRequest } from '../../../shared/elevenLabsTransport';
import { mapItems } from '../../../shared/items';
import { problemError } from '../../../shared/problems';
import { text } from '../candidate';
import { campaignOutput } from './output';

/** The item's campaign ID, or an error that says where to map it from. */
export function campaignIdOf(ctx: IExecuteFunctions, itemIndex: number): string {
	const campaignId = text(ctx.getNodeParameter('campaignId', itemIndex, ''));
	if (!campaignId) {
		const none = {
			message: 'No campaign ID is given',
			hint: 'Map "Campaign ID" to the campaignId that Submit returned.',
		};
		throw problemError(ctx.getNode(), none, itemIndex);
	}
	return campaignId;
}

/** Sends Cancel or Retry for the item's campaign: one request, never repeated. */
export async function campaignCommand(
	ctx: IExecuteFunctions,
	command: 'cancel' | 'retry',
	i: number,
): Promise<ElevenLabs.BatchCallResponse> {
	const campaignId = campaignIdOf(ctx, i);
	// Retries off: a repeated retry request could dial the failed recipients twice.
	const connection = await elevenLabsClient(ctx, { itemIndex: i, placesCalls: true });
	const context = { action: `${command} the campaign`, itemIndex: i };
	return await elevenLabsRequest(ctx.getNode(), connection, context, (client) =>
		client.conversationalAi.batchCalls[command](campaignId),
	);
}

/** Cancel or Retry: one request per item, the campaign's new state as output. */
export async function changeCampaign(
	ctx: IExecuteFunctions,
	command: 'cancel' | 'retry',
): Promise<INodeExecutionData[]> {
	return await mapItems(ctx, async (_item, i) =>
		campaignOutput(await campaignCommand(ctx, command, i)),
	);
}
