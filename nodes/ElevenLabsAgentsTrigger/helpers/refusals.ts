/**
 * Requests the trigger refuses (unsigned, forged, stale, unreadable), counted instead of logged
 * one by one: anyone can post to the URL, and a line per request would flood n8n's log. The
 * first refusal of a minute is logged with what was wrong; the rest are counted and summed up
 * in the line of the next minute's first refusal.
 */
import type { IWebhookFunctions } from 'n8n-workflow';

const WINDOW_MS = 60_000;

interface Tally {
	since: number;
	/** Refusals after the logged one, by status. */
	counted: Record<number, number>;
}

/** Per trigger (workflow and node) in this process. */
const tallies = new Map<string, Tally>();

function summary(counted: Record<number, number>): string {
	const parts = Object.entries(counted).map(([status, count]) => `${count} × ${status}`);
	return parts.length ? ` (since the last line also refused: ${parts.join(', ')})` : '';
}

/** Counts a refusal; logs at most one line a minute per trigger. */
export function countRefusal(ctx: IWebhookFunctions, status: number, message: string): void {
	const node = ctx.getNode().name;
	const key = `${ctx.getWorkflow().id}\n${node}`;
	const now = Date.now();
	const tally = tallies.get(key);
	if (tally && now - tally.since < WINDOW_MS) {
		tally.counted[status] = (tally.counted[status] ?? 0) + 1;
		return;
	}
	tallies.set(key, { since: now, counted: {} });
	ctx.logger.warn(
		`ElevenLabs Agents Trigger answered ${status}: ${message}${summary(tally?.counted ?? {})}. Further refusals within a minute are counted, not logged.`,
		{ node },
	);
}
