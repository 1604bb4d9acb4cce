// One process holding an agent's lines, from the built package. Run by lineLeases.test.ts:
// "race" takes and releases lines from many loops at once and reports each holding's interval;
// "hold" takes every line, says so, and keeps them (renewing) until it is killed.
const { LineLeases } = require('../../dist/nodes/shared/ledger/lineLeases');
const { PostgresDatabase } = require('../../dist/nodes/shared/ledger/postgresDatabase');
const { SqliteDatabase, loadSqlite } = require('../../dist/nodes/shared/ledger/sqliteDatabase');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function database(store) {
	if (store.kind === 'embedded') return new SqliteDatabase(loadSqlite(), store.file);
	return await PostgresDatabase.connect(store.credential);
}

async function race(leases, { agent, limit, loops, rounds, startAt }) {
	await sleep(Math.max(0, startAt - Date.now()));
	const holdings = [];
	let overLimit = 0;
	await Promise.all(
		Array.from({ length: loops }, async () => {
			// Each loop holds a line `rounds` times, however often the other process beats it to one.
			const deadline = Date.now() + 30_000;
			for (let round = 0; round < rounds && Date.now() < deadline; ) {
				const result = await leases.withLine(agent, limit, `pid-${process.pid}`, async (lease) => {
					const from = Date.now();
					if ((await leases.held(agent)) > limit) overLimit++;
					await sleep(10 + Math.floor(Math.random() * 40));
					holdings.push({ line: lease.line, from, to: Date.now() });
				});
				if (result.taken) round++;
				else await sleep(2 + Math.floor(Math.random() * 5));
			}
		}),
	);
	return { holdings, overLimit };
}

async function main() {
	const arg = JSON.parse(process.argv[2]);
	const db = await database(arg.store);
	const leases = new LineLeases(db, { leaseMs: arg.leaseMs });
	if (arg.mode === 'race') {
		process.stdout.write(JSON.stringify(await race(leases, arg)));
		await db.end?.();
		process.exit(0);
	}
	// hold: every line, renewed by withLine until this process is killed.
	for (let i = 0; i < arg.limit; i++) {
		void leases.withLine(arg.agent, arg.limit, `pid-${process.pid}`, () => new Promise(() => {}));
	}
	while ((await leases.held(arg.agent)) < arg.limit) await sleep(20);
	process.stdout.write('holding\n');
	// Renewals do not keep a process alive by themselves; this one lives until it is killed.
	setInterval(() => undefined, 60_000);
}

main().catch((error) => {
	process.stderr.write(String(error?.stack ?? error));
	process.exit(1);
});
