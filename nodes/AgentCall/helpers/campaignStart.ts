/** When a campaign starts: as scheduled, now, or when a recipient's window first opens */
import { checkCallingWindow } from './callingWindow';
import type { CallingWindow } from './callingWindow';
import { problem } from '../../shared/n8n/problems';
import type { Checked } from '../../shared/n8n/problems';

export interface CampaignStart {
	at: Date;
	/** Why the start was moved to the next allowed moment (nobody could be called before). */
	movedBecause?: string;
}

type Closed = { open: false; reason: string; nextWindowStart: string };

/**
 * When a campaign starts: the scheduled time, else now. A start at which no recipient's window
 * is open moves to the first moment one opens, unless the time was scheduled: then it is an
 * error, since the user chose it.
 */
export function campaignStart(
	windows: CallingWindow[],
	scheduled: Date | undefined,
	now: Date,
): Checked<CampaignStart> {
	const at = scheduled ?? now;
	const checks = windows.map((window) => checkCallingWindow(window, at));
	if (!checks.length || checks.some((check) => check.open)) return { ok: true, value: { at } };
	const closed = checks as Closed[];
	const [first] = closed
		.filter((check) => check.nextWindowStart)
		.sort((a, b) => Date.parse(a.nextWindowStart) - Date.parse(b.nextWindowStart));
	if (scheduled || !first) {
		return problem(
			`The campaign would start outside the calling window: ${closed[0].reason}`,
			first
				? `Schedule it for ${first.nextWindowStart} or later, or leave "Scheduled Time" empty to start at the next allowed moment.`
				: 'The window never opens: check the calling days and hours.',
		);
	}
	return { ok: true, value: { at: new Date(first.nextWindowStart), movedBecause: first.reason } };
}
