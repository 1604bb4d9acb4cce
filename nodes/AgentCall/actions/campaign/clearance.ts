/** Campaign: who of the list is dialled, who is left out by window, ledger or earlier runs */
import type { IDataObject } from 'n8n-workflow';

import type { Claim } from '../../../shared/ledger/callLedger';
import type { AttemptPolicy } from '../../../shared/ledger/decideAttempt';
import { checkCallingWindow } from '../../helpers/callingWindow';
import { claimCandidate } from '../common/ledgerClaim';
import type { ClaimRun } from '../common/ledgerClaim';
import type { CampaignSettings } from './campaignSettings';
import { earlierRecipients } from './earlierRecipients';
import type { Recipient } from './recipients';

const DEFAULT_LOOK_BACK_DAYS = 90;

/** A recipient the call ledger let through, with the claim the submit's outcome settles. */
export interface ClaimedRecipient extends Recipient {
	claim: Claim;
}

/** Who of the list is dialled, and who is left out and why (not errors). */
export interface Clearance {
	toDial: ClaimedRecipient[];
	/** Called (or being called) already: in the ledger, in an earlier campaign, or twice in this list. */
	alreadyCalled: IDataObject[];
	/** Held back by the ledger: on the do-not-call list, attempts used up, or the pause not over. */
	heldBack: IDataObject[];
	/** Outside their own calling window when the campaign starts. */
	outsideWindow: IDataObject[];
}

/** What one submit (or retry) of a campaign claims under: its run, the batch, the attempt budget. */
export interface CampaignClaims extends ClaimRun {
	settings: CampaignSettings;
	policy: AttemptPolicy;
	/** Skip If Already Called (the first item's). */
	skipIfAlreadyCalled: boolean;
}

/**
 * Decides, recipient by recipient, who may be dialled by this campaign: inside their own
 * calling window at the campaign's start, once in this list, and claimed in the call ledger
 * (which also holds the do-not-call list and the attempt budget). Earlier campaigns of the agent
 * that the ledger does not know are the second line of defence.
 */
export async function clearRecipients(
	claims: CampaignClaims,
	recipients: Recipient[],
	startAt: Date,
): Promise<Clearance> {
	const { ctx, lookups, settings, policy, skipIfAlreadyCalled } = claims;
	let earlier: Promise<Map<string, string>> | undefined;
	const earlierCampaigns = async () => {
		const lookBackDays = settings.options.lookBackDays ?? DEFAULT_LOOK_BACK_DAYS;
		const since = Math.floor(Date.now() / 1000) - lookBackDays * 86400;
		earlier ??= earlierRecipients(ctx, lookups, settings.agentId, since);
		return await earlier;
	};
	const clearance: Clearance = { toDial: [], alreadyCalled: [], heldBack: [], outsideWindow: [] };
	const seen = new Set<string>();
	for (const recipient of recipients) {
		const { itemIndex, candidate } = recipient;
		const who = { itemIndex, toNumber: candidate.phone.e164, idempotencyKey: candidate.key };
		const window = recipient.window
			? checkCallingWindow(recipient.window, startAt)
			: { open: true as const };
		if (!window.open) {
			clearance.outsideWindow.push({
				...who,
				reason: window.reason,
				nextWindowStart: window.nextWindowStart || null,
			});
			continue;
		}
		// One person once per list, whatever key each row carries.
		if (seen.has(candidate.phone.e164) || seen.has(candidate.key)) {
			clearance.alreadyCalled.push({ ...who, campaignId: null });
			continue;
		}
		seen.add(candidate.phone.e164).add(candidate.key);
		const cleared = await claimCandidate(
			claims,
			{
				agentId: settings.agentId,
				candidate,
				scope: recipient.scope,
				policy,
				skipIfAlreadyCalled,
				history: async () => {
					const campaignId = (await earlierCampaigns()).get(candidate.key);
					return campaignId ? { campaignId, startedAt: Date.now() } : undefined;
				},
			},
			itemIndex,
		);
		if (cleared.kind === 'dial') clearance.toDial.push({ ...recipient, claim: cleared.claim });
		else if (cleared.fields.status === 'already_called')
			clearance.alreadyCalled.push({ ...who, ...cleared.fields });
		else clearance.heldBack.push({ ...who, ...cleared.fields });
	}
	return clearance;
}
