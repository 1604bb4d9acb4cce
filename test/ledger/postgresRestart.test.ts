/**
 * The Postgres ledger across a restart of its server (a PostgreSQL server of its own, so that the
 * shared one stays up): while the server is down a claim fails, so nobody is dialled; once it is
 * back the same opened ledger claims on new connections, and a claim made before is still held.
 */
import { processN8nFolder } from './n8nFolder';
import type { LedgerLocation } from '../../nodes/shared/ledger/openLedger';
import { startThrowawayPostgres } from '../../scripts/services/throwawayPostgres';
import type { ThrowawayPostgres } from '../../scripts/services/throwawayPostgres';

const built =
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	require('../../dist/nodes/shared/ledger/openLedger') as typeof import('../../nodes/shared/ledger/openLedger');

const builtPostgres =
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	require('../../dist/nodes/shared/ledger/postgresDatabase') as typeof import('../../nodes/shared/ledger/postgresDatabase');

const request = (e164: string, executionId: string) => ({
	scope: 'agent_x\nrestart',
	callKey: `key-${e164}`,
	e164,
	executionId,
	policy: { maxAttempts: 3, hoursBetweenAttempts: 4 },
	reachOf: async () => ({ reach: 'unknown' as const }),
	waitForOthersMs: 0,
});

let server: ThrowawayPostgres;
const credential = () => ({
	host: server.host,
	port: server.port,
	database: server.database,
	user: server.user,
	ssl: 'disable',
});
beforeAll(async () => {
	server = await startThrowawayPostgres('ledger restart');
}, 120_000);
afterAll(async () => await server?.dispose());

test('a restarted server: claims fail while it is down, and the pool claims on new connections after', async () => {
	const location: LedgerLocation = {
		kind: 'postgres',
		postgres: credential(),
		n8nFolder: processN8nFolder(),
	};
	const opened = await built.openLedger(location, 180);
	if (!opened.ok) throw new Error(`${opened.message}: ${opened.hint}`);
	const ledger = opened.value;
	const before = await ledger.claim(request('+4917640000001', 'exec-1'));
	expect(before.kind).toBe('claimed');

	await server.stop();
	// The connections the pool held are gone; new ones are refused until the retries give up.
	await expect(ledger.claim(request('+4917640000002', 'exec-1'))).rejects.toThrow();
	await server.start();

	expect((await ledger.claim(request('+4917640000002', 'exec-1'))).kind).toBe('claimed');
	// The claim made before the restart still holds: another execution waits, then skips.
	expect(await ledger.claim(request('+4917640000001', 'exec-2'))).toMatchObject({
		kind: 'skipped',
		status: 'already_called',
	});
	await ledger.store.close();
}, 120_000);

test('a server stopped in the middle of a transaction (a line lease): the transaction fails, the process goes on', async () => {
	const uncaught: unknown[] = [];
	const record = (error: unknown) => uncaught.push(error);
	process.on('uncaughtException', record);
	const db = await builtPostgres.PostgresDatabase.connect(credential());
	try {
		let tries = 0;
		const outcome = await db
			.exclusive(async (tx) => {
				await tx.query('SELECT 1');
				// Between two statements the connection is held by the transaction, not by a query.
				if (++tries === 1) await server.stop();
				return await tx.query('SELECT 2');
			})
			.then(
				() => 'committed',
				() => 'failed',
			);
		expect(outcome).toBe('failed');
		// The server's goodbye to a connection that no query was waiting on is not a crash of n8n.
		expect(uncaught).toEqual([]);
		await server.start();
		expect(await db.query('SELECT 3 AS n')).toEqual([{ n: 3 }]);
	} finally {
		process.off('uncaughtException', record);
		await db.close();
	}
}, 120_000);
