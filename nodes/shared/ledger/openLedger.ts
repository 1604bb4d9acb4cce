import { createHash } from 'node:crypto';
import { join } from 'node:path';

import { CallLedger } from './callLedger';
import { PostgresDatabase } from './postgresDatabase';
import type { PostgresCredential } from './postgresDatabase';
import { SqlLedgerStore } from './sqlLedgerStore';
import { SqliteDatabase, SqliteUnavailableError } from './sqliteDatabase';

export type LedgerKind = 'embedded' | 'postgres';

/** n8n's own credential type for Postgres, so a team reuses the database it already has. */
export const POSTGRES_CREDENTIAL = 'postgres';

export const LEDGER_FILE = 'call-ledger.sqlite';

/** Why the ledger cannot be used, with what to change. Nothing is dialled without it. */
export class LedgerSetupError extends Error {
	constructor(
		message: string,
		readonly hint: string,
	) {
		super(message);
	}
}

export interface LedgerLocation {
	kind: LedgerKind;
	/** The n8n folder's storage path for this node type (embedded). */
	storagePath?: string;
	/** n8n's execution mode of this process: `queue` refuses the embedded ledger. */
	executionsMode?: string;
	postgres?: PostgresCredential;
}

/** One ledger per database and process: executions share its pool and statements. */
const open = new Map<string, Promise<CallLedger>>();
const lastPurge = new Map<string, number>();
const PURGE_EVERY_MS = 3_600_000;

function cacheKey(location: LedgerLocation): string {
	if (location.kind === 'embedded') return `embedded:${location.storagePath}`;
	const c = location.postgres ?? {};
	const secret = createHash('sha256').update(String(c.password ?? '')).digest('hex');
	return `postgres:${c.user}@${c.host}:${c.port}/${c.database}?ssl=${c.ssl}&${secret}`;
}

async function openStore(location: LedgerLocation): Promise<CallLedger> {
	if (location.kind === 'postgres') {
		const db = await PostgresDatabase.connect(location.postgres ?? {});
		try {
			return await CallLedger.open(new SqlLedgerStore(db));
		} catch (error) {
			await db.end();
			throw error;
		}
	}
	if (!location.storagePath) throw new LedgerSetupError('The n8n folder is unknown', 'Run the node inside n8n.');
	try {
		return await CallLedger.open(new SqlLedgerStore(new SqliteDatabase(join(location.storagePath, LEDGER_FILE))));
	} catch (error) {
		if (error instanceof SqliteUnavailableError) {
			throw new LedgerSetupError(error.message, 'Update n8n (it runs on Node.js 24), or set "Call Ledger" to Postgres.');
		}
		throw error;
	}
}

/**
 * The ledger at a location, opened once per process. Claims older than the retention period
 * are removed at most once an hour; a failure to open is not cached.
 */
export async function openLedger(location: LedgerLocation, retentionDays: number): Promise<CallLedger> {
	if (location.kind === 'embedded' && location.executionsMode === 'queue') {
		throw new LedgerSetupError(
			'The embedded call ledger cannot be used in queue mode',
			'Each worker would keep its own record, so two workers could call the same person. Set "Call Ledger" to Postgres and choose a Postgres credential that every n8n process reaches (for example n8n\'s own database).',
		);
	}
	const key = cacheKey(location);
	let found = open.get(key);
	if (!found) {
		found = openStore(location);
		open.set(key, found);
	}
	let ledger: CallLedger;
	try {
		ledger = await found;
	} catch (error) {
		open.delete(key);
		throw error;
	}
	const now = Date.now();
	if (now - (lastPurge.get(key) ?? 0) >= PURGE_EVERY_MS) {
		lastPurge.set(key, now);
		await ledger.purgeBefore(now - retentionDays * 86_400_000);
	}
	return ledger;
}
