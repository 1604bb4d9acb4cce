/** Claims a candidate's next attempt in the call ledger before any dial, or says why not */
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { problem, toNodeError } from '../../../shared/n8n/problems';
import type { CallLedger, Claim, ClaimResult, FoundCall } from '../../../shared/ledger/callLedger';
import type { AttemptPolicy } from '../../../shared/ledger/decideAttempt';
import type { HeldClaims } from '../../../shared/ledger/heldClaims';
import type { Attempt, DoNotCallEntry } from '../../../shared/ledger/types';
import { maskNumber } from '../../helpers/idempotency';
import type { Candidate } from './candidate';
import { ledgerScope, ledgerUnavailable } from '../../../shared/ledger/itemLedger';
import type { ElevenLabsLookups } from './lookups';
import { earlierRecipients } from '../campaign/earlierRecipients';

/** How long an execution waits for another one that dials the same person at this moment. */
const WAIT_FOR_OTHERS_MS = 30_000;

export type HeldStatus = 'do_not_call' | 'already_called' | 'attempts_exhausted' | 'too_soon';

/** A candidate the ledger lets through (with the claim to settle), or why not (not an error). */
export type LedgerClearance =
	| { kind: 'dial'; claim: Claim }
	| { kind: 'held'; fields: IDataObject & { status: HeldStatus } };

/** A call of the person that the vendor's history knows and the ledger may not. */
export interface EarlierCall {
	conversationId?: string;
	campaignId?: string;
	startedAt: number;
}

/**
 * What the claims of one run share: the n8n context (the ledger's errors, the log), the lookups
 * (whether an earlier call reached the person), the ledger, and the holder of the claims won, so
 * that any way out of the run releases them unless they were dialled.
 */
export interface ClaimRun {
	ctx: IExecuteFunctions;
	lookups: ElevenLabsLookups;
	ledger: CallLedger;
	held: HeldClaims;
}

export interface ClaimSubject {
	agentId: string;
	candidate: Candidate;
	/** The ledger campaign to claim in; the item's Campaign (ledgerScope) when not given. */
	scope?: string;
	policy: AttemptPolicy;
	skipIfAlreadyCalled: boolean;
	/** Looks the person up in the vendor's history, for calls placed before the ledger knew them. */
	history(): Promise<EarlierCall | undefined>;
}

/** The attempt budget from the options (checked with the other options, against their description). */
export function attemptPolicy(options: {
	maxAttempts?: number;
	hoursBetweenAttempts?: number;
}): AttemptPolicy {
	return {
		maxAttempts: options.maxAttempts ?? 3,
		hoursBetweenAttempts: options.hoursBetweenAttempts ?? 4,
	};
}

const iso = (ms: number) => new Date(ms).toISOString();

function previousCallStatus(last: Attempt): string {
	if (last.outcome === 'claimed') return 'dialling';
	return last.outcome;
}

/** A listed person's item: not an error. */
export function doNotCallFields(entry: DoNotCallEntry): IDataObject & { status: 'do_not_call' } {
	return {
		status: 'do_not_call',
		doNotCallSince: iso(entry.addedAt),
		doNotCallReason: entry.reason,
	};
}

/** The do-not-call list read once more, right before a dial (an opt-out may come during a wait). */
export async function listedNow(
	ctx: IExecuteFunctions,
	ledger: CallLedger,
	e164: string,
	i: number,
): Promise<(IDataObject & { status: 'do_not_call' }) | undefined> {
	const entry = await ledger.doNotCall(e164).catch((error: unknown) => {
		throw ledgerUnavailable(ctx, ledger.label, error, i);
	});
	if (!entry) return undefined;
	ctx.logger.info(
		`Place Agent Call: item ${i}: ${maskNumber(e164)} put on the do-not-call list before the dial, not called`,
	);
	return doNotCallFields(entry);
}

function heldFields(
	result: Exclude<ClaimResult, { kind: 'claimed' | 'ownUnknown' | 'conflict' }>,
): LedgerClearance {
	if (result.kind === 'doNotCall') return { kind: 'held', fields: doNotCallFields(result.entry) };
	const { last, attempts, status } = result;
	const earlier = {
		conversationId: last.conversationId ?? null,
		...(last.batchId ? { campaignId: last.batchId } : {}),
		attempts,
	};
	if (status === 'too_soon') {
		return {
			kind: 'held',
			fields: { status, nextAttemptAfter: iso(result.nextAttemptAfter!), ...earlier },
		};
	}
	if (status === 'attempts_exhausted') return { kind: 'held', fields: { status, ...earlier } };
	return {
		kind: 'held',
		fields: {
			status,
			...earlier,
			previousCallStatus: previousCallStatus(last),
			placedAt: iso(last.claimedAt),
		},
	};
}

/**
 * What a claim whose execution died had placed, as ElevenLabs knows it: a conversation carrying
 * its key since the claim (Place), or a campaign holding it that may not have dialled yet
 * (Submit). Neither: its claimant died before dialling.
 */
