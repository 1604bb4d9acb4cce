import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { checkCallingWindow } from '../../helpers/callingWindow';
import type { ElevenLabsLookups } from '../lookups';
import type { CampaignSettings } from './campaignSettings';
import { earlierRecipients } from './earlierRecipients';
import type { Recipient } from './recipients';

const DEFAULT_LOOK_BACK_DAYS = 90;

/** Who of the list is dialled, and who is left out and why (not errors). */
export interface Clearance {
	toDial: Recipient[];
	/** In an earlier campaign of the agent, or twice in this list. */
	alreadyCalled: IDataObject[];
	/** Outside their own calling window when the campaign starts. */
	outsideWindow: IDataObject[];
}

/**
 * Decides, recipient by recipient, who may be dialled by this campaign: inside their own
 * calling window at the campaign's start, and called once: not twice in this list, not again
 * after an earlier campaign of the agent.
 */
export async function clearRecipients(
	ctx: IExecuteFunctions,
	lookups: ElevenLabsLookups,
	settings: CampaignSettings,
	recipients: Recipient[],
	startAt: Date,
): Promise<Clearance> {
	const lookBackDays = settings.options.lookBackDays ?? DEFAULT_LOOK_BACK_DAYS;
	const since = Math.floor(Date.now() / 1000) - lookBackDays * 86400;
	const earlier = ctx.getNodeParameter('skipIfAlreadyCalled', 0, true)
		? await earlierRecipients(ctx, lookups, settings.agentId, since)
		: new Map<string, string>();
	const clearance: Clearance = { toDial: [], alreadyCalled: [], outsideWindow: [] };
	const seen = new Set<string>();
	for (const recipient of recipients) {
		const { itemIndex, candidate } = recipient;
		const who = { itemIndex, toNumber: candidate.phone.e164, idempotencyKey: candidate.key };
		const window = recipient.window
			? checkCallingWindow(recipient.window, startAt)
			: { open: true as const };
		const previous = earlier.get(candidate.key);
		if (!window.open) {
			clearance.outsideWindow.push({
				...who,
				reason: window.reason,
				nextWindowStart: window.nextWindowStart || null,
			});
		} else if (previous || seen.has(candidate.key)) {
			clearance.alreadyCalled.push({ ...who, campaignId: previous ?? null });
		} else {
			seen.add(candidate.key);
			clearance.toDial.push(recipient);
		}
	}
	return clearance;
}
