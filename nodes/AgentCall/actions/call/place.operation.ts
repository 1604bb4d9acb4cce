import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { mapItems } from '../../../shared/n8n/items';
import { withAttempt } from '../../helpers/clientData';
import type { CallLedger } from '../../../shared/ledger/callLedger';
import { withHeldClaims } from '../../../shared/ledger/heldClaims';
import { ElevenLabsLookups } from '../common/lookups';
import { itemLedger } from '../../../shared/ledger/itemLedger';
import { attemptPolicy, claimCandidate, listedNow } from '../common/ledgerClaim';
import { historyCall, outsideCallingWindow } from './clearance';
import { dialWithRetry } from './dialWithRetry';
import type { GuardedLine } from './dialWithRetry';
import { newCallRun } from './callRun';
import type { CallRun } from './callRun';
import { releaseFailed, reportOutcome, settleClaim } from './outcome';
import { prepareCall } from './preflight';
import type { PreparedCall } from './preflight';
import { sideBySide } from './sideBySide';

export { description } from './place.description';

/** Under the concurrency guard, the agent's lines in the item's call ledger; none without it. */
function guardedLine(
	ctx: IExecuteFunctions,
	ledger: CallLedger,
	call: PreparedCall,
	i: number,
): GuardedLine | undefined {
	if (call.options.concurrencyGuard === false || !call.concurrencyLimit) return undefined;
	const holder = `execution ${String(ctx.getExecutionId?.() ?? '')} item ${i}`;
	return { leases: ledger.store.lines, limit: call.concurrencyLimit, holder };
}

/** One item: pre-flight, the calling window, the claim, the dial, its outcome. */
async function placeOne(run: CallRun, item: INodeExecutionData, i: number): Promise<IDataObject> {
	const { ctx, lookups } = run;
	const call = await prepareCall(ctx, lookups, item, i);
	const base = {
		...item.json,
		toNumber: call.candidate.phone.e164,
		idempotencyKey: call.candidate.key,
	};
	const closed = outsideCallingWindow(ctx, call, item, i);
	if (closed) return { ...base, ...closed };
	const policy = attemptPolicy(call.options);
	const ledger = await itemLedger(ctx, i);
	return await withHeldClaims(releaseFailed(ctx, i), async (held) => {
		const cleared = await claimCandidate(
			{ ctx, lookups, ledger, held },
			{
				agentId: call.agentId,
				candidate: call.candidate,
				policy,
				skipIfAlreadyCalled: ctx.getNodeParameter('skipIfAlreadyCalled', i, true) as boolean,
				history: async () => await historyCall(lookups, call, i),
			},
			i,
		);
		if (cleared.kind === 'held') return { ...base, ...cleared.fields };
		const lastLook = async () =>
			outsideCallingWindow(ctx, call, item, i) ??
			(await listedNow(ctx, ledger, call.candidate.phone.e164, i));
		const { attempt } = cleared.claim;
		const clientData = withAttempt(call.request.clientData, attempt);
		const attemptCall = { ...call, request: { ...call.request, clientData } };
		const line = guardedLine(ctx, ledger, call, i);
		const { claim } = cleared;
		const outcome = await dialWithRetry({ run, call: attemptCall, i, claim, lastLook, line });
		await settleClaim(ctx, cleared.claim, outcome, i);
		return { ...base, ...reportOutcome(ctx, call, outcome, i) };
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
