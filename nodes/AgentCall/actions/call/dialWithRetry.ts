/** Call → Place: paces dials, waits for a free line, retries when busy and never when unclear */
import type { IDataObject } from 'n8n-workflow';

import type { Problem } from '../../../shared/n8n/problems';
import { maskNumber } from '../../helpers/idempotency';
import { backoffMs, pause, reserveDialSlot } from '../../helpers/pacing';
import type { Claim } from '../../../shared/ledger/callLedger';
import type { LineLeases } from '../../../shared/ledger/lineLeases';
import type { CallRun, PacingClock } from './callRun';
import { dial } from './dial';
import type { DialFailure, DialOutcome, DialResult } from './dial';
import type { PreparedCall } from './preflight';

/** The node stops at item `i`: the items after it dial nobody from now on. */
function halt(clock: PacingClock, i: number): void {
	clock.haltedAt = Math.min(clock.haltedAt ?? Infinity, i);
}

/**
 * An item of an execution that stops at an earlier item's failure: held back, nobody called. The
 * node ends with that failure, so this never reaches the output; the item's claim is released.
 */
const HALTED: IDataObject = { status: 'not_dialled', reason: 'stopped_at_another_item' };

/**
 * Until the first item's dial was answered (or that item ended without one), with the claim kept
 * fresh: the first item dials alone, so that a problem every dial would meet (a timeout, a server
 * error) shows on the first person, as it did when items were dialled one after another, and not
 * on every line at once; with the node stopping there, nobody else is dialled. No line is held
 * while waiting here.
 */
