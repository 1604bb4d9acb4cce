/** How long to wait before the next dial so that at most `perMinute` calls start per minute. */
export function rateDelayMs(
	lastDialAt: number | undefined,
	now: number,
	perMinute: number,
): number {
	if (!perMinute || perMinute <= 0 || lastDialAt === undefined) return 0;
	return Math.max(0, lastDialAt + 60_000 / perMinute - now);
}

/**
 * Takes the next dial's turn on the execution's pacing clock: how long to wait before dialling.
 * The turn is taken at once, before the wait, so items dialled side by side keep the spacing.
 */
export function reserveDialSlot(
	clock: { lastDialAt?: number },
	now: number,
	perMinute: number,
): number {
	const delay = rateDelayMs(clock.lastDialAt, now, perMinute);
	clock.lastDialAt = now + delay;
	return delay;
}

export const MAX_BACKOFF_MS = 60_000;

/**
 * Wait before retrying a dial that was rejected with 429 (nothing was dialled): the vendor's
 * Retry-After when given, else 1 s, 2 s, 4 s … with a little jitter so that workers spread out.
 */
export function backoffMs(
	attempt: number,
	retryAfterSeconds: number | undefined,
	random: () => number = Math.random,
): number {
	if (retryAfterSeconds !== undefined && Number.isFinite(retryAfterSeconds)) {
		return Math.min(MAX_BACKOFF_MS, Math.max(0, retryAfterSeconds * 1000));
	}
	const base = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** attempt);
	return Math.round(base * (0.9 + 0.2 * random()));
}

/**
 * Resolves after `ms` (sooner when `wakeEarly` calls the function it is given; it returns how to
 * stop listening), or rejects at once when the execution is cancelled.
 */
export function pause(
	ms: number,
	signal?: AbortSignal,
	wakeEarly?: (wake: () => void) => () => void,
): Promise<void> {
	// A loop whose pauses are all spent (back-to-back looks) still ends at n8n's Stop.
	if (signal?.aborted) return Promise.reject(new Error('The execution was cancelled'));
	if (ms <= 0) return Promise.resolve();
	return new Promise((resolve, reject) => {
		const done = () => {
			clearTimeout(timer);
			stopListening();
			signal?.removeEventListener('abort', onAbort);
		};
		const onAbort = () => {
			done();
			reject(new Error('The execution was cancelled'));
		};
		const timer = setTimeout(() => {
			done();
			resolve();
		}, ms);
		const stopListening =
			wakeEarly?.(() => {
				done();
				resolve();
			}) ?? (() => undefined);
		signal?.addEventListener('abort', onAbort, { once: true });
	});
}
