/** Whether an execution may claim a person's next attempt, wait, or hold back, and why */
import type { Attempt } from './types';

/** How often one person may be called in one campaign, and how far apart. */
export interface AttemptPolicy {
	maxAttempts: number;
	hoursBetweenAttempts: number;
}

/**
 * Whether the last call got through to the person, as far as the vendor's history tells:
 * `not_reached` only when the vendor reports that no call reached them (no answer, busy, failed,
 * voicemail); a call still running counts as reached; anything else is `unknown`.
 */
export type Reach = 'reached' | 'not_reached' | 'unknown';

/** The vendor's word on the last call: its reach and, when known, when it started (ms). */
export interface ReachReport {
	reach: Reach;
	startedAt?: number;
}

export type SkipStatus = 'already_called' | 'attempts_exhausted' | 'too_soon';

export type AttemptDecision =
	/** Claim this attempt number; only the execution whose insert succeeds dials. */
	| { kind: 'claim'; attempt: number }
	/** Another execution holds a fresh claim and is dialling: wait for its outcome. */
	| { kind: 'wait'; last: Attempt }
	/** This execution's own earlier try had an unknown outcome (n8n's Retry On Fail). */
	| { kind: 'ownUnknown'; last: Attempt }
	/** Ask the vendor whether the last call reached the person, then decide again. */
	| { kind: 'checkReach'; last: Attempt }
	/**
	 * A claim whose execution went silent past the staleness: ask the vendor's history whether it
	 * dialled. Found: record that call on the claim. Not found: its claimant died before dialling,
	 * and the attempt may be taken over.
	 */
	| { kind: 'checkStale'; last: Attempt }
	| { kind: 'skip'; status: SkipStatus; last: Attempt; nextAttemptAfter?: number };

/**
 * A claim whose execution gave no sign of life for this long has lost its claimant (a waiting
 * claim is marked alive every few seconds): the vendor's history tells whether it dialled.
 */
export const STALE_CLAIM_MS = 10 * 60_000;

const HOUR_MS = 3_600_000;

/**
 * Decides, from the ledger's attempts of one person in one campaign (ordered by number),
 * whether this execution may claim the next attempt. Pure: the caller reads the ledger, asks
 * the vendor when told to (`checkReach`: the reach, and when the last call started), and claims
 * atomically.
 */
export function decideAttempt(
	attempts: Attempt[],
	policy: AttemptPolicy,
	now: number,
	executionId: string,
	reach?: Reach,
	callStartedAt?: number,
): AttemptDecision {
	const last = attempts.at(-1);
	if (!last) return { kind: 'claim', attempt: 1 };
	if (last.outcome === 'claimed')
		return now - last.updatedAt < STALE_CLAIM_MS
			? { kind: 'wait', last }
			: { kind: 'checkStale', last };
	if (last.outcome !== 'initiated') {
		// The request went out without a clear answer: the person may have been called. Never again.
		return last.executionId === executionId
			? { kind: 'ownUnknown', last }
			: { kind: 'skip', status: 'already_called', last };
	}
	if (reach === undefined) return { kind: 'checkReach', last };
	// Only the vendor's word that no call reached the person allows another: a batch may not
	// have dialled them yet, a conversation may be gone from the history.
	if (reach !== 'not_reached') return { kind: 'skip', status: 'already_called', last };
	if (attempts.length >= policy.maxAttempts)
		return { kind: 'skip', status: 'attempts_exhausted', last };
	// From the call's start as the vendor reports it: a batch may dial hours after its claim. A
	// start ahead of this clock is the vendor's clock running ahead, not a call still to come.
	const from = Math.max(last.claimedAt, Math.min(callStartedAt ?? 0, now));
	const nextAttemptAfter = from + policy.hoursBetweenAttempts * HOUR_MS;
	if (now < nextAttemptAfter) return { kind: 'skip', status: 'too_soon', last, nextAttemptAfter };
	return { kind: 'claim', attempt: last.attempt + 1 };
}
