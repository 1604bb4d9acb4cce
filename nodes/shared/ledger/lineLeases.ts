// Line leases: an agent's concurrent-call limit as rows in the ledger's database, one per line.
import { randomUUID } from 'node:crypto';

import { NOT_DURABLE } from './sqlDatabase';
import type { SqlDatabase, SqlValue } from './sqlDatabase';

const LEASES = 'voice_recruiting_line_leases';

/**
 * One row per line of an agent (line 0 … limit − 1); a line is free when it has no lease or
 * its lease has expired. Times are Unix milliseconds, as in the call ledger.
 */
export const LINE_LEASE_SCHEMA = [
	`CREATE TABLE IF NOT EXISTS ${LEASES} (
		agent TEXT NOT NULL,
		line INTEGER NOT NULL,
		lease_id TEXT,
		holder TEXT,
		taken_at BIGINT,
		expires_at BIGINT,
		PRIMARY KEY (agent, line)
	)`,
];

const free = '(lease_id IS NULL OR expires_at <= $3)';

/**
 * Takes the lowest free line below the limit in one statement. Two takers that pick the same
 * line are kept apart by the row: the one that writes second finds it taken (Postgres checks the
 * row again after the first commits; SQLite runs one writer at a time) and changes nothing.
 */
const TAKE = `UPDATE ${LEASES} SET lease_id = $2, holder = $5, taken_at = $3, expires_at = $6
	WHERE agent = $1 AND ${free} AND line = (
		SELECT line FROM ${LEASES} WHERE agent = $1 AND line < $4 AND ${free} ORDER BY line LIMIT 1
	)
	RETURNING line`;

const FREE_LINES = `SELECT COUNT(*) AS free FROM ${LEASES} WHERE agent = $1 AND line < $2 AND ${free}`;

const HELD = `SELECT COUNT(*) AS held FROM ${LEASES} WHERE agent = $1 AND lease_id IS NOT NULL AND expires_at > $2`;

/**
 * Held leases of the agent taken at or before this one (by time taken, then line): its place in
 * the order every holder reads the same way.
 */
const RANK = `SELECT COUNT(*) AS rank FROM ${LEASES} WHERE agent = $1 AND lease_id IS NOT NULL
	AND expires_at > $2 AND (taken_at < $3 OR (taken_at = $3 AND line <= $4))`;

const RENEW = `UPDATE ${LEASES} SET expires_at = $4 WHERE agent = $1 AND line = $2 AND lease_id = $3`;

const RELEASE = `UPDATE ${LEASES} SET lease_id = NULL, holder = NULL, taken_at = NULL, expires_at = NULL
	WHERE agent = $1 AND line = $2 AND lease_id = $3`;

/** A line held until released or until `expiresAt`, whichever comes first. */
export interface LineLease {
	agent: string;
	line: number;
	leaseId: string;
	takenAt: number;
	expiresAt: number;
	/** Set when a renewal found the lease gone (it expired and was taken): the line is not this holder's. */
	lost?: boolean;
}

export interface LineLeaseOptions {
	/**
	 * How long a lease lasts without renewal: the bound on how long a worker that died keeps
	 * its line. A holder renews at a third of it, so a live call keeps its line.
	 */
	leaseMs?: number;
	now?: () => number;
}

export const DEFAULT_LEASE_MS = 60_000;
/** Takers that lost the same line to another try the next one; more lines than this is a race. */
const TAKE_TRIES = 8;

/**
 * The lines of agents, shared by every process that reaches the same database. Lease writes do
 * not wait for the disk: a lease lost to a database crash is at worst a line given twice (the
 * live count before the dial still sees the call, else one answer 429, which the dial waits out)
 * or a line held until its lease expires.
 */
export class LineLeases {
	private ready?: Promise<void>;
	/** Agents whose rows exist up to this limit, in this process. */
	private readonly rowsUpTo = new Map<string, number>();
	/** Who waits in this process for a line of an agent: woken when a lease of it is released here. */
	private readonly waiting = new Map<string, Set<() => void>>();
	readonly leaseMs: number;
	private readonly now: () => number;

	constructor(
		private readonly db: SqlDatabase,
		options: LineLeaseOptions = {},
	) {
		this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
		this.now = options.now ?? Date.now;
	}

	private async schema(): Promise<void> {
		this.ready ??= this.db
			.exclusive(async (tx) => {
				for (const sql of LINE_LEASE_SCHEMA) await tx.run(sql);
			})
			.catch((error: unknown) => {
				this.ready = undefined;
				throw error;
			});
		await this.ready;
	}

