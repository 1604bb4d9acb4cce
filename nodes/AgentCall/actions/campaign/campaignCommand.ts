/** Campaign: the item's campaign ID, and Cancel sent for it once, never repeated */
import type { ElevenLabs } from '@elevenlabs/elevenlabs-js';
import type { IExecuteFunctions } from 'n8n-workflow';

import { elevenLabsClient } from '../../../shared/vendors/elevenLabsClient';
import { cancelBatchCall } from '../../../shared/vendors/elevenLabsApi';
import { ProblemError } from '../../../shared/n8n/problems';
import { text } from '../common/candidate';

/** The item's campaign ID, or an error that says where to map it from. */
export function campaignIdOf(ctx: IExecuteFunctions, itemIndex: number): string {
	const campaignId = text(ctx.getNodeParameter('campaignId', itemIndex, ''));
	if (!campaignId) {
		const none = {
			message: 'No campaign ID is given',
			hint: 'Map "Campaign ID" to the campaignId that Submit returned.',
		};
		throw new ProblemError(none.message, none.hint);
	}
	return campaignId;
}

/** Sends Cancel for the item's campaign: one request, never repeated. */
export async function campaignCommand(
	ctx: IExecuteFunctions,
	command: 'cancel',
	i: number,
): Promise<ElevenLabs.BatchCallResponse> {
	const campaignId = campaignIdOf(ctx, i);
	// Retries off, as for every request that changes who is dialled.
	const connection = await elevenLabsClient(ctx, { itemIndex: i, placesCalls: true });
	const endpoint = { cancel: cancelBatchCall }[command];
	return await endpoint(connection, { node: ctx.getNode(), itemIndex: i }, campaignId);
}
