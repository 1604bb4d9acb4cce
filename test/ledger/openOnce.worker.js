// Another n8n process: opens the ledger once for a node with the given retention (a process's
// first open purges), reports what the purge logged, and exits. Run by ledgerRetention.test.ts.
const { openLedger } = require('../../dist/nodes/shared/ledger/openLedger');

async function main() {
	const { location, retentionDays } = JSON.parse(process.argv[2]);
	const warnings = [];
	const opened = await openLedger(location, retentionDays, { warn: (m) => warnings.push(m) });
	if (!opened.ok) throw new Error(opened.message);
	process.stdout.write(JSON.stringify({ warnings }));
	process.exit(0);
}

main().catch((error) => {
	process.stderr.write(String(error?.stack ?? error));
	process.exit(1);
});
