/** Fakes only Date for an engine test: the node, the ledger and the sandbox's clock stand still, timers run. */
export function standingDate(start: Date): void {
	beforeAll(() => {
		jest.useFakeTimers({
			now: start,
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
	});
	afterAll(() => jest.useRealTimers());
}
