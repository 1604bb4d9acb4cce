// One process of a claim race: opens the ledger from the built package, waits for the common
// start time, claims every candidate at once, settles its wins after a pause, and prints what
// each claim gave. Run by ledgerStore.test.ts, several at a time.
const { openLedger } = require('../../dist/nodes/shared/ledger/openLedger');

async function main() {
	const { location, startAt, numbers, settleAfterMs, scope } = JSON.parse(process.argv[2]);
	const opened = await openLedger(location, 180);
	if (!opened.ok) throw new Error(opened.message);
	const ledger = opened.value;
	await new Promise((resolve) => setTimeout(resolve, Math.max(0, startAt - Date.now())));
	const results = await Promise.all(
		numbers.map(async (e164) => {
			const result = await ledger.claim({
				scope,
				callKey: `key-${e164}`,
				e164,
				maskedNumber: e164.slice(0, 6),
				executionId: `exec-${process.pid}`,
				policy: { maxAttempts: 3, hoursBetweenAttempts: 4 },
				reachOf: async () => ({ reach: 'unknown' }),
				waitForOthersMs: 20_000,
			});
			if (result.kind !== 'claimed') return { e164, kind: result.kind, status: result.status, conversationId: result.last?.conversationId };
			await new Promise((resolve) => setTimeout(resolve, settleAfterMs));
			const conversationId = `conv-${process.pid}-${e164}`;
			await result.claim.initiated({ conversationId });
			return { e164, kind: 'claimed', conversationId };
		}),
	);
	process.stdout.write(JSON.stringify(results));
	process.exit(0);
}

main().catch((error) => {
	process.stderr.write(String(error?.stack ?? error));
	process.exit(1);
});
