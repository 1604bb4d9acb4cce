/** Campaign: submits a batch once, settles every recipient's claim and reports the outcome */
import type { ElevenLabs } from '@elevenlabs/elevenlabs-js';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { submitBatchCall } from '../../../shared/vendors/elevenLabsApi';
import { mayHaveHappenedError, vendorApiError } from '../../../shared/vendors/errors';
import type { Attempt, VendorFailure } from '../../../shared/vendors/errors';
import type { Claim } from '../../../shared/ledger/callLedger';
import { withAttempt } from '../../helpers/clientData';
import type { ElevenLabsLookups } from '../common/lookups';
import type { CampaignSettings } from './campaignSettings';
import { campaignOutput } from './output';
import type { ClaimedRecipient } from './clearance';
import type { Recipient } from './recipients';

/** The zone ElevenLabs shows a campaign in when the node sets none. */
const DEFAULT_CAMPAIGN_ZONE = 'Europe/Berlin';

/**
 * What came of the submit, for all its recipients at once:
 * - `initiated`: ElevenLabs created the campaign and dials the recipients;
 * - `unknown`: the request went out without a clear answer: the campaign may exist;
 * - `refused`: ElevenLabs said no; nobody is called.
 */
export type SubmitOutcome =
	| { status: 'initiated'; batch: ElevenLabs.BatchCallResponse }
	| { status: 'unknown'; failure: VendorFailure }
	| { status: 'refused'; failure: VendorFailure };

/**
 * Submits the batch once: a repeated submit would start a second campaign for the same people.
 * Recipients without a claim keep the attempt their client data already carries (a batch
 * submitted again after a do-not-call Add).
 */
export async function submitBatch(
	lookups: ElevenLabsLookups,
	settings: CampaignSettings,
	recipients: Array<Recipient & { claim?: Pick<Claim, 'attempt'> }>,
	scheduledUnix: number | undefined,
): Promise<SubmitOutcome> {
	const { options } = settings;
	const connection = await lookups.dialer(0);
	const submitted = await submitBatchCall.attempt(connection, {
		callName: settings.callName,
		agentId: settings.agentId,
		agentPhoneNumberId: settings.phoneNumberId,
		recipients: recipients.map(({ itemIndex, candidate, recipientId, claim }) => ({
			id: recipientId ?? `item-${itemIndex}`,
			phoneNumber: candidate.phone.e164,
			conversationInitiationClientData: claim
				? withAttempt(candidate.clientData, claim.attempt)
				: candidate.clientData,
		})),
		...(scheduledUnix ? { scheduledTimeUnix: scheduledUnix } : {}),
		timezone: options.timeZone || DEFAULT_CAMPAIGN_ZONE,
		...(options.concurrencyLimit ? { targetConcurrencyLimit: options.concurrencyLimit } : {}),
		...(options.ringingTimeout
			? { telephonyCallConfig: { ringingTimeoutSecs: options.ringingTimeout } }
			: {}),
	});
	return batchOutcome(submitted);
}

/** A request that dials a batch, sent once, as an outcome. */
function batchOutcome(sent: Attempt<ElevenLabs.BatchCallResponse>): SubmitOutcome {
	if (sent.ok) return { status: 'initiated', batch: sent.value };
	const { failure } = sent;
	const unclear = failure.noAnswer || (failure.status ?? 0) >= 500;
	return unclear ? { status: 'unknown', failure } : { status: 'refused', failure };
}

/** Settles each claim; a ledger that fails now is logged: an unsettled claim counts as a maybe-placed call later. */
async function settleEach(
	ctx: IExecuteFunctions,
	recipients: ClaimedRecipient[],
	what: string,
	settle: (claim: Claim) => Promise<void>,
): Promise<void> {
	await Promise.all(
		recipients.map(async ({ claim }) => {
			await settle(claim).catch((error: unknown) =>
				ctx.logger.warn(
					`Submit Campaign: the call ledger did not record the outcome (${what}): ${String(error)}`,
				),
			);
		}),
	);
}

/**
 * Records the submit's outcome for every claimed recipient: in the campaign, maybe in it
 * (never submitted again), or released (nobody is called).
 */
export async function settleClaims(
	ctx: IExecuteFunctions,
	recipients: ClaimedRecipient[],
	outcome: SubmitOutcome,
): Promise<void> {
	await settleEach(ctx, recipients, outcome.status, async (claim) =>
		outcome.status === 'initiated'
			? await claim.initiated({ batchId: outcome.batch.id })
			: outcome.status === 'unknown'
				? await claim.unknown()
				: await claim.release(),
	);
}

/** Nobody of these is called by this run: the next run may claim them again. */
export async function releaseClaims(
	ctx: IExecuteFunctions,
	recipients: ClaimedRecipient[],
): Promise<void> {
	await settleEach(
		ctx,
		recipients,
		'waiting for the next window',
		async (claim) => await claim.release(),
	);
}

/** A claim nobody was submitted for that the ledger would not release: logged, it ages into "maybe called". */
export function releaseFailed(ctx: IExecuteFunctions) {
	return (error: unknown) =>
		ctx.logger.warn(
			`Submit Campaign: the call ledger did not release a claim nobody was called for: ${String(error)}`,
		);
}

/** How the outcome of a request that dials a batch is told: Submit's, or Retry's. */
export interface BatchWording {
	action: string;
	happened: string;
	log: string;
}

const SUBMIT_WORDING: BatchWording = {
	action: 'submit the campaign',
	happened: 'The campaign may have been created',
	log: 'Submit Campaign',
};

/** The one place where the submit's outcome is known: the campaign's output, or the error. */
export function reportSubmit(
	ctx: IExecuteFunctions,
	outcome: SubmitOutcome,
	report: IDataObject & { recipients: number },
	wording: BatchWording = SUBMIT_WORDING,
): IDataObject {
	if (outcome.status === 'unknown') {
		throw mayHaveHappenedError(ctx.getNode(), 'ElevenLabs', outcome.failure, {
			happened: wording.happened,
			check:
				'The node does not submit again. Check ElevenLabs → Batch Calling; the call ledger leaves out everyone of this campaign on a re-run.',
			itemIndex: 0,
		});
	}
	if (outcome.status === 'refused') {
		throw vendorApiError(ctx.getNode(), 'ElevenLabs', outcome.failure, {
			action: wording.action,
			itemIndex: 0,
		});
	}
	ctx.logger.info(`${wording.log}: ${outcome.batch.id} with ${report.recipients} recipients`);
	return { ...campaignOutput(outcome.batch), ...report };
}
