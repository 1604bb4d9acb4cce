/** Campaign → Cancel: stops a batch call and frees the ledger for recipients not yet dialled */
import { ProblemError } from '../../../shared/n8n/problems';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { elevenLabsClient } from '../../../shared/vendors/elevenLabsClient';
import { getBatchCall } from '../../../shared/vendors/elevenLabsApi';
import { mapItems } from '../../../shared/n8n/items';
import { itemLedger } from '../../../shared/ledger/itemLedger';
import type { OutputField } from '../../../shared/n8n/outputFields';
import { ledgerProperties } from '../../../shared/ledger/ledgerParameters';
import { campaignCommand } from './campaignCommand';
import { campaignIdProperty } from './campaignId.description';
import { campaignOutput, campaignOutputFields } from './output';

/** The campaign as cancelled, and how many of its recipients the cancel stopped. */
export const outputFields: OutputField[] = [
	...campaignOutputFields,
	{
		name: 'releasedRecipients',
		type: 'number',
		description:
			'Recipients not yet called, freed in the call ledger: the next run calls them at once',
	},
];

export const description: INodeProperties[] = [
	campaignIdProperty('cancel'),
	...ledgerProperties({ resource: ['campaign'], operation: ['cancel'] }),
];

/**
 * The recipients the cancel stopped before their turn: their attempts leave the ledger, since
 * nobody called them, so a later run may. Those the batch dialled stay called.
 */
async function releaseStopped(ctx: IExecuteFunctions, batchId: string, i: number): Promise<number> {
	const connection = await elevenLabsClient(ctx, { itemIndex: i });
	const purpose = { action: 'read the cancelled campaign' };
	const batch = await getBatchCall(
		connection,
		{ node: ctx.getNode(), itemIndex: i, purpose },
		batchId,
	);
	const stopped = batch.recipients.filter(
		(r) => r.status === 'cancelled' && !r.conversationId && r.phoneNumber,
	);
	const ledger = await itemLedger(ctx, i);
	const release = async () => {
		let released = 0;
		for (const recipient of stopped) {
			if (await ledger.withdrawFromBatch(batchId, recipient.phoneNumber!)) released++;
		}
		return released;
	};
	return await release().catch((error: unknown) => {
		throw new ProblemError(
			`The campaign was cancelled, but ${ledger.label} could not free the ${stopped.length} recipients it stopped`,
			`Nobody of them was called, yet until they are freed the ledger reports them as already called. Check that the database runs. ${error instanceof Error ? error.message : String(error)}`,
		);
	});
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await mapItems(this, async (_item, i) => {
		const batch = await campaignCommand(this, 'cancel', i);
		const releasedRecipients = await releaseStopped(this, batch.id, i);
		return { ...campaignOutput(batch), releasedRecipients };
	});
}
