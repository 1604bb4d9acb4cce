import type { Pool, PoolConfig } from 'pg';

import type { SqlDatabase, SqlRow, SqlValue } from './sqlLedgerStore';

/** The fields of the "Call Ledger Postgres" credential. */
export interface PostgresCredential {
	host?: string;
	port?: number;
	database?: string;
	user?: string;
	password?: string;
	ssl?: 'disable' | 'allow' | 'require' | string;
	ignoreSslIssues?: boolean;
}

/** Any number; the same in every process, so that they all wait for one schema migration. */
const MIGRATION_LOCK = 7_245_001;
const CONNECT_TIMEOUT_MS = 10_000;

export function postgresPoolConfig(c: PostgresCredential): PoolConfig {
	const ssl =
		c.ssl && c.ssl !== 'disable' ? { rejectUnauthorized: c.ignoreSslIssues !== true } : undefined;
	return {
		host: c.host || 'localhost',
		port: Number(c.port) || 5432,
		database: c.database || 'postgres',
		user: c.user || 'postgres',
		password: c.password || undefined,
		ssl,
		max: 4,
		connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
		idleTimeoutMillis: 30_000,
		// An idle pool must not keep a one-shot `n8n execute` (or a test run) alive.
		allowExitOnIdle: true,
	};
}

/** A Postgres database reached through a pool (the `pg` client, loaded on first use). */
export class PostgresDatabase implements SqlDatabase {
	readonly label: string;

	private constructor(
		private readonly pool: Pool,
		config: PoolConfig,
	) {
		this.label = `the Postgres call ledger (${config.user}@${config.host}:${config.port}/${config.database})`;
	}

	static async connect(credential: PostgresCredential): Promise<PostgresDatabase> {
		const { Pool: PgPool } = await import('pg');
		const config = postgresPoolConfig(credential);
		const pool = new PgPool(config);
		// A broken idle connection must not crash the n8n process; the next query reports it.
		pool.on('error', () => undefined);
		return new PostgresDatabase(pool, config);
	}

	async query(sql: string, params: SqlValue[] = []): Promise<SqlRow[]> {
		return (await this.pool.query(sql, params)).rows as SqlRow[];
	}

	async run(sql: string, params: SqlValue[] = []): Promise<number> {
		return (await this.pool.query(sql, params)).rowCount ?? 0;
	}

	async migrate(statements: string[]): Promise<void> {
		const client = await this.pool.connect();
		let committed = false;
		try {
			await client.query('BEGIN');
			// Concurrent CREATE TABLE IF NOT EXISTS can still collide in Postgres' catalog.
			await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
			for (const sql of statements) await client.query(sql);
			await client.query('COMMIT');
			committed = true;
		} finally {
			// A failed ROLLBACK leaves a broken connection: release(true) closes it.
			const broken =
				!committed &&
				(await client.query('ROLLBACK').then(
					() => false,
					() => true,
				));
			client.release(broken);
		}
	}

	async end(): Promise<void> {
		await this.pool.end();
	}
}
