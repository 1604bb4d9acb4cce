/** Opens the call ledger once per process, embedded SQLite or Postgres, and purges old claims */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { ProblemError, problem } from '../n8n/problems';
import type { Checked, Problem } from '../n8n/problems';
import { CallLedger } from './callLedger';
import { ledgerMark, markLedger } from './embeddedMarker';
import { LedgerKeyring, defaultN8nFolder } from './ledgerKey';
import { PostgresDatabase } from './postgresDatabase';
import type { PostgresCredential } from './postgresDatabase';
import { SqlLedgerStore } from './sqlLedgerStore';
import type { SqlDatabase } from './sqlDatabase';
import { SqliteDatabase, loadSqlite } from './sqliteDatabase';

export type LedgerKind = 'embedded' | 'postgres';

/** The package's credential for the ledger's Postgres database. */
export const POSTGRES_CREDENTIAL = 'callLedgerPostgresApi';

export const LEDGER_FILE = 'call-ledger.sqlite';

export interface LedgerLocation {
	kind: LedgerKind;
	/**
	 * The n8n folder's storage path for this node type (embedded). None: this process's memory,
	 * for contexts n8n gives no folder (a trigger's webhook).
	 */
	storagePath?: string;
	/** n8n's execution mode of this process: `queue` refuses the embedded ledger. */
	executionsMode?: string;
	postgres?: PostgresCredential;
	/**
	 * n8n's folder (`~/.n8n`): its `config` holds the encryption key the ledger's key is derived
	 * from, and the note that an embedded ledger exists. Default: where n8n keeps it.
	 */
	n8nFolder?: string;
	/** Start a new embedded ledger although the one this n8n had is gone (the user said so). */
	startNew?: boolean;
}

/** Where the purge reports a failure: it never fails an item. */
export interface LedgerLog {
	warn(message: string): void;
}

/** The embedded ledger at n8n's storage path (none: in memory), refused in n8n's queue mode. */
export function embeddedLedger(storagePath?: string): LedgerLocation {
	// n8n's own setting, read as n8n reads it: the embedded ledger is per process.
	return { kind: 'embedded', storagePath, executionsMode: process.env.EXECUTIONS_MODE };
}

/** One ledger per database and process: executions share its pool and statements. */
const open = new Map<string, Promise<CallLedger>>();
const lastPurge = new Map<string, number>();
const lastClockSync = new Map<string, number>();
const PURGE_EVERY_MS = 3_600_000;
const CLOCK_SYNC_EVERY_MS = 60_000;

/** Every setting that makes a different connection or key; secrets only as a hash. */
function cacheKey(location: LedgerLocation, n8nFolder: string): string {
	const settings =
		location.kind === 'embedded'
			? { storagePath: location.storagePath }
			: Object.fromEntries(Object.entries(location.postgres ?? {}).sort());
	const digest = createHash('sha256')
		.update(JSON.stringify({ kind: location.kind, n8nFolder, settings }))
		.digest('hex');
	return `${location.kind}:${digest}`;
}

async function openOn(db: SqlDatabase, keyring: LedgerKeyring): Promise<CallLedger> {
	const store = new SqlLedgerStore(db);
	let ledger: CallLedger | undefined;
	try {
		ledger = await CallLedger.open(store, keyring, 0);
		return ledger;
	} finally {
		if (!ledger) await store.close();
	}
}

function vanished(file: string, since: string): ProblemError {
	return new ProblemError(
		`The embedded call ledger ${file} is gone, but this n8n has had one there since ${since}`,
		'Its record of who was called and its do-not-call list went with it, so nobody is dialled. Restore the file (with its -wal file, if there is one) from a backup. To start a new, empty ledger on purpose, switch on "Start a New Embedded Ledger" for one run; numbers on the old do-not-call list must then be added again.',
	);
}

function replaced(file: string, since: string): ProblemError {
	return new ProblemError(
		`The embedded call ledger ${file} is not the one this n8n has had there since ${since}`,
		'The file was replaced by another ledger, which does not know whom the old one called or its do-not-call list, so nobody is dialled. Put the old file back. To keep the new one on purpose, switch on "Start a New Embedded Ledger" for one run.',
	);
}

/**
 * The embedded ledger: refused when the file this n8n had is gone or replaced (a note in n8n's
 * folder remembers it), unless the user asked for a new one; noted once it is open.
 */
