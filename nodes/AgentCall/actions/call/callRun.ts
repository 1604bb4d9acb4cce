/** What the items of one execution of Place Agent Call share: the n8n context, the lookups, the pacing clock. */
import type { IExecuteFunctions } from 'n8n-workflow';

import type { ElevenLabsLookups } from '../common/lookups';

/** What the items of one execution share about dialling, side by side or one after another. */
export interface PacingClock {
	/** When the execution dialled last: the pacing clock. */
	lastDialAt?: number;
	/** Settled once the first item's dial is answered, or the item ended without one. */
	firstDial?: Promise<void>;
	/** Settles `firstDial`. */
	firstDialed?: () => void;
	/** The item whose dial failed, the node stopping there (no continue-on-fail): no later item dials. */
	haltedAt?: number;
	/** Whether the node stops at a failure of an item before this one (no continue-on-fail). */
	stoppedBefore?: (itemIndex: number) => boolean;
}

/**
 * One execution of Place: the n8n context (for the vendors' clients, the ledger, the log and
 * the item's errors), what it reads from ElevenLabs once, and the clock its dials keep to.
 */
export interface CallRun {
	ctx: IExecuteFunctions;
	lookups: ElevenLabsLookups;
	clock: PacingClock;
}

/** A new run: nothing read yet; the first dial still to come. */
export function newCallRun(ctx: IExecuteFunctions, lookups: ElevenLabsLookups): CallRun {
	const clock: PacingClock = {};
	clock.firstDial = new Promise((settle) => (clock.firstDialed = settle));
	return { ctx, lookups, clock };
}
