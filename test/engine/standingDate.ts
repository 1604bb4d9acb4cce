/** Fakes only Date for an engine test: the node, the ledger and the sandbox's clock stand still, timers run. */
export function fakeDateOnly(now: Date | number): void {
	jest.useFakeTimers({
		now,
		doNotFake: [
			'hrtime',
			'nextTick',
			'performance',
			'queueMicrotask',
			'setImmediate',
			'clearImmediate',
			'setInterval',
			'clearInterval',
			'setTimeout',
			'clearTimeout',
		],
	});
}

/** Date stands at `start` for the whole test file. */
export function standingDate(start: Date): void {
	beforeAll(() => fakeDateOnly(start));
	afterAll(() => jest.useRealTimers());
}
