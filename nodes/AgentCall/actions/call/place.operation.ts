import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { mapItems } from '../../../shared/items';
import { ElevenLabsLookups } from '../lookups';
import { holdBack } from './clearance';
import { dialWithRetry } from './dialWithRetry';
import type { PacingClock } from './dialWithRetry';
import { reportOutcome } from './outcome';
import { prepareCall } from './preflight';

export { description } from './place.description';

/**
 * Calls each item's candidate: pre-flight (nothing is dialled on a problem), then whether the
 * candidate may be dialled now, then the dial with its retries, then its outcome.
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
		const held = await holdBack(this, lookups, call, item, i);
		if (held) return { ...base, ...held };
		const outcome = await dialWithRetry(this, lookups, clock, call, i);
		return { ...base, ...reportOutcome(this, call, outcome, i) };
	});
}
