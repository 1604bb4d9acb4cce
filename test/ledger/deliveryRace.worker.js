// One process of a delivery race: opens the ledger from the built package, waits for the common
// start time, records every delivery at once, and prints which it was the first to record. Run
// by deliveryRace.test.ts, several at a time, as queue mode's webhook processors would.
const { openLedger } = require('../../dist/nodes/shared/ledger/openLedger');

async function main() {
	const { location, startAt, receiver, deliveries, signedAt } = JSON.parse(process.argv[2]);
	const opened = await openLedger(location, undefined);
	if (!opened.ok) throw new Error(opened.message);
	await new Promise((resolve) => setTimeout(resolve, Math.max(0, startAt - Date.now())));
	const won = await Promise.all(
		deliveries.map((delivery) => opened.value.firstDelivery(receiver, delivery, signedAt)),
	);
	process.stdout.write(JSON.stringify(deliveries.filter((_, i) => won[i])));
	process.exit(0);
}

main().catch((error) => {
	process.stderr.write(String(error?.stack ?? error));
	process.exit(1);
});
