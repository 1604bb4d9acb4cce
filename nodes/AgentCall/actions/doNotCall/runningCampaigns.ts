/** Do Not Call → Add in running campaigns: the number out of every batch of the ledger that has not dialled it. */
import type { ElevenLabs } from '@elevenlabs/elevenlabs-js';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { hasElevenLabsCredential } from '../../../shared/vendors/elevenLabsClient';
import { getBatchCall } from '../../../shared/vendors/elevenLabsApi';
import type { BatchReplacement } from '../../../shared/ledger/types';
import { replaceBatch } from '../campaign/replaceBatch';
import { ElevenLabsLookups } from '../common/lookups';
import type { ListedNumber } from './listedNumber';

const WAIT_POLL_MS = 500;
/** How long an Add waits for another execution that is replacing the same batch. */
const WAIT_FOR_OTHER_MS = 120_000;
/** A bound on the batches followed: one batch replaced again by Adds that run at the same time. */
const MAX_BATCHES = 50;

const NO_CREDENTIAL_HINT =
	'These campaigns may still call the number. Choose an "ElevenLabs Agents API" credential in this node: Add then takes the number out of the campaigns that have not dialled it yet. Or cancel them with Campaign → Cancel.';
const UNCHECKED_HINT =
	'ElevenLabs could not say whether these campaigns still call the number (unknown to the workspace of this credential, or another run kept changing them): check them in ElevenLabs → Batch Calling.';

/** What Add says about the campaigns of the ledger the number was submitted in. */
export interface CampaignsReport extends IDataObject {
	/** Batches that will not dial the number: { campaignId, replacedBy, resubmitted }. */
	removedFromCampaigns: IDataObject[];
	/** Batches that dialled the number before the Add: { campaignId, status }. */
	alreadyDialledIn: IDataObject[];
	/** Batches that could not be checked, with pendingCampaignsHint. */
	pendingCampaigns: string[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The claim to replace the batch, or the finished replacement of another run, or none in time. */
async function claimOrWait(
	number: ListedNumber,
	batchId: string,
): Promise<{ won: boolean } & BatchReplacement> {
	const until = Date.now() + WAIT_FOR_OTHER_MS;
	for (;;) {
		const claim = await number.run(async (ledger) => await ledger.claimBatchReplacement(batchId));
		if (claim.won || claim.finishedAt !== undefined || Date.now() >= until) return claim;
		await sleep(WAIT_POLL_MS);
	}
}

class CampaignsWork {
	readonly report: CampaignsReport = {
		removedFromCampaigns: [],
		alreadyDialledIn: [],
		pendingCampaigns: [],
	};

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly lookups: ElevenLabsLookups,
		private readonly number: ListedNumber,
		private readonly i: number,
	) {}

	private async read(batchId: string): Promise<ElevenLabs.BatchCallDetailedResponse | undefined> {
		const read = await getBatchCall.attempt(await this.lookups.reader(this.i), batchId);
		if (read.ok) return read.value;
		if (read.failure.status === 404) return undefined;
		const purpose = { action: `read campaign ${batchId}, which may still dial the number` };
		const at = { node: this.ctx.getNode(), itemIndex: this.i, purpose };
		throw getBatchCall.error(at, read.failure, batchId);
	}

	/** One batch of the number: left as it is, or replaced without the number (by this run or another). */
	async leave(batchId: string, otherRun?: BatchReplacement): Promise<void> {
		const { report, number } = this;
		const batch = await this.read(batchId);
		if (!batch) {
			report.pendingCampaigns.push(batchId);
			return;
		}
		const recipient = batch.recipients.find((r) => r.phoneNumber === number.e164);
		if (!recipient) return;
		if (recipient.status === 'cancelled') {
			if (otherRun) {
				const replacedBy = otherRun.replacedBy ?? null;
				report.removedFromCampaigns.push({ campaignId: batchId, replacedBy, resubmitted: 0 });
			}
			return;
		}
		if (recipient.status !== 'pending') {
			report.alreadyDialledIn.push({ campaignId: batchId, status: recipient.status });
			return;
		}
		if (otherRun) {
			report.pendingCampaigns.push(batchId);
			return;
		}
		const claim = await claimOrWait(number, batchId);
		if (!claim.won) {
			if (claim.finishedAt !== undefined) await this.leave(batchId, claim);
			else report.pendingCampaigns.push(batchId);
			return;
		}
		const done = await replaceBatch(
			this.ctx,
			this.lookups,
			number.ledger,
			claim,
			number.e164,
			this.i,
		);
		const status = done.leftOut.get(number.e164) ?? 'cancelled';
		const replacedBy = done.replacedBy ?? null;
		if (status === 'cancelled') {
			report.removedFromCampaigns.push({
				campaignId: batchId,
				replacedBy,
				resubmitted: done.resubmitted,
			});
		} else report.alreadyDialledIn.push({ campaignId: batchId, status, replacedBy });
	}
}

/**
 * Takes the number out of every batch of the ledger's campaigns that has not dialled it yet;
 * without an ElevenLabs credential, names the batches that may. Batches followed anew after each
 * one, as the number's claim moves with a batch that another run replaced.
 */
export async function leaveRunningCampaigns(
	ctx: IExecuteFunctions,
	number: ListedNumber,
	i: number,
): Promise<IDataObject> {
	const batchesOfNumber = async () => {
		const attempts = await number.run(
			async (ledger) => await ledger.personBatchAttempts(number.e164),
		);
		return [...new Set(attempts.map((a) => a.batchId!))];
	};
	const work = new CampaignsWork(ctx, new ElevenLabsLookups(ctx), number, i);
	const { report } = work;
	let batches = await batchesOfNumber();
	if (!hasElevenLabsCredential(ctx)) {
		report.pendingCampaigns.push(...batches);
		return batches.length ? { ...report, pendingCampaignsHint: NO_CREDENTIAL_HINT } : report;
	}
	const seen = new Set<string>();
	try {
		for (let round = 0; round < MAX_BATCHES; round++) {
			const next = batches.find((id) => !seen.has(id));
			if (!next) break;
			seen.add(next);
			await work.leave(next);
			batches = await batchesOfNumber();
		}
		report.pendingCampaigns.push(...batches.filter((id) => !seen.has(id)));
	} catch (error) {
		// What was done before the failure stays in the item's output (On Error: Continue).
		const known = (error as { itemFields?: IDataObject }).itemFields;
		throw Object.assign(error as Error, { itemFields: { ...report, ...known } });
	}
	return report.pendingCampaigns.length
		? { ...report, pendingCampaignsHint: UNCHECKED_HINT }
		: report;
}
