import { createHash } from 'node:crypto';
import { join } from 'node:path';

import { problem } from '../problems';
import type { Checked, Problem } from '../problems';
import { CallLedger } from './callLedger';
import { PostgresDatabase } from './postgresDatabase';
import type { PostgresCredential } from './postgresDatabase';
import { SqlLedgerStore } from './sqlLedgerStore';
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
}

/** The embedded ledger at n8n's storage path (none: in memory), refused in n8n's queue mode. */
export function embeddedLedger(storagePath?: string): LedgerLocation {
	// n8n's own setting, read as n8n reads it: the embedded ledger is per process.
	return { kind: 'embedded', storagePath, executionsMode: process.env.EXECUTIONS_MODE };
}

/** One ledger per database and process: executions share its pool and statements. */
const open = new Map<string, Promise<CallLedger>>();
const lastPurge = new Map<string, number>();
const PURGE_EVERY_MS = 3_600_000;

function cacheKey(location: LedgerLocation): string {
	if (location.kind === 'embedded') return `embedded:${location.storagePath}`;
	const c = location.postgres ?? {};
	const secret = createHash('sha256')
		.update(String(c.password ?? ''))
		.digest('hex');
	return `postgres:${c.user}@${c.host}:${c.port}/${c.database}?ssl=${c.ssl}&${secret}`;
}

async function openPostgres(credential: PostgresCredential): Promise<CallLedger> {
	const db = await PostgresDatabase.connect(credential);
	let ledger: CallLedger | undefined;
	try {
		ledger = await CallLedger.open(new SqlLedgerStore(db));
		return ledger;
	} finally {
		if (!ledger) await db.end();
	}
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

/**
 * The ledger at a location, opened once per process. Claims older than the retention period
 * are removed at most once an hour (no retention: this caller keeps no claims and purges none). A location that cannot work is a problem value; a store
 * that cannot be reached throws (and is tried afresh next time).
 */
export async function openLedger(
	location: LedgerLocation,
	retentionDays: number | undefined,
): Promise<Checked<CallLedger>> {
	const unusable = ledgerProblem(location);
	if (unusable) return { ok: false, ...unusable };
	const key = cacheKey(location);
	let found = open.get(key);
	if (!found) {
		found = (
			location.kind === 'postgres'
				? openPostgres(location.postgres ?? {})
				: CallLedger.open(
						new SqlLedgerStore(
							new SqliteDatabase(
								loadSqlite()!,
								location.storagePath ? join(location.storagePath, LEDGER_FILE) : ':memory:',
							),
						),
					)
		).catch((error: unknown) => {
			open.delete(key);
			throw error;
		});
		open.set(key, found);
	}
	const ledger = await found;
	const now = Date.now();
	if (retentionDays !== undefined && now - (lastPurge.get(key) ?? 0) >= PURGE_EVERY_MS) {
		lastPurge.set(key, now);
		await ledger.purgeBefore(now - retentionDays * 86_400_000);
	}
	return { ok: true, value: ledger };
}
