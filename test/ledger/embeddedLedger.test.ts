/**
 * The embedded ledger's file: a ledger this n8n had that is gone is refused until the user asks
 * for a new one (a note in n8n's storage folder remembers it), claims are written durably, one
 * connection's statements take turns with its transactions, and a wait for another connection's
 * write lock leaves n8n's event loop running.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';

import type { LedgerLocation } from '../../nodes/shared/ledger/openLedger';
import { freshEmbedded } from './ledgerSql';

const built =
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	require('../../dist/nodes/shared/ledger/openLedger') as typeof import('../../nodes/shared/ledger/openLedger');
const builtSqlite =
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	require('../../dist/nodes/shared/ledger/sqliteDatabase') as typeof import('../../nodes/shared/ledger/sqliteDatabase');

async function openLedger(location: LedgerLocation) {
	const opened = await built.openLedger(location, 180);
	if (!opened.ok) throw new Error(`${opened.message}: ${opened.hint}`);
	return opened.value;
}

const ledgerFile = (location: LedgerLocation) =>
	path.join(location.storagePath!, built.LEDGER_FILE);

test('a ledger file with history that vanished is refused, says how to get it back, and is started anew only when the user asks', async () => {
	const { location } = freshEmbedded();
	const ledger = await openLedger(location);
	await ledger.addDoNotCall('+4917620000001', '', 'opted out');
	// The file goes (a container without a volume, a cleaned-up folder), with its WAL files.
	for (const file of readdirSync(location.storagePath!))
		rmSync(path.join(location.storagePath!, file));

	expect(await built.openLedger(location, 180)).toEqual({
		ok: false,
		message: expect.stringMatching(
			/^The embedded call ledger .+ is gone, but this n8n has had one there since \d{4}-/,
		),
		hint: expect.stringContaining('Start a New Embedded Ledger'),
	});
	expect(existsSync(ledgerFile(location))).toBe(false);

	const started = await openLedger({ ...location, startNew: true });
	expect(await started.doNotCall('+4917620000001')).toBeUndefined();
	// From then on the new file is the one this n8n has.
	expect((await built.openLedger(location, 180)).ok).toBe(true);
});

test('claims are written with synchronous FULL: a claim that returned survives a power loss', async () => {
	const { location } = freshEmbedded();
	const db = new builtSqlite.SqliteDatabase(builtSqlite.loadSqlite()!, ledgerFile(location));
	expect(await db.query('PRAGMA synchronous')).toEqual([{ synchronous: 2 }]);
});

test('a statement sent while a transaction of the same process waits is not undone with it', async () => {
	const { location } = freshEmbedded();
	const db = new builtSqlite.SqliteDatabase(builtSqlite.loadSqlite()!, ledgerFile(location));
	await db.run('CREATE TABLE writes (what TEXT NOT NULL)');
	const failing = db.exclusive(async (tx) => {
		await tx.run("INSERT INTO writes VALUES ('in the transaction')");
		await new Promise((resolve) => setTimeout(resolve, 50));
		throw new Error('the transaction fails');
	});
	// Sent while the transaction waits on its timer: one connection, but not its transaction.
	await new Promise((resolve) => setTimeout(resolve, 10));
	const outside = db.run("INSERT INTO writes VALUES ('outside')");
	await expect(failing).rejects.toThrow('the transaction fails');
	expect(await outside).toBe(1);
	expect(await db.query('SELECT what FROM writes')).toEqual([{ what: 'outside' }]);
	// A commit that need not be durable leaves the connection durable for the next one.
	await db.transaction(async (tx) => await tx.run("INSERT INTO writes VALUES ('relaxed')"), {
		durable: false,
	});
	expect(await db.query('PRAGMA synchronous')).toEqual([{ synchronous: 2 }]);
	await db.close();
});

test('a write that meets another connection’s lock waits on timers: the event loop runs on, the lock is let go, the write lands', async () => {
	const { location } = freshEmbedded();
	const ledger = await openLedger(location);
	// Another connection of this process holds the write lock; a timer lets it go.
	const holder = new (builtSqlite.loadSqlite()!.DatabaseSync)(ledgerFile(location));
	holder.exec('PRAGMA busy_timeout = 0');
	holder.exec('BEGIN IMMEDIATE');
	holder.exec(
		"INSERT INTO voice_recruiting_ledger_meta (name, value) VALUES ('held', 'by another')",
	);
	const release = setTimeout(() => holder.exec('COMMIT'), 200);
	try {
		// A wait inside SQLite would stop this thread, and with it the timer that ends the lock.
		expect(await ledger.addDoNotCall('+4917620000002', '', 'opted out')).toMatchObject({
			added: true,
		});
	} finally {
		clearTimeout(release);
		holder.close();
	}
});
