/**
 * A running batch without some of its recipients: ElevenLabs cancels only whole batches, so the
 * batch is cancelled and those it stopped, but for the left-out ones, are submitted again as a
 * new batch with its settings; the ledger's claims follow them to the new batch id.
 */
import type { ElevenLabs } from '@elevenlabs/elevenlabs-js';
import { ProblemError } from '../../../shared/n8n/problems';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { cancelBatchCall, getBatchCall } from '../../../shared/vendors/elevenLabsApi';
import { mayHaveHappenedError, vendorApiError } from '../../../shared/vendors/errors';
import type { CallLedger } from '../../../shared/ledger/callLedger';
import type { BatchReplacement } from '../../../shared/ledger/types';
import type { ElevenLabsLookups } from '../common/lookups';
import { batchSettings } from './campaignSettings';
import { retryRecipients } from './retryRecipients';
import { submitBatch } from './submitBatch';

type BatchRecipient = ElevenLabs.OutboundCallRecipientResponseModel;

export interface Replacement {
	/** The new batch of the rest; none when nobody was left to submit. */
	replacedBy?: string;
	resubmitted: number;
	/** Each left-out number with its status after the cancel: `cancelled` when the batch never dialled it. */
	leftOut: Map<string, string>;
}

/** What an error says despite the failure: the recipients that were not submitted again. */
function notResubmitted(batchId: string, recipients: BatchRecipient[]): IDataObject {
	return {
		notResubmitted: recipients.map((r) => ({
			campaignId: batchId,
			recipientId: r.id,
			toNumber: r.phoneNumber ?? null,
			idempotencyKey: r.conversationInitiationClientData?.userId ?? null,
		})),
	};
}

const keysOf = (recipients: BatchRecipient[]) =>
	recipients.map((r) => r.conversationInitiationClientData?.userId ?? r.id).join(', ');

/** Stopped by the cancel before their turn: nobody called them. */
const stoppedByCancel = (r: BatchRecipient) =>
	r.status === 'cancelled' && !r.conversationId && Boolean(r.phoneNumber);

/**
 * Cancels the batch and reads whom the cancel stopped. A cancel that did not happen leaves the
 * batch as it was (the claim is dropped); one that may have happened ends the claim.
 */
async function cancelAndRead(
	ctx: IExecuteFunctions,
	lookups: ElevenLabsLookups,
	ledger: CallLedger,
	claim: BatchReplacement,
	i: number,
): Promise<ElevenLabs.BatchCallDetailedResponse> {
	const { batchId } = claim;
	const cancelled = await cancelBatchCall.attempt(await lookups.dialer(i), batchId);
	const read = await getBatchCall.attempt(await lookups.reader(i), batchId);
	if (read.ok) {
		const { status } = read.value;
		if (status === 'cancelled') return read.value;
		await ledger.dropBatchReplacement(claim);
		const action = `cancel campaign ${batchId}, which may still dial the number`;
		if (!cancelled.ok) {
			const at = { node: ctx.getNode(), itemIndex: i, purpose: { action } };
			throw cancelBatchCall.error(at, cancelled.failure, batchId);
		}
		throw new ProblemError(
			`Could not ${action} (its status is ${status})`,
			'Nothing was changed. Run this again, or cancel the campaign in ElevenLabs → Batch Calling.',
		);
	}
	await ledger.finishBatchReplacement(claim);
	throw new ProblemError(
		`Campaign ${batchId} ${cancelled.ok ? 'was' : 'may have been'} cancelled, but whom it stopped could not be read, so nobody of it was submitted again`,
		`Open the campaign in ElevenLabs → Batch Calling. If it was cancelled, run Campaign → Cancel on it (that frees the people it stopped in the call ledger) and submit them again with Campaign → Submit. ${read.failure.detail}`,
	);
}

/**
 * Whom the cancel stopped that goes into the new batch (`rest`), and who stays out: the listed
 * number, and anyone listed meanwhile, so that no Add's person goes into a new batch. Those left
 * out whom the batch never dialled are withdrawn from it in the ledger.
 */
