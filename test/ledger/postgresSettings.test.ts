/**
 * The Postgres ledger's connection: a pool sized for the worker's concurrency, statements that end
 * with an error instead of hanging on a stuck lock, a statement retried after its connection was
 * killed (the ledger answers; nothing is dialled twice), and times on the database's clock, so
 * that a worker whose clock is off neither shortens a pause nor calls a live claim stale.
 */
import { Client } from 'pg';

import type { LedgerLocation } from '../../nodes/shared/ledger/openLedger';
import { freshPostgres } from './ledgerSql';
import type { LedgerSql } from './ledgerSql';

const built =
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	require('../../dist/nodes/shared/ledger/openLedger') as typeof import('../../nodes/shared/ledger/openLedger');
const builtPostgres =
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	require('../../dist/nodes/shared/ledger/postgresDatabase') as typeof import('../../nodes/shared/ledger/postgresDatabase');

async function openLedger(location: LedgerLocation) {
	const opened = await built.openLedger(location, 180);
	if (!opened.ok) throw new Error(`${opened.message}: ${opened.hint}`);
	return opened.value;
}

const HOUR_MS = 3_600_000;
const request = (
	e164: string,
	executionId: string,
	reach: 'unknown' | 'not_reached' = 'unknown',
) => ({
	scope: 'agent_x\nsettings',
	callKey: `key-${e164}`,
	e164,
	maskedNumber: '•••',
	executionId,
	policy: { maxAttempts: 3, hoursBetweenAttempts: 4 },
	reachOf: async () => ({ reach }),
	waitForOthersMs: 0,
});

let db: LedgerSql;
let other: Client;
beforeEach(async () => {
	db = await freshPostgres('settings');
	other = new Client({ ...db.location.postgres, ssl: undefined });
	await other.connect();
});
afterEach(async () => {
	await other.end();
	await db.close();
});

/** The ledger's statements that wait for a lock held by another connection. */
async function waitingLedgerBackends(): Promise<number[]> {
	// Inside a transaction the statistics are a snapshot: read them afresh.
	await other.query('SELECT pg_stat_clear_snapshot()');
	const { rows } = await other.query<{ pid: number }>(
		`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
			AND wait_event_type = 'Lock' AND query LIKE '%voice_recruiting_call_attempts%'`,
	);
	return rows.map((row) => row.pid);
}

async function until<T>(read: () => Promise<T[]>): Promise<T[]> {
	for (;;) {
		const found = await read();
		if (found.length > 0) return found;
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

test('the pool has a connection for each execution the worker runs at once (its concurrency), and one more', () => {
	const before = process.env.N8N_CONCURRENCY_PRODUCTION_LIMIT;
	process.env.N8N_CONCURRENCY_PRODUCTION_LIMIT = '30';
	try {
		expect(builtPostgres.postgresPoolConfig(db.location.postgres!)).toMatchObject({
			max: 31,
			keepAlive: true,
		});
	} finally {
		if (before === undefined) delete process.env.N8N_CONCURRENCY_PRODUCTION_LIMIT;
		else process.env.N8N_CONCURRENCY_PRODUCTION_LIMIT = before;
	}
	expect(builtPostgres.n8nConcurrency(['node', 'n8n', 'worker', '--concurrency=25'], {})).toBe(25);
	expect(builtPostgres.n8nConcurrency(['node', 'n8n', 'worker', '--concurrency', '7'], {})).toBe(7);
	expect(builtPostgres.n8nConcurrency(['node', 'n8n', 'start'], {})).toBe(10);
});

test('a claim stuck behind a lock ends with a timeout error instead of hanging the execution', async () => {
	const ledger = await openLedger(db.location);
	await other.query('BEGIN');
	await other.query('LOCK TABLE voice_recruiting_call_attempts IN ACCESS EXCLUSIVE MODE');
	try {
		await expect(ledger.claim(request('+4917630000001', 'exec-1'))).rejects.toThrow(
			/timeout|canceling statement/i,
		);
	} finally {
		await other.query('ROLLBACK');
	}
}, 60_000);

test('a connection killed under a claim (a restart, a failover): the statement is sent again and the claim is won once', async () => {
	const ledger = await openLedger(db.location);
	await other.query('BEGIN');
	await other.query('LOCK TABLE voice_recruiting_call_attempts IN ACCESS EXCLUSIVE MODE');
	const claiming = ledger.claim(request('+4917630000002', 'exec-1'));
	const [pid] = await until(waitingLedgerBackends);
	await other.query('SELECT pg_terminate_backend($1)', [pid]);

	// The claim's statement waits again, on a new connection.
	await until(async () => (await waitingLedgerBackends()).filter((p) => p !== pid));
	await other.query('COMMIT');
	const claimed = await claiming;
	expect(claimed.kind).toBe('claimed');
	expect(await ledger.claim(request('+4917630000002', 'exec-2'))).toMatchObject({
		kind: 'skipped',
		status: 'already_called',
	});
});

test('times that decide come from the database’s clock: a worker whose clock runs 5 hours ahead still sees the pause', async () => {
	const ledger = await openLedger(db.location);
	const first = await ledger.claim(request('+4917630000003', 'exec-1', 'not_reached'));
	if (first.kind !== 'claimed') throw new Error(first.kind);
	await first.claim.initiated({ conversationId: 'conv_clock' });

	const realNow = Date.now.bind(Date);
	const ahead = jest.spyOn(Date, 'now').mockImplementation(() => realNow() + 5 * HOUR_MS);
	try {
		const skewed = await openLedger(db.location);
		expect(await skewed.claim(request('+4917630000003', 'exec-2', 'not_reached'))).toMatchObject({
			kind: 'skipped',
			status: 'too_soon',
		});
	} finally {
		ahead.mockRestore();
	}
});
