import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

import type { SqlDatabase, SqlRow, SqlValue } from './sqlLedgerStore';

/** The part of `node:sqlite` (Node.js 22.5 and later) the ledger uses. */
interface StatementSync {
	run(...params: SqlValue[]): { changes: number | bigint };
	all(...params: SqlValue[]): SqlRow[];
}
interface DatabaseSync {
	exec(sql: string): void;
	prepare(sql: string): StatementSync;
}
type SqliteModule = { DatabaseSync: new (path: string) => DatabaseSync };

/** How long a writer waits for another process's write to finish (writes take microseconds). */
const BUSY_TIMEOUT_MS = 10_000;

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

	constructor(
		sqlite: SqliteModule,
		readonly file: string,
	) {
		const { DatabaseSync } = sqlite;
		mkdirSync(dirname(file), { recursive: true });
		this.db = new DatabaseSync(file);
		this.db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
		this.db.exec('PRAGMA journal_mode = WAL');
		this.db.exec('PRAGMA synchronous = NORMAL');
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

	async query(sql: string, params: SqlValue[] = []): Promise<SqlRow[]> {
		return this.statement(sql).all(...params);
	}

	async run(sql: string, params: SqlValue[] = []): Promise<number> {
		return Number(this.statement(sql).run(...params).changes);
	}

	async migrate(statements: string[]): Promise<void> {
		// IMMEDIATE takes the write lock first, so two processes do not interleave the schema.
		this.db.exec('BEGIN IMMEDIATE');
		let committed = false;
		try {
			for (const sql of statements) this.db.exec(sql);
			this.db.exec('COMMIT');
			committed = true;
		} finally {
			if (!committed) this.db.exec('ROLLBACK');
		}
	}
}