async function sortStopped(
	ledger: CallLedger,
	batch: ElevenLabs.BatchCallDetailedResponse,
	leaveOut: string,
): Promise<{ rest: BatchRecipient[]; leftOut: Map<string, string> }> {
	const rest: BatchRecipient[] = [];
	const leftOut = new Map<string, string>();
	const sort = async () => {
		for (const r of batch.recipients) {
			const e164 = r.phoneNumber;
			const stopped = stoppedByCancel(r);
			if (!e164 || (!stopped && e164 !== leaveOut)) continue;
			if (e164 === leaveOut || (await ledger.doNotCall(e164))) {
				leftOut.set(e164, r.status);
				if (stopped) await ledger.withdrawFromBatch(batch.id, e164);
			} else rest.push(r);
		}
	};
	await sort().catch((error: unknown) => {
		throw new ProblemError(
			`Campaign ${batch.id} was cancelled, but ${ledger.label} failed, so nobody of it was submitted again`,
			`Check that the database runs, then run Campaign → Cancel on ${batch.id} (that frees the people it stopped in the call ledger) and submit them again with Campaign → Submit. ${error instanceof Error ? error.message : String(error)}`,
		);
	});
	return { rest, leftOut };
}

/**
 * Takes `leaveOut` (the listed number) and everyone on the do-not-call list out of the batch
 * that `claim` holds: cancel, then a new batch of the rest it stopped, their ledger claims moved
 * to it. The claim ends with the new batch id. Whoever is not submitted again is released in the
 * ledger (nobody called them) or, when the submit may have happened, named in the error.
 */
export async function replaceBatch(
	ctx: IExecuteFunctions,
	lookups: ElevenLabsLookups,
	ledger: CallLedger,
	claim: BatchReplacement,
	leaveOut: string,
	i: number,
): Promise<Replacement> {
	const { batchId } = claim;
	const attempts = await ledger.batchAttempts(batchId).catch(async (error: unknown) => {
		await ledger.dropBatchReplacement(claim).catch(() => undefined);
		throw error;
	});
	const batch = await cancelAndRead(ctx, lookups, ledger, claim, i);
	const { rest, leftOut } = await sortStopped(ledger, batch, leaveOut).catch(
		async (error: unknown) => {
			await ledger.finishBatchReplacement(claim).catch(() => undefined);
			throw error;
		},
	);
	if (!rest.length) {
		await ledger.finishBatchReplacement(claim);
		return { resubmitted: 0, leftOut };
	}
	const now = Math.floor(Date.now() / 1000);
	const scheduled = batch.scheduledTimeUnix > now ? batch.scheduledTimeUnix : undefined;
	const recipients = retryRecipients(ledger, attempts, rest, i);
	const outcome = await submitBatch(lookups, batchSettings(batch), recipients, scheduled);
	const others = `${rest.length} other recipients of campaign ${batchId}`;
	if (outcome.status === 'initiated') {
		const replacedBy = outcome.batch.id;
		const numbers = rest.map((r) => r.phoneNumber!);
		await ledger.moveToBatch(batchId, replacedBy, numbers).catch(async (error: unknown) => {
			await ledger.finishBatchReplacement(claim, replacedBy).catch(() => undefined);
			throw new ProblemError(
				`The ${others} were submitted again as campaign ${replacedBy}, but ${ledger.label} still records them under ${batchId}`,
				`Nobody is called twice: the ledger counts them as called. Campaign → Cancel and Retry of ${replacedBy} do not find them in the ledger. ${error instanceof Error ? error.message : String(error)}`,
			);
		});
		await ledger.finishBatchReplacement(claim, replacedBy);
		ctx.logger.info(
			`Do Not Call: campaign ${batchId} replaced by ${replacedBy} with ${rest.length} recipients`,
		);
		return { replacedBy, resubmitted: rest.length, leftOut };
	}
	await ledger.finishBatchReplacement(claim);
	if (outcome.status === 'unknown') {
		const error = mayHaveHappenedError(ctx.getNode(), 'ElevenLabs', outcome.failure, {
			happened: `The ${others} may have been submitted again as a new campaign`,
			check: `The node does not submit again, and the call ledger counts them as called. Check ElevenLabs → Batch Calling for a new campaign "${batch.name}"; if there is none, run Campaign → Cancel on ${batchId} and submit them again (keys: ${keysOf(rest)}).`,
			itemIndex: i,
		});
		throw Object.assign(error, { itemFields: notResubmitted(batchId, rest) });
	}
	const freed = await Promise.all(
		rest.map(async (r) => await ledger.withdrawFromBatch(batchId, r.phoneNumber!)),
	).then(
		() => 'the call ledger lets them be submitted again',
		() => `the call ledger could not free them: run Campaign → Cancel on ${batchId} first`,
	);
	const error = vendorApiError(ctx.getNode(), 'ElevenLabs', outcome.failure, {
		action: `submit the ${others} again after it was cancelled`,
		itemIndex: i,
	});
	error.description = `Nobody of them was called, and ${freed}; submit them with Campaign → Submit (keys: ${keysOf(rest)}). ${error.description ?? ''}`;
	throw Object.assign(error, { itemFields: notResubmitted(batchId, rest) });
}
