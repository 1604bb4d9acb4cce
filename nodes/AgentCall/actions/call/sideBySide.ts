/** Call → Place: how many items of one execution are dialled side by side */
import type { IExecuteFunctions } from 'n8n-workflow';

import type { PlaceOptions } from './callRequest';

/**
 * Items side by side when the option names no limit: each dial still waits for a line of its
 * own, so this only bounds how many items look at the live count at once (and nothing is asked
 * of ElevenLabs before the first item's own checks).
 */
const DEFAULT_SIDE_BY_SIDE = 10;

/**
 * How many items of one execution are dialled side by side: under the concurrency guard up to
 * Max Concurrent Calls (each dial still waits for a line of its own), one at a time without it,
 * as nothing then keeps the dials within the agent's limit. Read from the first item.
 */
export function sideBySide(ctx: IExecuteFunctions): number {
	const options = ctx.getNodeParameter('options', 0, {}) as PlaceOptions;
	if (options.concurrencyGuard === false) return 1;
	const limit = Math.floor(Number(options.maxConcurrentCalls) || 0);
	return limit > 0 ? limit : DEFAULT_SIDE_BY_SIDE;
}
