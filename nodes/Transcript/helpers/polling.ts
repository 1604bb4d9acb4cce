/** Waiting for a conversation to finish: poll, then back off, never past the deadline. */
export const BACKOFF_FACTOR = 1.5;
export const MAX_POLL_INTERVAL_MS = 30_000;

/** The pause before the next poll: the previous one × 1.5, capped at 30 s and at the time left. */
export function nextPollDelayMs(
	previousMs: number | undefined,
	initialMs: number,
	remainingMs: number,
): number {
	const planned =
		previousMs === undefined
			? initialMs
			: Math.min(previousMs * BACKOFF_FACTOR, MAX_POLL_INTERVAL_MS);
	return Math.max(0, Math.min(Math.max(planned, initialMs), remainingMs));
}