async function afterFirstDial(turn: DialTurn): Promise<void> {
	let answered = false;
	const { clock } = turn.run;
	const first = clock.firstDial?.then(() => (answered = true));
	while (first && !answered) {
		let refresh: NodeJS.Timeout | undefined;
		await Promise.race([
			first,
			new Promise((wake) => (refresh = setTimeout(wake, CLAIM_REFRESH_MS))),
		]);
		clearTimeout(refresh);
		await keepAlive(turn);
	}
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

/** What came of one look and dial: held back by the last look, or the dial's answer. */
type Dialled = { held: IDataObject } | { outcome: DialOutcome; dialledAt: number };

/** How often a waiting item looks again: for a free lease, or at the live count. */
const CONCURRENCY_POLL_MS = 500;
/**
 * How soon after its last look began the holder of the first lease in the order looks at the
 * live count again (at once when the request took longer). It dials as soon as one line comes
 * free, so the time from a call's end to the next dial is about half a look, the count's answer
 * and the dial's request. A later lease needs as many lines free as its place in the order and
 * looks less often, so the requests stay few however many wait.
 */
const FIRST_IN_ORDER_POLL_MS = 100;
const DEFAULT_CALLS_PER_MINUTE = 20;
const DEFAULT_MAX_WAIT_SECONDS = 600;
const DEFAULT_BUSY_RETRIES = 5;
/** How often an item waiting for the first dial marks its claim alive: well within its staleness. */
const CLAIM_REFRESH_MS = 30_000;

/** Marks the claim alive; a ledger that fails here only loses that mark (the claim is held). */
async function keepAlive({ run, call, claim }: DialTurn): Promise<void> {
	await claim
		.alive()
		.catch((error: unknown) =>
			run.ctx.logger.warn(
				`Place Agent Call: item ${call.itemIndex}: could not refresh the claim in the call ledger: ${String(error)}`,
			),
		);
}

/** A little jitter, so that processes waiting for the same agent do not all look at once. */
const jittered = (ms: number) => ms * (0.75 + Math.random() / 2);

/** The pause between two looks. */
async function untilNextLook(
	signal: AbortSignal | undefined,
	ms = CONCURRENCY_POLL_MS,
): Promise<void> {
	await pause(jittered(ms), signal);
}

/**
 * When a lease holder reads the live count next. The first in order reads it again a fixed time
 * after its last read began (back to back when a request takes longer: one request in flight,
 * none of the time idle); a later one pauses after the answer, the longer the later its place.
 */
function nextCountAt(rank: number, askedAt: number): number {
	if (rank === 1) return askedAt + FIRST_IN_ORDER_POLL_MS;
	return Date.now() + jittered(Math.min(CONCURRENCY_POLL_MS, FIRST_IN_ORDER_POLL_MS * rank));
}

/** The line a dial goes out on under the concurrency guard: the agent's lines in the call ledger. */
export interface GuardedLine {
	leases: LineLeases;
	limit: number;
	/** Who holds a lease, for whoever reads the ledger: execution and item. */
	holder: string;
}

/** One item's turn to dial: its run, the call, the claim it dials under, and what it checks last. */
export interface DialTurn {
	run: CallRun;
	call: PreparedCall;
	claim: Claim;
	/** Right before each dial: whether the candidate is still to be called (the fields of a hold if not). */
	lastLook: () => Promise<IDataObject | undefined>;
	/** The agent's lines under the concurrency guard; none without it. */
	line?: GuardedLine;
}

/**
 * Runs `dialNow` on a free line of the agent, waiting while none is. An item first takes one of
 * the agent's line leases in the call ledger (while every lease is held it waits without asking
 * ElevenLabs anything) and then looks at the live count while holding it: the line is free when
 * the live count plus the leases taken before this one (this one included) stay within the
 * limit. Leases in the order are the queue for the next free line, across processes: the first
 * dials as soon as one line frees and looks most often; a later one counts every earlier one as
 * a call about to be placed, so two never take the last line. The lease is held until the dial's
 * answer, so that a call being placed counts before ElevenLabs counts it, and released however
 * the dial ends (the lease's own `finally`); the live count then holds the placed call, and calls
 * placed outside this package. Undefined when the deadline came first.
 */
async function onFreeLine<T>(
	turn: DialTurn,
	line: GuardedLine,
	deadline: number,
	dialNow: () => Promise<T>,
): Promise<{ value: T } | undefined> {
	const { run, call } = turn;
	const { ctx, lookups } = run;
	const i = call.itemIndex;
	const signal = ctx.getExecutionCancelSignal?.();
	const { leases, limit, holder } = line;
	let keptAliveAt = Date.now();
	/** Marks the claim alive now and then, so nobody takes it as abandoned while the item waits. */
	const keepClaimFresh = async () => {
		if (Date.now() - keptAliveAt < CLAIM_REFRESH_MS) return;
		keptAliveAt = Date.now();
		await keepAlive(turn);
	};
	/** A pause cut short when this process releases a line of the agent: a lease is free, or this one moved up. */
	const untilReleaseOr = async (ms: number) => {
		await pause(ms, signal, (wake) => leases.onRelease(call.agentId, wake));
		await keepClaimFresh();
	};
	for (;;) {
		const tried = await leases.withLine(call.agentId, limit, holder, async (lease) => {
			let countAt = 0;
			let lastRank = 0;
			for (;;) {
				const rank = await leases.rank(lease);
				// A lease that expired unnoticed (rank 0) is not this holder's: take another.
				if (lease.lost || rank < 1) return { lost: true as const };
				// Woken early: only a holder that just became the first reads the count before its turn.
				if (Date.now() >= countAt || (rank === 1 && lastRank !== 1)) {
					const askedAt = Date.now();
					const running = await lookups.runningCalls(call.agentId, i);
					if (running + rank <= limit) return { value: await dialNow() };
					if (Date.now() >= deadline) return undefined;
					ctx.logger.debug(
						`Place Agent Call: item ${i}: ${running} of ${limit} calls running, ${rank - 1} placed before this one, waiting for a free line`,
					);
					countAt = nextCountAt(rank, askedAt);
				}
				lastRank = rank;
				await untilReleaseOr(countAt - Date.now());
			}
		});
		if (tried.taken && tried.value && !('lost' in tried.value)) return tried.value;
		if (Date.now() >= deadline) return undefined;
		if (!tried.taken) await untilReleaseOr(jittered(CONCURRENCY_POLL_MS));
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
export async function dialWithRetry(turn: DialTurn): Promise<CallOutcome> {
	const { run, call, claim, lastLook, line } = turn;
	const { ctx, lookups, clock } = run;
	const i = call.itemIndex;
	const { options } = call;
	const signal = ctx.getExecutionCancelSignal?.();
	const deadline = Date.now() + (options.maxWaitSeconds ?? DEFAULT_MAX_WAIT_SECONDS) * 1000;
	const retries = options.busyRetries ?? DEFAULT_BUSY_RETRIES;
	const perMinute = options.callsPerMinute ?? DEFAULT_CALLS_PER_MINUTE;
	/** The last look, the pacing and the dial itself. */
	const dialNow = async (): Promise<Dialled> => {
		try {
			if ((clock.haltedAt ?? Infinity) < i || clock.stoppedBefore?.(i)) return { held: HALTED };
			// n8n's Stop during the wait: nothing was dialled, and the claim is released on the way out.
			if (signal?.aborted) throw new Error('The execution was cancelled');
			// The wait may have lasted minutes: the window may have closed, the person may have opted out.
			const held = await lastLook();
			if (held) return { held };
			// Items dialled side by side take their turns in the order they get here.
			await pause(reserveDialSlot(clock, Date.now(), perMinute), signal);
			const dialledAt = Date.now();
			const outcome = await dial(ctx, lookups, call.dial, i);
			// Unclear: the node stops at this item unless it continues on fail; nobody else is dialled.
			if (!outcome.ok && outcome.kind === 'unknown' && !ctx.continueOnFail()) halt(clock, i);
			return { outcome, dialledAt };
		} finally {
			if (i === 0) clock.firstDialed?.();
		}
	};
	if (i > 0) await afterFirstDial(turn);
	for (let attempt = 0; ; ) {
		await keepAlive(turn);
		let answer: Dialled;
		if (line) {
			const onLine = await onFreeLine(turn, line, deadline, dialNow);
			if (!onLine) return { status: 'refused', lineNeverFree: lineNeverFree(line.limit, call) };
			answer = onLine.value;
		} else {
			answer = await dialNow();
		}
		if ('held' in answer) return { status: 'held', fields: answer.held };
		const { outcome, dialledAt } = answer;
		// A call may exist from here on (a refusal proves none does): the claim stays.
		if (outcome.ok || outcome.kind === 'unknown') claim.sent();
		if (outcome.ok) return { status: 'initiated', result: outcome, dialledAt };
		if (
			outcome.kind === 'busy' &&
			line &&
			Date.now() < deadline &&
			(await lookups.runningCalls(call.agentId, i)) >= line.limit
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
		// Refused: the node stops at this item unless it continues on fail; nobody else is dialled.
		if (!ctx.continueOnFail()) halt(clock, i);
		// Busy through every retry counts as refused: nobody was called.
		return outcome.kind === 'unknown'
			? { status: 'unknown', failure: outcome }
			: { status: 'refused', failure: outcome };
	}
}
