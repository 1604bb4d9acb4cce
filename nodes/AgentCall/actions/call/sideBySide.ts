import type { IExecuteFunctions } from 'n8n-workflow';

import { agentConcurrencyLimit } from '../../helpers/agentChecks';
import { readAgentId } from '../chosenIds';
import type { ElevenLabsLookups } from '../lookups';
import type { PlaceOptions } from './preflight';

/**
 * How many items of one execution are dialled side by side: the lines of the agent under the
 * concurrency guard (each dial still waits for a line of its own), one at a time without it, as
 * nothing then keeps the dials within the agent's limit. Read from the first item: a problem
 * there is that item's own error, and then the items go one at a time.
 */
export async function sideBySide(
	ctx: IExecuteFunctions,
	lookups: ElevenLabsLookups,
): Promise<number> {
	try {
		const options = ctx.getNodeParameter('options', 0, {}) as PlaceOptions;
		if (options.concurrencyGuard === false) return 1;
		if (options.maxConcurrentCalls && options.maxConcurrentCalls > 0)
			return options.maxConcurrentCalls;
		const agent = await lookups.agent(readAgentId(ctx, 0), 0);
		return agentConcurrencyLimit(agent) ?? 1;
	} catch {
		return 1;
	}
}