async function openEmbedded(
	location: LedgerLocation,
	n8nFolder: string,
	keyring: LedgerKeyring,
): Promise<CallLedger> {
	// A webhook gets no storage path from n8n: its ledger lives in the process's memory.
	if (!location.storagePath)
		return await openOn(new SqliteDatabase(loadSqlite()!, ':memory:'), keyring);
	const file = join(location.storagePath, LEDGER_FILE);
	const mark = ledgerMark(n8nFolder, file);
	if (mark && !location.startNew && !existsSync(file)) throw vanished(file, mark.since);
	const ledger = await openOn(new SqliteDatabase(loadSqlite()!, file), keyring);
	if (mark?.fingerprint !== ledger.fingerprint) {
		if (mark && !location.startNew) {
			await ledger.store.close();
			throw replaced(file, mark.since);
		}
		markLedger(n8nFolder, file, {
			fingerprint: ledger.fingerprint,
			since: new Date(ledger.now()).toISOString(),
		});
	}
	return ledger;
}

/** Why the ledger at this location cannot be used, with what to change; undefined when it can. */
export function ledgerProblem(location: LedgerLocation): Problem | undefined {
	if (location.kind !== 'embedded') return undefined;
	if (location.executionsMode === 'queue') {
		return problem(
			'The embedded call ledger cannot be used in queue mode',
			'Each worker would keep its own record, so two workers could call the same person. Set "Call Ledger" to Postgres and choose a "Call Ledger Postgres" credential that every n8n process reaches (for example n8n\'s own database).',
		);
	}
	if (!loadSqlite()) {
		return problem(
			`The embedded call ledger needs Node.js 22.5 or later; this n8n runs on Node.js ${process.versions.node}`,
			'Update n8n (it runs on Node.js 24), or set "Call Ledger" to Postgres.',
		);
	}
	return undefined;
}

/** The cached ledger, unless its file vanished or its key changed under this process. */
async function stillValid(location: LedgerLocation, ledger: CallLedger): Promise<boolean> {
	if (
		location.kind === 'embedded' &&
		location.storagePath &&
		!existsSync(join(location.storagePath, LEDGER_FILE))
	)
		return false;
	return (await ledger.store.storedKey()) === ledger.wrappedKey;
}

async function cachedLedger(
	location: LedgerLocation,
	n8nFolder: string,
	key: string,
): Promise<CallLedger> {
	const found = open.get(key);
	if (found) {
		const ledger = await found;
		if (await stillValid(location, ledger)) return ledger;
		// Never go on with a key that no longer matches: open afresh (or be refused). The first
		// execution that finds out lets the old connection go.
		if (open.get(key) === found) {
			open.delete(key);
			await ledger.store.close();
		}
		return await cachedLedger(location, n8nFolder, key);
	}
	const opening = (async () => {
		const keyring = LedgerKeyring.find(location.postgres?.ledgerSecret, n8nFolder);
		return location.kind === 'postgres'
			? await openOn(await PostgresDatabase.connect(location.postgres ?? {}), keyring)
			: await openEmbedded(location, n8nFolder, keyring);
	})().catch((error: unknown) => {
		open.delete(key);
		throw error;
	});
	open.set(key, opening);
	return await opening;
}

/** Housekeeping that must never fail an item: a failed purge is logged and tried next hour. */
async function upkeep(key: string, ledger: CallLedger, log?: LedgerLog): Promise<void> {
	const now = Date.now();
	const synced = lastClockSync.get(key);
	// Opening measured the clock; later the offset is measured again now and then.
	if (synced === undefined || now - synced >= CLOCK_SYNC_EVERY_MS) {
		lastClockSync.set(key, now);
		if (synced !== undefined) await ledger.store.syncClock();
	}
	if (now - (lastPurge.get(key) ?? 0) < PURGE_EVERY_MS) return;
	lastPurge.set(key, now);
	await ledger.purge().catch((error: unknown) => {
		log?.warn(
			`Could not purge old claims from ${ledger.label}; trying again in an hour: ${error instanceof Error ? error.message : String(error)}`,
		);
	});
}

/**
 * The ledger at a location, opened once per process, for a node with this retention (none: a
 * node that keeps no claims of its own, such as the trigger's deliveries). Claims
 * older than their campaign's retention are removed at most once an hour. A location that
 * cannot work (queue mode, a key that is missing, changed or vanished) is a problem value; a
 * store that cannot be reached throws (and is tried afresh next time).
 */
export async function openLedger(
	location: LedgerLocation,
	retentionDays: number | undefined,
	log?: LedgerLog,
): Promise<Checked<CallLedger>> {
	const unusable = ledgerProblem(location);
	if (unusable) return { ok: false, ...unusable };
	const n8nFolder = location.n8nFolder ?? defaultN8nFolder();
	const key = cacheKey(location, n8nFolder);
	const opened = await cachedLedger(location, n8nFolder, key).then(
		(ledger) => ({
			ok: true as const,
			value: retentionDays === undefined ? ledger : ledger.withRetention(retentionDays),
		}),
		(error: unknown) => {
			if (error instanceof ProblemError) return problem(error.message, error.hint);
			throw error;
		},
	);
	if (!opened.ok) return opened;
	const ledger = opened.value;
	await upkeep(key, ledger, log);
	return opened;
}
