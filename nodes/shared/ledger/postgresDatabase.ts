/** The call ledger on Postgres: a pool sized to n8n's concurrency, transient errors retried */
import type { Pool, PoolClient, PoolConfig } from 'pg';

import type { CommitOptions, SqlDatabase, SqlQuery, SqlRow, SqlValue } from './sqlDatabase';

/** The fields of the "Call Ledger Postgres" credential. */
export interface PostgresCredential {
	host?: string;
	port?: number;
	database?: string;
	user?: string;
	password?: string;
	ssl?: 'disable' | 'allow' | 'require' | string;
	ignoreSslIssues?: boolean;
	/** A secret of its own for the ledger's key, instead of n8n's encryption key. */
	ledgerSecret?: string;
}

/** Any number; the same in every process, so that they all wait for one schema migration. */
const MIGRATION_LOCK = 7_245_001;
const CONNECT_TIMEOUT_MS = 10_000;
/** A ledger statement takes milliseconds; one that waits this long meets a stuck lock. */
const STATEMENT_TIMEOUT_MS = 15_000;
/** The client gives up a little after the server would have (a server that stopped answering). */
const QUERY_TIMEOUT_MS = 20_000;
/** Each statement is retried this often after a transient error (a restart, a dropped link). */
const RETRY_PAUSES_MS = [250, 1_000, 3_000];
/** n8n runs this many executions at once in a worker unless told otherwise. */
const N8N_DEFAULT_CONCURRENCY = 10;
export const APPLICATION_NAME = 'n8n-nodes-voice-recruiting call ledger';

/**
 * How many executions this n8n process runs at once: N8N_CONCURRENCY_PRODUCTION_LIMIT when set,
 * else a worker's `--concurrency`, else n8n's default of 10.
 */
export function n8nConcurrency(
	argv: string[] = process.argv,
	env: NodeJS.ProcessEnv = process.env,
): number {
	const limit = Number(env.N8N_CONCURRENCY_PRODUCTION_LIMIT);
	if (Number.isInteger(limit) && limit > 0) return limit;
	const flag = argv.findIndex((arg) => arg === '--concurrency' || arg.startsWith('--concurrency='));
	const value = Number(
		flag < 0 ? NaN : (argv[flag].split('=')[1] ?? (argv[flag + 1] as string | undefined)),
	);
	return Number.isInteger(value) && value > 0 ? value : N8N_DEFAULT_CONCURRENCY;
}

/** One connection per execution that may use the ledger at once, and one for the purge. */
export function ledgerPoolSize(concurrency: number): number {
	return Math.min(Math.max(concurrency + 1, 4), 50);
}

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
		max: ledgerPoolSize(n8nConcurrency()),
		connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
		statement_timeout: STATEMENT_TIMEOUT_MS,
		lock_timeout: STATEMENT_TIMEOUT_MS,
		query_timeout: QUERY_TIMEOUT_MS,
		idle_in_transaction_session_timeout: STATEMENT_TIMEOUT_MS,
		// Keep-alive finds a connection a firewall or a failover dropped before a claim uses it.
		keepAlive: true,
		keepAliveInitialDelayMillis: 10_000,
		idleTimeoutMillis: 30_000,
		application_name: APPLICATION_NAME,
		// An idle pool must not keep a one-shot `n8n execute` (or a test run) alive.
		allowExitOnIdle: true,
	};
}

/** Codes of failures after which the same statement may simply be sent again. */
const TRANSIENT_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN']);

/**
 * A connection lost or refused, the server shutting down or starting up, a deadlock or a
 * serialization failure: the statement did not take effect, or (for a lost answer) each ledger
 * statement gives the same result when sent again. A dial is never behind such a retry: the
 * ledger answers before the dial is sent.
 */
export function isTransient(error: unknown): boolean {
	const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
	if (typeof code === 'string') {
		if (TRANSIENT_CODES.has(code)) return true;
		// 08: connection exception; 57P01-57P03: shutdown, crash, cannot connect now; 40001, 40P01.
		if (/^(08|57P0[123]|40001|40P01)/.test(code)) return true;
	}
	return (
		typeof message === 'string' &&
		/Connection terminated|connection timeout|Client has encountered a connection error/i.test(
			message,
		)
	);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function withRetry<T>(statement: () => Promise<T>): Promise<T> {
	for (let i = 0; ; i++) {
		const result = await statement().then(
			(value) => ({ value }),
			(error: unknown) => ({ error }),
		);
		if (!('error' in result)) return result.value;
		if (i >= RETRY_PAUSES_MS.length || !isTransient(result.error)) throw result.error;
		await sleep(RETRY_PAUSES_MS[i]);
	}
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
		return await withRetry(async () => (await this.pool.query(sql, params)).rows as SqlRow[]);
	}

	async run(sql: string, params: SqlValue[] = []): Promise<number> {
		return await withRetry(async () => (await this.pool.query(sql, params)).rowCount ?? 0);
	}

	async now(): Promise<number> {
		const [row] = await this.query(
			'SELECT CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT) AS now',
		);
		return Number(row.now);
	}

	async exclusive<T>(work: (tx: SqlQuery) => Promise<T>): Promise<T> {
		return await withRetry(async () => await this.inTransaction(work, {}, true));
	}

	async transaction<T>(
		work: (tx: SqlQuery) => Promise<T>,
		options: CommitOptions = {},
	): Promise<T> {
		return await withRetry(async () => await this.inTransaction(work, options, false));
	}

	private async inTransaction<T>(
		work: (tx: SqlQuery) => Promise<T>,
		options: CommitOptions,
		exclusive: boolean,
	): Promise<T> {
		const client = await this.pool.connect();
		// The pool listens for errors of idle connections only: a server that goes away while this
		// one is held between statements would otherwise throw in the socket's handler and end n8n.
		// The next statement fails with the error, and the broken connection is closed below.
		const lost = () => undefined;
		client.on('error', lost);
		let committed = false;
		try {
			// Not durable: the commit does not wait for the WAL's flush (a later durable one flushes it).
			await client.query(
				options.durable === false ? 'BEGIN; SET LOCAL synchronous_commit = off' : 'BEGIN',
			);
			// Concurrent CREATE TABLE IF NOT EXISTS can still collide in Postgres' catalog.
			if (exclusive) await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
			const result = await work(onClient(client));
			await client.query('COMMIT');
			committed = true;
			return result;
		} finally {
			// A failed ROLLBACK leaves a broken connection: release(true) closes it.
			const broken =
				!committed &&
				(await client.query('ROLLBACK').then(
					() => false,
					() => true,
				));
			client.removeListener('error', lost);
			client.release(broken);
		}
	}

	async close(): Promise<void> {
		await this.pool.end();
	}
}

function onClient(client: PoolClient): SqlQuery {
	return {
		query: async (sql, params = []) => (await client.query(sql, params)).rows as SqlRow[],
		run: async (sql, params = []) => (await client.query(sql, params)).rowCount ?? 0,
	};
}
