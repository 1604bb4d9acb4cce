import { randomBytes } from 'node:crypto';

import { Client } from 'pg';

import type { PostgresCredential } from '../../nodes/shared/ledger/postgresDatabase';

/** The local PostgreSQL the tests use (trust authentication, as on the CI machines). */
export const POSTGRES_ADMIN: PostgresCredential = {
	host: process.env.VR_TEST_PGHOST ?? '127.0.0.1',
	port: Number(process.env.VR_TEST_PGPORT ?? 5432),
	user: process.env.VR_TEST_PGUSER ?? 'postgres',
	database: 'postgres',
	ssl: 'disable',
};

export interface FreshDatabase {
	credential: PostgresCredential;
	/** Every row of every table, for checks of what is stored. */
	dump(): Promise<Record<string, unknown[]>>;
	drop(): Promise<void>;
}

async function admin<T>(work: (client: Client) => Promise<T>, database = 'postgres'): Promise<T> {
	const client = new Client({ ...POSTGRES_ADMIN, database, password: undefined, ssl: undefined });
	await client.connect();
	try {
		return await work(client);
	} finally {
		await client.end();
	}
}

/** A new, empty database for one test file, removed again by `drop()`. */
export async function freshPostgresDatabase(purpose: string): Promise<FreshDatabase> {
	const name = `vr_test_${purpose}_${randomBytes(4).toString('hex')}`;
	await admin((c) => c.query(`CREATE DATABASE ${name}`));
	return {
		credential: { ...POSTGRES_ADMIN, database: name },
		dump: async () =>
			await admin(async (c) => {
				const tables = await c.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public'");
				const out: Record<string, unknown[]> = {};
				for (const { tablename } of tables.rows) out[tablename] = (await c.query(`SELECT * FROM ${tablename}`)).rows;
				return out;
			}, name),
		drop: async () => {
			await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
		},
	};
}
