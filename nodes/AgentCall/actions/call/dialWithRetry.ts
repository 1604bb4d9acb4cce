import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { Problem } from '../../../shared/problems';
import { maskNumber } from '../../helpers/idempotency';
import { backoffMs, pause, rateDelayMs } from '../../helpers/pacing';
import type { Claim } from '../../../shared/ledger/callLedger';
import type { ElevenLabsLookups } from '../lookups';
import { dial } from './dial';
import type { DialFailure, DialResult } from './dial';
import type { PreparedCall } from './preflight';

/** When the execution dialled last: the pacing clock that all its items share. */
export interface PacingClock {
	lastDialAt?: number;
}

/**
 * What came of dialling one candidate, once every allowed retry is used:
 * - `initiated`: the call was placed;
 * - `unknown`: the request went out without a clear answer: the call may be ringing;
 * - `refused`: nobody was called (the vendor said no, stayed busy, or no line came free).
 */
export type CallOutcome =
	| { status: 'initiated'; result: DialResult; dialledAt: number }
	/** The last look before the dial held the candidate back: nobody was called. */
	| { status: 'held'; fields: IDataObject }
	| { status: 'unknown'; failure: DialFailure }
	| { status: 'refused'; failure: DialFailure }
	| { status: 'refused'; lineNeverFree: Problem };

/** How often a waiting item asks for the live count: one cheap request. */
const CONCURRENCY_POLL_MS = 500;
const DEFAULT_CALLS_PER_MINUTE = 20;
const DEFAULT_MAX_WAIT_SECONDS = 600;
const DEFAULT_BUSY_RETRIES = 5;

/** Marks the claim alive; a ledger that fails here only loses that mark (the claim is held). */
async function keepAlive(ctx: IExecuteFunctions, claim: Claim, i: number): Promise<void> {
	await claim
		.alive()
		.catch((error: unknown) =>
			ctx.logger.warn(
				`Place Agent Call: item ${i}: could not refresh the claim in the call ledger: ${String(error)}`,
			),
		);
}

/** The pause between two looks at the live count, with a little jitter, so that processes waiting for the same agent do not all look at once. */
async function untilNextLook(signal: AbortSignal | undefined): Promise<void> {
	await pause(CONCURRENCY_POLL_MS * (0.75 + Math.random() / 2), signal);
}

/** Waits while the agent is at its concurrency limit; false when the deadline came first. */
async function waitForFreeLine(
	ctx: IExecuteFunctions,
	lookups: ElevenLabsLookups,
	call: PreparedCall,
	limit: number,
	deadline: number,
	i: number,
	claim: Claim,
): Promise<boolean> {
	const signal = ctx.getExecutionCancelSignal?.();
	for (;;) {
		const running = await lookups.runningCalls(call.agentId, i);
		if (running < limit) return true;
		if (Date.now() >= deadline) return false;
		ctx.logger.debug(
			`Place Agent Call: item ${i}: ${running}/${limit} calls running, waiting for a free line`,
		);
		await untilNextLook(signal);
		// The claim stays fresh while this execution waits, so nobody takes it as abandoned.
		await keepAlive(ctx, claim, i);
	}
}

function lineNeverFree(limit: number, call: PreparedCall): Problem {
	const masked = maskNumber(call.candidate.phone.e164);
	return {
		message: `The agent stayed at its limit of ${limit} simultaneous calls, so ${masked} was not called`,
		hint: 'Nobody was called for this item. Raise "Max Wait (Seconds)", lower "Calls per Minute", or run the rest later.',
	};
}

/**
 * Dials one candidate at the pace the options allow: spaced by Calls per Minute, after a free
 * line (Concurrency Guard), and again after a 429 that proves nobody was called. Right before
 * each dial `lastLook` may still hold the candidate back. Anything else
 * is final: a dial is never repeated after an unclear answer.
 */
export async function dialWithRetry(
	ctx: IExecuteFunctions,
	lookups: ElevenLabsLookups,
	clock: PacingClock,
	call: PreparedCall,
	i: number,
	claim: Claim,
	lastLook: () => Promise<IDataObject | undefined>,
): Promise<CallOutcome> {
	const { options } = call;
	const signal = ctx.getExecutionCancelSignal?.();
	const deadline = Date.now() + (options.maxWaitSeconds ?? DEFAULT_MAX_WAIT_SECONDS) * 1000;
	const limit = options.concurrencyGuard === false ? undefined : call.concurrencyLimit;
	const retries = options.busyRetries ?? DEFAULT_BUSY_RETRIES;
	for (let attempt = 0; ; ) {
		await pause(
			rateDelayMs(clock.lastDialAt, Date.now(), options.callsPerMinute ?? DEFAULT_CALLS_PER_MINUTE),
			signal,
		);
		await keepAlive(ctx, claim, i);
		if (limit && !(await waitForFreeLine(ctx, lookups, call, limit, deadline, i, claim))) {
			return { status: 'refused', lineNeverFree: lineNeverFree(limit, call) };
		}
		// n8n's Stop during the wait: nothing was dialled, and the claim is released on the way out.
		if (signal?.aborted) throw new Error('The execution was cancelled');
		// The wait may have lasted minutes: the window may have closed, the person may have opted out.
		const held = await lastLook();
		if (held) return { status: 'held', fields: held };
		const dialledAt = Date.now();
		clock.lastDialAt = dialledAt;
		const outcome = await dial(ctx, lookups, call.request, i);
		// A call may exist from here on (a refusal proves none does): the claim stays.
		if (outcome.ok || outcome.kind === 'unknown') claim.sent();
		if (outcome.ok) return { status: 'initiated', result: outcome, dialledAt };
		if (
			outcome.kind === 'busy' &&
			limit &&
			Date.now() < deadline &&
			(await lookups.runningCalls(call.agentId, i)) >= limit
		) {
			// Another process took the line that was free a moment ago: wait for the next one.
			ctx.logger.info(
				`Place Agent Call: item ${i}: refused as busy (429) while all lines were taken, nobody called; waiting for a free line`,
			);
			// The count just read is the guard's first look: the next one comes after the pause.
			await untilNextLook(signal);
			continue;
		}
		const wait = backoffMs(attempt, outcome.failure.retryAfterSeconds);
		if (outcome.kind === 'busy' && attempt < retries && Date.now() + wait < deadline) {
			attempt++;
			ctx.logger.info(
				`Place Agent Call: item ${i}: refused as busy (429), nobody called; retry ${attempt} in ${Math.ceil(wait / 1000)} s`,
			);
			await pause(wait, signal);
			continue;
		}
		// Busy through every retry counts as refused: nobody was called.
		return outcome.kind === 'unknown'
			? { status: 'unknown', failure: outcome }
			: { status: 'refused', failure: outcome };
	}
}
