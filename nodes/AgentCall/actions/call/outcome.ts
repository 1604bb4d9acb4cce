/** Call → Place: records a dial's outcome in the ledger; a failure becomes a clear error */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { mayHaveHappenedError, vendorApiError } from '../../../shared/vendors/errors';
import { ProblemError } from '../../../shared/n8n/problems';
import { maskNumber } from '../../helpers/idempotency';
import type { Claim } from '../../../shared/ledger/callLedger';
import type { DialFailure } from './dial';
import type { CallOutcome } from './dialWithRetry';
import type { PreparedCall } from './preflight';

/** What a refused dial says, beyond the vendor's generic advice. */
const REFUSAL_HINTS: Record<string, string> = {
	not_started: 'ElevenLabs answered that it did not start the call (see the details).',
	invalid_provider_config:
		'ElevenLabs cannot dial out with this phone number. Check the number under Phone Numbers in ElevenLabs (for a SIP trunk: the outbound trunk address and credentials).',
	too_many_concurrent_requests:
		'The agent stayed at its limit of simultaneous calls through every retry. Nobody was called; lower "Calls per Minute", raise "Retries When Busy", or run the rest later.',
};

function unknownOutcomeError(
	ctx: IExecuteFunctions,
	call: PreparedCall,
	failure: DialFailure,
	i: number,
) {
	const history = failure.vendor === 'Twilio' ? 'Twilio and ElevenLabs' : 'ElevenLabs';
	const error = mayHaveHappenedError(ctx.getNode(), failure.vendor, failure.failure, {
		happened: `The call to ${call.candidate.phone.e164} may have been placed`,
		check: `The node does not try again, so nobody is called twice. Check the agent's call history in ${history} before calling this candidate again; the call ledger keeps this candidate from being dialled again by a retry or a re-run.`,
		itemIndex: i,
	});
	// Continue-on-fail output keeps what is known: the candidate may have been called.
	const { e164 } = call.candidate.phone;
	return Object.assign(error, {
		itemFields: { toNumber: e164, idempotencyKey: call.candidate.key, status: 'unknown' },
	});
}

/**
 * Records the dial's outcome in the call ledger: an initiated call with its ids, an unclear one
 * as unknown (never dialled again), a refusal or a hold by releasing the claim (nobody was called). A
 * ledger that fails now is logged: an unsettled claim counts as a maybe-placed call later.
 */
export async function settleClaim(
	ctx: IExecuteFunctions,
	claim: Claim,
	outcome: CallOutcome,
	i: number,
): Promise<void> {
	const settled =
		outcome.status === 'initiated'
			? claim.initiated({
					conversationId: outcome.result.conversationId,
					callSid: outcome.result.callSid,
				})
			: outcome.status === 'unknown'
				? claim.unknown()
				: claim.release();
	await settled.catch((error: unknown) =>
		ctx.logger.warn(
			`Place Agent Call: item ${i}: the call ledger did not record the outcome (${outcome.status}): ${error instanceof Error ? error.message : String(error)}`,
		),
	);
}

/** A claim nobody dialled on that the ledger would not release: logged, it ages into "maybe called". */
export function releaseFailed(ctx: IExecuteFunctions, i: number) {
	return (error: unknown) =>
		ctx.logger.warn(
			`Place Agent Call: item ${i}: the call ledger did not release a claim nobody dialled on: ${error instanceof Error ? error.message : String(error)}`,
		);
}

/**
 * The one place where a dial's outcome is known: an initiated call becomes the item's output, as
 * do the fields of a hold; an unknown outcome and a refusal become the item's error.
 */
export function reportOutcome(
	ctx: IExecuteFunctions,
	call: PreparedCall,
	outcome: CallOutcome,
	i: number,
): IDataObject {
	const masked = maskNumber(call.candidate.phone.e164);
	if (outcome.status === 'unknown') {
		ctx.logger.warn(
			`Place Agent Call: item ${i}: outcome of the call to ${masked} unknown; not retried`,
		);
		throw unknownOutcomeError(ctx, call, outcome.failure, i);
	}
	if (outcome.status === 'refused') {
		if ('lineNeverFree' in outcome)
			throw new ProblemError(outcome.lineNeverFree.message, outcome.lineNeverFree.hint);
		const { vendor, failure, step } = outcome.failure;
		throw vendorApiError(ctx.getNode(), vendor, failure, {
			action: step,
			itemIndex: i,
			hints: REFUSAL_HINTS,
		});
	}
	if (outcome.status === 'held') return outcome.fields;
	const { result } = outcome;
	ctx.logger.info(
		`Place Agent Call: item ${i}: called ${masked} (${result.transport}, ${result.conversationId ?? result.callSid ?? ''})`,
	);
	return {
		status: 'initiated',
		conversationId: result.conversationId ?? null,
		...(result.callSid !== undefined ? { callSid: result.callSid } : {}),
		...(result.sipCallId !== undefined ? { sipCallId: result.sipCallId } : {}),
		transport: result.transport,
		agentId: call.agentId,
		placedAt: new Date(outcome.dialledAt).toISOString(),
	};
}