	private async lines(agent: string, limit: number): Promise<void> {
		await this.schema();
		if ((this.rowsUpTo.get(agent) ?? 0) >= limit) return;
		// Line numbers are integers of our own making, so they go into the text itself.
		const rows = Array.from({ length: limit }, (_, line) => `($1, ${line})`).join(', ');
		await this.db.run(
			`INSERT INTO ${LEASES} (agent, line) VALUES ${rows} ON CONFLICT (agent, line) DO NOTHING`,
			[agent],
		);
		this.rowsUpTo.set(agent, limit);
	}

	/**
	 * A free line of the agent, below `limit`, or undefined when all are held. A line above a
	 * lowered limit stays with its holder until released; no new lease is given there.
	 */
	async take(agent: string, limit: number, holder: string): Promise<LineLease | undefined> {
		if (!Number.isInteger(limit) || limit < 1) return undefined;
		await this.lines(agent, limit);
		for (let tries = 0; tries < TAKE_TRIES; tries++) {
			const at = this.now();
			const leaseId = randomUUID();
			const expiresAt = at + this.leaseMs;
			const params: SqlValue[] = [agent, leaseId, at, limit, holder, expiresAt];
			const [row] = await this.db.transaction(
				async (tx) => await tx.query(TAKE, params),
				NOT_DURABLE,
			);
			if (row) return { agent, line: Number(row.line), leaseId, takenAt: at, expiresAt };
			const [count] = await this.db.query(FREE_LINES, [agent, limit, at]);
			if (Number(count.free) === 0) return undefined;
		}
		return undefined;
	}

	/** Extends the lease; false when it is no longer this holder's (it expired and was taken). */
	async renew(lease: LineLease): Promise<boolean> {
		const expiresAt = this.now() + this.leaseMs;
		const changed = await this.db.transaction(
			async (tx) => await tx.run(RENEW, [lease.agent, lease.line, lease.leaseId, expiresAt]),
			NOT_DURABLE,
		);
		if (changed === 1) lease.expiresAt = expiresAt;
		return changed === 1;
	}

	/** Frees the line; a lease that already expired and went to another stays theirs. */
	async release(lease: LineLease): Promise<void> {
		await this.db.transaction(
			async (tx) => await tx.run(RELEASE, [lease.agent, lease.line, lease.leaseId]),
			NOT_DURABLE,
		);
		for (const wake of this.waiting.get(lease.agent) ?? []) wake();
	}

	/**
	 * Calls `wake` whenever this process releases a lease of the agent, until the returned
	 * function is called: a waiter then looks again at once (its place in the order moved up, or
	 * a lease is free) instead of at its next turn. Other processes' waiters keep their turns.
	 */
	onRelease(agent: string, wake: () => void): () => void {
		let waiters = this.waiting.get(agent);
		if (!waiters) this.waiting.set(agent, (waiters = new Set()));
		waiters.add(wake);
		return () => {
			waiters.delete(wake);
			if (waiters.size === 0) this.waiting.delete(agent);
		};
	}

	/**
	 * How many held leases of the agent come before this one or are it (1 for the first): of two
	 * holders at the same time, the later one always counts the earlier.
	 */
	async rank(lease: LineLease): Promise<number> {
		const [row] = await this.db.query(RANK, [lease.agent, this.now(), lease.takenAt, lease.line]);
		return Number(row.rank);
	}

	/** Leases of the agent that are held now, by any process. */
	async held(agent: string): Promise<number> {
		await this.schema();
		const [row] = await this.db.query(HELD, [agent, this.now()]);
		return Number(row.held);
	}

	/**
	 * Runs `work` on a line of the agent: takes one (undefined when none is free), renews it while
	 * `work` runs and releases it when `work` ends, however it ends.
	 */
	async withLine<T>(
		agent: string,
		limit: number,
		holder: string,
		work: (lease: LineLease) => Promise<T>,
	): Promise<{ taken: true; value: T } | { taken: false }> {
		const lease = await this.take(agent, limit, holder);
		if (!lease) return { taken: false };
		const renewal = setInterval(() => {
			// A renewal that fails leaves the lease to expire: the bound still holds.
			this.renew(lease).then(
				(held) => (lease.lost ||= !held),
				() => undefined,
			);
		}, this.leaseMs / 3);
		renewal.unref();
		try {
			return { taken: true, value: await work(lease) };
		} finally {
			clearInterval(renewal);
			await this.release(lease);
		}
	}
}
