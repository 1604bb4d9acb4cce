/** Embedded call ledger: one SQLite file for all executions, locks waited out on timers */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

import type { CommitOptions, SqlDatabase, SqlQuery, SqlRow, SqlValue } from './sqlDatabase';

/** The part of `node:sqlite` (Node.js 22.5 and later) the ledger uses. */
interface StatementSync {
	run(...params: SqlValue[]): { changes: number | bigint };
	all(...params: SqlValue[]): SqlRow[];
}
interface DatabaseSync {
	exec(sql: string): void;
	prepare(sql: string): StatementSync;
	close(): void;
}
type SqliteModule = { DatabaseSync: new (path: string) => DatabaseSync };

/**
 * How long a writer waits for other writers (each write takes a disk flush, a few milliseconds):
 * long enough for a burst of executions racing for one file, harmless as the wait is on timers.
 */
const BUSY_WAIT_MS = 30_000;
const BUSY_PAUSE_MS = { first: 2, max: 50 };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** SQLITE_BUSY (5) and its extended codes: another connection holds the lock; nothing was done. */
function isBusy(error: unknown): boolean {
	const code = (error as { errcode?: unknown } | undefined)?.errcode;
	return typeof code === 'number' && (code & 0xff) === 5;
}

/**
 * Runs a statement, waiting for another connection's lock between tries with timers: node:sqlite
 * is synchronous, so SQLite's own busy_timeout would stop n8n's event loop (every execution,
 * every webhook) for as long as it waits.
 */
async function whenFree<T>(statement: () => T): Promise<T> {
	const giveUpAt = Date.now() + BUSY_WAIT_MS;
	for (let pause = BUSY_PAUSE_MS.first; ; pause = Math.min(pause * 2, BUSY_PAUSE_MS.max)) {
		const result = attempt(statement);
		if (!('error' in result)) return result.value;
		if (!isBusy(result.error) || Date.now() >= giveUpAt) throw result.error;
		await sleep(pause);
	}
}

function attempt<T>(statement: () => T): { value: T } | { error: unknown } {
	try {
		return { value: statement() };
	} catch (error) {
		return { error };
	}
}

/** node:sqlite, loaded on first use; it exists from Node.js 22.5 (n8n 2 runs on Node.js 24). */
export function loadSqlite(): SqliteModule | undefined {
	try {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		return require('node:sqlite') as SqliteModule;
	} catch {
		return undefined;
	}
}

/** `$1` → `?1`: SQLite's numbered parameters, so one SQL text serves both databases. */
const numbered = (sql: string) => sql.replace(/\$(\d+)/g, '?$1');

/**
 * A SQLite file shared by every execution of this n8n (and by other processes on the same
 * disk): WAL mode lets readers and one writer work at once, and each statement is atomic.
 */
export class SqliteDatabase implements SqlDatabase {
	readonly label: string;
	private readonly db: DatabaseSync;
	private readonly statements = new Map<string, StatementSync>();
	private turns: Promise<unknown> = Promise.resolve();
	private readonly ready: Promise<void>;

	constructor(
		sqlite: SqliteModule,
		readonly file: string,
	) {
		const { DatabaseSync } = sqlite;
		mkdirSync(dirname(file), { recursive: true });
		this.db = new DatabaseSync(file);
		// No blocking wait inside SQLite: whenFree waits with timers.
		this.db.exec('PRAGMA busy_timeout = 0');
		// FULL: a claim that returned is on disk, also after a power loss (NORMAL may lose the last ones).
		this.db.exec('PRAGMA synchronous = FULL');
		// Switching to WAL needs the file's lock, which another process opening it may hold.
		this.ready = whenFree(() => this.db.exec('PRAGMA journal_mode = WAL'));
		// Each statement awaits it and gets its error; this keeps it from being an unhandled one.
		this.ready.catch(() => undefined);
		this.label = `the embedded call ledger (${file})`;
	}

	private statement(sql: string): StatementSync {
		let found = this.statements.get(sql);
		if (!found) {
			found = this.db.prepare(numbered(sql));
			this.statements.set(sql, found);
		}
		return found;
	}

	/**
	 * Work on the one connection, in turn: a statement that ran while another's transaction
	 * awaited would land inside that transaction and be undone with it.
	 */
	private inTurn<T>(work: () => Promise<T>): Promise<T> {
		const turn = this.turns.then(async () => {
			await this.ready;
			return await work();
		});
		this.turns = turn.catch(() => undefined);
		return turn;
	}

	private readonly direct: SqlQuery = {
		query: async (sql, params = []) => await whenFree(() => this.statement(sql).all(...params)),
		run: async (sql, params = []) =>
			await whenFree(() => Number(this.statement(sql).run(...params).changes)),
	};

	async query(sql: string, params: SqlValue[] = []): Promise<SqlRow[]> {
		return await this.inTurn(async () => await this.direct.query(sql, params));
	}

	async run(sql: string, params: SqlValue[] = []): Promise<number> {
		return await this.inTurn(async () => await this.direct.run(sql, params));
	}

	async now(): Promise<number> {
		return Date.now();
	}

	async exclusive<T>(work: (tx: SqlQuery) => Promise<T>): Promise<T> {
		return await this.transaction(work);
	}

	/**
	 * BEGIN IMMEDIATE takes the file's write lock first, so two processes do not interleave; a
	 * commit that need not be durable skips the disk flush (WAL with synchronous NORMAL: the next
	 * durable commit flushes it along).
	 */
	async transaction<T>(
		work: (tx: SqlQuery) => Promise<T>,
		options: CommitOptions = {},
	): Promise<T> {
		return await this.inTurn(async () => {
			const relaxed = options.durable === false;
			if (relaxed) this.db.exec('PRAGMA synchronous = NORMAL');
			let committed = false;
			try {
				await whenFree(() => this.db.exec('BEGIN IMMEDIATE'));
				try {
					const result = await work(this.direct);
					this.db.exec('COMMIT');
					committed = true;
					return result;
				} finally {
					if (!committed) this.db.exec('ROLLBACK');
				}
			} finally {
				if (relaxed) this.db.exec('PRAGMA synchronous = FULL');
			}
		});
	}

	async close(): Promise<void> {
		this.db.close();
	}
}