async function callOfStaleClaim(
	{ ctx, lookups }: ClaimRun,
	agentId: string,
	last: Attempt,
	i: number,
): Promise<FoundCall | undefined> {
	// A minute of slack for the vendor's clock; start times are whole seconds.
	const since = Math.floor(last.claimedAt / 1000) - 60;
	const previous = await lookups.previousCall(agentId, last.callKey, since, i);
	if (previous) {
		const { conversationId, startedAt } = previous;
		return { conversationId, startedAt: Date.parse(startedAt) };
	}
	const batchId = (await earlierRecipients(ctx, lookups, agentId, since)).get(last.callKey);
	if (batchId) return { batchId, startedAt: last.claimedAt };
	ctx.logger.info(
		`Place Agent Call: item ${i}: ${last.maskedNumber} was claimed by execution ${last.executionId}, which stopped before dialling; the attempt is taken over`,
	);
	return undefined;
}

/** What a store failure means for the item: the ledger's error (ElevenLabs failing the reach check says so itself). */
function ledgerFailed(run: ClaimRun, i: number) {
	return (error: unknown): never => {
		if (error instanceof NodeApiError || error instanceof NodeOperationError) throw error;
		throw ledgerUnavailable(run.ctx, run.ledger.label, error, i);
	};
}

/** Asks the ledger for the candidate's next attempt; it decides by the attempts it holds. */
async function claimInLedger(
	run: ClaimRun,
	subject: ClaimSubject,
	i: number,
): Promise<ClaimResult> {
	const { ctx, lookups, ledger } = run;
	const { candidate, agentId } = subject;
	return await ledger
		.claim({
			scope: subject.scope ?? ledgerScope(ctx, agentId, i),
			callKey: candidate.key,
			e164: candidate.phone.e164,
			maskedNumber: maskNumber(candidate.phone.e164),
			executionId: String(ctx.getExecutionId?.() ?? ''),
			policy: subject.policy,
			// Whatever "Skip If Already Called" says: a call the ledger holds is never repeated once it reached the person.
			reachOf: async (last) => await lookups.callReach(agentId, candidate.key, last, i),
			callOfStaleClaim: async (last) => await callOfStaleClaim(run, agentId, last, i),
			waitForOthersMs: WAIT_FOR_OTHERS_MS,
			signal: ctx.getExecutionCancelSignal?.(),
		})
		.catch(ledgerFailed(run, i));
}

/** The item's error for a claim refused as wrong: one key with two numbers, or an unclear try of this execution. */
function claimRefused(
	run: ClaimRun,
	candidate: Candidate,
	result: Extract<ClaimResult, { kind: 'conflict' | 'ownUnknown' }>,
	i: number,
): NodeOperationError {
	const { e164 } = candidate.phone;
	if (result.kind === 'conflict') {
		return toNodeError(
			run.ctx.getNode(),
			problem(
				`This candidate was called in this campaign on another number (${result.boundTo.maskedNumber}), so ${maskNumber(e164)} was not called`,
				'One candidate ID (or idempotency key) with two phone numbers: correct the phone number or the candidate ID of this row. Nobody was called.',
			),
			i,
		);
	}
	return Object.assign(
		toNodeError(
			run.ctx.getNode(),
			problem(
				`The call to ${e164} may have been placed by an earlier try of this execution`,
				"The node does not dial again after an unclear answer, so nobody is called twice. Check the agent's call history in ElevenLabs before calling this candidate again.",
			),
			i,
		),
		{ itemFields: { toNumber: e164, idempotencyKey: candidate.key, status: 'unknown' } },
	);
}

/** A first attempt that the vendor's history already knows: recorded in the ledger as that call, not dialled. */
async function adoptEarlierCall(
	run: ClaimRun,
	subject: ClaimSubject,
	claim: Claim,
	i: number,
): Promise<LedgerClearance> {
	const earlier = await subject.history();
	if (!earlier) return { kind: 'dial', claim };
	await claim
		.adopt(earlier.conversationId, earlier.campaignId, earlier.startedAt)
		.catch(ledgerFailed(run, i));
	run.ctx.logger.info(
		`Place Agent Call: item ${i}: ${maskNumber(subject.candidate.phone.e164)} already called (${earlier.conversationId ?? earlier.campaignId})`,
	);
	return {
		kind: 'held',
		fields: {
			status: 'already_called',
			conversationId: earlier.conversationId ?? null,
			...(earlier.campaignId ? { campaignId: earlier.campaignId } : {}),
			previousCallStatus: 'initiated',
			placedAt: iso(earlier.startedAt),
			attempts: 1,
		},
	};
}

/**
 * Claims the candidate's next attempt in the call ledger before anything is dialled. Only the
 * execution that wins the claim dials; the others, and every item the ledger holds back, come
 * out with a status. On a first attempt the vendor's history is the second line of defence: a
 * call found there is recorded in the ledger instead of dialled again.
 */
export async function claimCandidate(
	run: ClaimRun,
	subject: ClaimSubject,
	i: number,
): Promise<LedgerClearance> {
	const result = await claimInLedger(run, subject, i);
	if (result.kind === 'conflict' || result.kind === 'ownUnknown')
		throw claimRefused(run, subject.candidate, result, i);
	if (result.kind !== 'claimed') {
		const why = result.kind === 'doNotCall' ? 'do_not_call' : result.status;
		const masked = maskNumber(subject.candidate.phone.e164);
		run.ctx.logger.info(`Place Agent Call: item ${i}: ${masked} not called (${why})`);
		return heldFields(result);
	}
	const claim = run.held.hold(result.claim);
	if (claim.attempt > 1 || !subject.skipIfAlreadyCalled) return { kind: 'dial', claim };
	return await adoptEarlierCall(run, subject, claim, i);
}
