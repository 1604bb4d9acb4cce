// What a database offers the call ledger: the interface SQLite and Postgres both implement.

export type SqlValue = string | number | null;
export type SqlRow = Record<string, unknown>;

/** Statements on one database (or inside one of its transactions). */
export interface SqlQuery {
	query(sql: string, params?: SqlValue[]): Promise<SqlRow[]>;
	/** Runs the statement and returns how many rows it changed. */
	run(sql: string, params?: SqlValue[]): Promise<number>;
}

export interface CommitOptions {
	/**
	 * False for a write the ledger can do without after a power cut or a database crash (it is
	 * never half done, and a later durable commit makes it durable too): the commit does not
	 * wait for the disk. Only for writes whose loss the ledger recovers from, e.g. a claim's
	 * settle, which a stale claim recovers from the vendor's history.
	 */
	durable?: boolean;
}

/** A commit that does not wait for the disk (see `CommitOptions.durable`). */
export const NOT_DURABLE: CommitOptions = { durable: false };

/**
 * What a database offers the ledger. Statements use `$1, $2, …` placeholders; each call is
 * one statement, which the database runs atomically.
 */
export interface SqlDatabase extends SqlQuery {
	readonly label: string;
	/**
	 * Runs the work in one transaction, with other processes doing the same kept waiting (the
	 * schema, the key): a failure leaves nothing half done.
	 */
	exclusive<T>(work: (tx: SqlQuery) => Promise<T>): Promise<T>;
	/**
	 * Runs the work in one transaction (one commit, durable unless `options` say otherwise);
	 * unlike `exclusive`, others wait only for the rows it writes.
	 */
	transaction<T>(work: (tx: SqlQuery) => Promise<T>, options?: CommitOptions): Promise<T>;
	/** The database's clock in Unix milliseconds: one clock for every process that shares it. */
	now(): Promise<number>;
	close(): Promise<void>;
}
