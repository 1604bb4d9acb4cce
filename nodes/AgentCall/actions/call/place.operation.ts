import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { mapItems } from '../../../shared/items';
import { withAttempt } from '../../helpers/clientData';
import { withHeldClaims } from '../../../shared/ledger/heldClaims';
import { ElevenLabsLookups } from '../lookups';
import { itemLedger } from '../../../shared/ledger/itemLedger';
import { attemptPolicy, claimCandidate, listedNow } from '../ledgerClaim';
import { historyCall, outsideCallingWindow } from './clearance';
import { dialWithRetry } from './dialWithRetry';
import type { PacingClock } from './dialWithRetry';
import { releaseFailed, reportOutcome, settleClaim } from './outcome';
import { prepareCall } from './preflight';

export { description } from './place.description';

/**
 * Calls each item's candidate: pre-flight (nothing is dialled on a problem), the calling window,
 * then the claim in the call ledger (only the execution that wins it dials), then the dial with
 * its retries, then its outcome, which settles the claim.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const lookups = new ElevenLabsLookups(this);
	const clock: PacingClock = {};
	return await mapItems(this, async (item, i) => {
		const call = await prepareCall(this, lookups, item, i);
		const base = {
			...item.json,
			toNumber: call.candidate.phone.e164,
			idempotencyKey: call.candidate.key,
		};
		const closed = outsideCallingWindow(this, call, item, i);
		if (closed) return { ...base, ...closed };
		const policy = attemptPolicy(call.options);
		const ledger = await itemLedger(this, i);
		return await withHeldClaims(releaseFailed(this, i), async (held) => {
			const cleared = await claimCandidate(
				this,
				lookups,
				ledger,
				{
					agentId: call.agentId,
					candidate: call.candidate,
					policy,
					skipIfAlreadyCalled: this.getNodeParameter('skipIfAlreadyCalled', i, true) as boolean,
					held,
					history: async () => await historyCall(lookups, call, i),
				},
				i,
			);
			if (cleared.kind === 'held') return { ...base, ...cleared.fields };
			const lastLook = async () =>
				outsideCallingWindow(this, call, item, i) ??
				(await listedNow(this, ledger, call.candidate.phone.e164, i));
			const { attempt } = cleared.claim;
			const clientData = withAttempt(call.request.clientData, attempt);
			const attemptCall = { ...call, request: { ...call.request, clientData } };
			const outcome = await dialWithRetry(
				this,
				lookups,
				clock,
				attemptCall,
				i,
				cleared.claim,
				lastLook,
			);
			await settleClaim(this, cleared.claim, outcome, i);
			return { ...base, ...reportOutcome(this, call, outcome, i) };
		});
	});
}
