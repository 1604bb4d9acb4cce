/** Call → Place: claims, waits for a free line, dials and settles one candidate per item */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { mapItems } from '../../../shared/n8n/items';
import { withAttempt } from '../../helpers/clientData';
import type { CallLedger, Claim } from '../../../shared/ledger/callLedger';
import { withHeldClaims } from '../../../shared/ledger/heldClaims';
import { ElevenLabsLookups } from '../common/lookups';
import { openItemLedger } from '../../../shared/ledger/itemLedger';
import { claimCandidate, listedNow } from '../common/ledgerClaim';
import { readCallRequest } from './callRequest';
import { newCallRun } from './callRun';
import type { CallRun } from './callRun';
import { historyCall, outsideCallingWindow } from './clearance';
import { dialWithRetry } from './dialWithRetry';
import type { DialTurn, GuardedLine } from './dialWithRetry';
import { releaseFailed, reportOutcome, settleClaim } from './outcome';
import { prepareCall } from './preflight';
import type { PreparedCall } from './preflight';
import { sideBySide } from './sideBySide';

export { description } from './place.description';

/** Under the concurrency guard, the agent's lines in the item's call ledger; none without it. */
function guardedLine(
	run: CallRun,
	ledger: CallLedger,
	call: PreparedCall,
): GuardedLine | undefined {
	if (call.options.concurrencyGuard === false || !call.concurrencyLimit) return undefined;
	const holder = `execution ${String(run.ctx.getExecutionId?.() ?? '')} item ${call.itemIndex}`;
	return { leases: ledger.store.lines, limit: call.concurrencyLimit, holder };
}

/**
 * The dial of a claimed candidate: the attempt in its client data, its line, and the last look
 * before each dial (a wait may last minutes: the window may close, the person may opt out).
 */
function dialTurn(run: CallRun, call: PreparedCall, ledger: CallLedger, claim: Claim): DialTurn {
	const clientData = withAttempt(call.dial.clientData, claim.attempt);
	const e164 = call.candidate.phone.e164;
	return {
		run,
		call: { ...call, dial: { ...call.dial, clientData } },
		claim,
		line: guardedLine(run, ledger, call),
		lastLook: async () =>
			outsideCallingWindow(run, call) ?? (await listedNow(run.ctx, ledger, e164, call.itemIndex)),
	};
}

/**
 * One item, top-down: its parameters into a request, the checks against the account and the
 * calling window, the claim in the call ledger, a free line and the dial, the settled claim, the
 * output.
 */
async function placeOne(run: CallRun, item: INodeExecutionData, i: number): Promise<IDataObject> {
	const request = readCallRequest(run.ctx, item, i);
	const call = await prepareCall(run, request);
	const base = {
		...item.json,
		toNumber: call.candidate.phone.e164,
		idempotencyKey: call.candidate.key,
	};
	const closed = outsideCallingWindow(run, call);
	if (closed) return { ...base, ...closed };
	const ledger = await openItemLedger(run.ctx, call.ledger, i);
	return await withHeldClaims(releaseFailed(run.ctx, i), async (held) => {
		const history = async () => await historyCall(run, call);
		const cleared = await claimCandidate({ ...run, ledger, held }, { ...call, history }, i);
		if (cleared.kind === 'held') return { ...base, ...cleared.fields };
		const outcome = await dialWithRetry(dialTurn(run, call, ledger, cleared.claim));
		await settleClaim(run.ctx, cleared.claim, outcome, i);
		return { ...base, ...reportOutcome(run.ctx, call, outcome, i) };
	});
}

/**
 * Calls each item's candidate: pre-flight (nothing is dialled on a problem), the calling window,
 * then the claim in the call ledger (only the execution that wins it dials), then the dial with
 * its retries, then its outcome, which settles the claim. Under the concurrency guard items are
 * dialled side by side, up to the agent's lines, each on a line lease of its own.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const run = newCallRun(this, new ElevenLabsLookups(this));
	const width = sideBySide(this);
	return await mapItems(
		this,
		async (item, i, stoppedBefore) => {
			run.clock.stoppedBefore = stoppedBefore;
			try {
				return await placeOne(run, item, i);
			} finally {
				// The first item may end without a dial (held back, skipped, failed): the others go on.
				if (i === 0) run.clock.firstDialed?.();
			}
		},
		width,
	);
}
