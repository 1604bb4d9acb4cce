/** Test helper: a fresh, empty Postgres database for ledger tests, with a dump of its rows */
import { randomBytes } from 'node:crypto';

import type { PostgresCredential } from '../../nodes/shared/ledger/postgresDatabase';
import { createTestDatabase, ensurePostgres } from '../../scripts/services/postgres';

export interface FreshDatabase {
	/** The "Call Ledger Postgres" credential's fields for this database. */
	credential: PostgresCredential;
	/** Every row of every table as JSON text, for checks of what is stored. */
	dump(): Promise<string>;
	drop(): Promise<void>;
}

/** A new, empty database on the local PostgreSQL (started when it is not running). */
export async function freshPostgresDatabase(purpose: string): Promise<FreshDatabase> {
	await ensurePostgres();
	const db = await createTestDatabase(`vr_test_${purpose}_${randomBytes(4).toString('hex')}`);
	return {
		credential: {
			host: db.host,
			port: db.port,
			database: db.name,
			user: db.user,
			password: db.password,
			ssl: 'disable',
		},
		dump: async () => {
			const tables = (
				await db.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
			).map(([name]) => name);
			const rows = await Promise.all(
				tables.map(async (t) => await db.query(`SELECT json_agg(x) FROM ${t} x`)),
			);
			return JSON.stringify(rows);
		},
		drop: async () => await db.drop(),
	};
}
