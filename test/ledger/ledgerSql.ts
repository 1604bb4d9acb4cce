/** Statements straight on a ledger's database, as a person with access to it (or a dump) has them. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import { Client } from 'pg';

import type { LedgerLocation } from '../../nodes/shared/ledger/openLedger';
import { processN8nFolder } from './n8nFolder';

const builtSqlite =
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	require('../../dist/nodes/shared/ledger/sqliteDatabase') as typeof import('../../nodes/shared/ledger/sqliteDatabase');
import { freshPostgresDatabase } from './postgres';

export interface LedgerSql {
	location: LedgerLocation;
	/** Rows of a statement on the ledger's database (its own connection). */
	sql(text: string, params?: Array<string | number>): Promise<Record<string, unknown>[]>;
	/** Every row of every table. */
	dump(): Promise<Record<string, unknown>[]>;
	close(): Promise<void>;
}

const TABLES = "SELECT name FROM sqlite_master WHERE type = 'table'";

/** A new, empty embedded ledger location (own folder) in this process's n8n folder. */
export function freshEmbedded(over: Partial<LedgerLocation> = {}): LedgerSql {
	const storagePath = mkdtempSync(path.join(tmpdir(), 'vr-ledger-'));
	const file = path.join(storagePath, 'call-ledger.sqlite');
	const open = () => new (builtSqlite.loadSqlite()!.DatabaseSync)(file);
	const sql = async (text: string, params: Array<string | number> = []) => {
		const db = open();
		try {
			return db.prepare(text).all(...params);
		} finally {
			db.close();
		}
	};
	return {
		location: { kind: 'embedded', storagePath, n8nFolder: processN8nFolder(), ...over },
		sql,
		dump: async () => {
			const tables = (await sql(TABLES)).map((row) => String(row.name));
			return (await Promise.all(tables.map(async (t) => await sql(`SELECT * FROM ${t}`)))).flat();
		},
		close: async () => undefined,
	};
}

/** A new, empty Postgres database as the ledger's location. */
export async function freshPostgres(purpose: string): Promise<LedgerSql> {
	const database = await freshPostgresDatabase(purpose);
	const client = new Client({ ...database.credential, ssl: undefined });
	await client.connect();
	const sql = async (text: string, params: Array<string | number> = []) =>
		(await client.query(text, params)).rows as Record<string, unknown>[];
	return {
		location: { kind: 'postgres', postgres: database.credential, n8nFolder: processN8nFolder() },
		sql,
		dump: async () => {
			const tables = (await sql("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).map(
				(row) => String(row.tablename),
			);
			return (await Promise.all(tables.map(async (t) => await sql(`SELECT * FROM ${t}`)))).flat();
		},
		close: async () => {
			await client.end();
			await database.drop();
		},
	};
}
