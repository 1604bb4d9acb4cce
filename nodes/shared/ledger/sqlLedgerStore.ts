/** The call ledger's tables and atomic statements, one SQL for SQLite and Postgres */
import { ProblemError } from '../n8n/problems';
import { LedgerKeyring } from './ledgerKey';
import { LineLeases } from './lineLeases';
import { NOT_DURABLE } from './sqlDatabase';
import type { SqlDatabase, SqlQuery, SqlRow, SqlValue } from './sqlDatabase';
import type {
	Attempt,
	AttemptRef,
	AttemptSettlement,
	DoNotCallEntry,
	FirstClaim,
	KeyBinding,
	LedgerStore,
	PersonKey,
	AgentWebhookBefore,
	BatchReplacement,
} from './types';

const T = {
	meta: 'voice_recruiting_ledger_meta',
	attempts: 'voice_recruiting_call_attempts',
	keys: 'voice_recruiting_call_keys',
	doNotCall: 'voice_recruiting_do_not_call',
	scopes: 'voice_recruiting_scopes',
	deliveries: 'voice_recruiting_webhook_deliveries',
	agentWebhooksBefore: 'voice_recruiting_agent_webhooks_before',
	interviewTokens: 'voice_recruiting_interview_tokens',
	batchReplacements: 'voice_recruiting_batch_replacements',
};

/** People moved per statement: far below the parameter limits of SQLite and Postgres. */
const MOVE_CHUNK = 500;

/** The longest retention the purge computes with (100 years): longer is "keep". */
const MAX_RETENTION_DAYS = 36_500;
const DAY_MS = 86_400_000;

/** The schema; the same SQL serves SQLite and Postgres. Times are Unix milliseconds. */
export const LEDGER_SCHEMA = [
	`CREATE TABLE IF NOT EXISTS ${T.meta} (name TEXT PRIMARY KEY, value TEXT NOT NULL)`,
	`CREATE TABLE IF NOT EXISTS ${T.attempts} (
		scope TEXT NOT NULL,
		person TEXT NOT NULL,
		attempt INTEGER NOT NULL,
		call_key TEXT NOT NULL,
		claim_id TEXT NOT NULL,
		execution_id TEXT NOT NULL,
		claimed_at BIGINT NOT NULL,
		updated_at BIGINT NOT NULL,
		outcome TEXT NOT NULL,
		conversation_id TEXT,
		call_sid TEXT,
		batch_id TEXT,
		masked_number TEXT NOT NULL,
		PRIMARY KEY (scope, person, attempt)
	)`,
	`CREATE INDEX IF NOT EXISTS ${T.attempts}_claimed_at ON ${T.attempts} (claimed_at)`,
	// Retry and Cancel find a batch's recipients by its id.
	`CREATE INDEX IF NOT EXISTS ${T.attempts}_batch_id ON ${T.attempts} (batch_id)`,
	// A do-not-call Add finds the person's batches by the person alone.
	`CREATE INDEX IF NOT EXISTS ${T.attempts}_person ON ${T.attempts} (person)`,
	`CREATE TABLE IF NOT EXISTS ${T.keys} (
		scope TEXT NOT NULL,
		call_key TEXT NOT NULL,
		person TEXT NOT NULL,
		masked_number TEXT NOT NULL,
		used_at BIGINT NOT NULL,
		PRIMARY KEY (scope, call_key)
	)`,
	`CREATE TABLE IF NOT EXISTS ${T.doNotCall} (
		person TEXT PRIMARY KEY,
		masked_number TEXT NOT NULL,
		reason TEXT NOT NULL,
		added_at BIGINT NOT NULL
	)`,
	// Each campaign's retention (the largest asked for it), so that one node's short retention
	// purges its own campaigns only.
	`CREATE TABLE IF NOT EXISTS ${T.scopes} (
		scope TEXT PRIMARY KEY,
		retention_days INTEGER NOT NULL,
		updated_at BIGINT NOT NULL
	)`,
	// The post-call events a trigger started a workflow for (one row: the first copy won).
	`CREATE TABLE IF NOT EXISTS ${T.deliveries} (
		receiver TEXT NOT NULL,
		delivery TEXT NOT NULL,
		signed_at BIGINT NOT NULL,
		PRIMARY KEY (receiver, delivery)
	)`,
	`CREATE INDEX IF NOT EXISTS ${T.deliveries}_signed_at ON ${T.deliveries} (signed_at)`,
	// What an agent had before a trigger's webhook was attached to it: where the agent goes back
	// to when that webhook is gone, also through a later trigger that took the agent over.
	`CREATE TABLE IF NOT EXISTS ${T.agentWebhooksBefore} (
		agent_id TEXT NOT NULL,
		webhook_id TEXT NOT NULL,
		previous TEXT NOT NULL,
		recorded_at BIGINT NOT NULL,
		PRIMARY KEY (agent_id, webhook_id)
	)`,
	// The tokens an interview link was given (at most its budget), and the conversation of each.
	`CREATE TABLE IF NOT EXISTS ${T.interviewTokens} (
		link_key TEXT NOT NULL,
		seq INTEGER NOT NULL,
		conversation_id TEXT,
		issued_at BIGINT NOT NULL,
		PRIMARY KEY (link_key, seq)
	)`,
	// Which execution replaces a batch (cancel, resubmit of the rest), so that two do-not-call
	// Adds at once never submit the same people twice.
	`CREATE TABLE IF NOT EXISTS ${T.batchReplacements} (
		batch_id TEXT PRIMARY KEY,
		claim_id TEXT NOT NULL,
		claimed_at BIGINT NOT NULL,
		finished_at BIGINT,
		replaced_by TEXT
	)`,
];

const sentence = (label: string) => label.charAt(0).toUpperCase() + label.slice(1);

function wrongKey(keyring: LedgerKeyring, label: string): ProblemError {
	return keyring.source === 'ledgerSecret'
		? new ProblemError(
				`${sentence(label)} was made with another Ledger Secret`,
				"Its key is stored wrapped with the secret it was made with, and this one cannot unwrap it, so nobody is dialled. Set the Ledger Secret of the Call Ledger Postgres credential back to the one the ledger was made with (empty if it was made with n8n's encryption key).",
			)
		: new ProblemError(
				`${sentence(label)} was made with another n8n encryption key`,
				"Its key is stored wrapped with n8n's encryption key of the n8n that made it, and this n8n's key cannot unwrap it, so nobody is dialled. Give this n8n the same N8N_ENCRYPTION_KEY as the n8n that made the ledger; when n8n instances with different keys share one ledger, set the same Ledger Secret in each one's Call Ledger Postgres credential.",
			);
}

function keyVanished(label: string, records: number): ProblemError {
	return new ProblemError(
		`The key of ${label} is missing, but the ledger still holds ${records} records`,
		"Without its key the ledger recognises nobody it called and no number on its do-not-call list, so nobody is dialled. Restore the ledger's database or file (or the row 'person_key' of voice_recruiting_ledger_meta) from a backup. Only to give its history up on purpose: remove the voice_recruiting_* tables (or the ledger file); the next run starts a new ledger.",
	);
}

const optional = (value: unknown) =>
	value === null || value === undefined ? undefined : String(value);

function toAttempt(row: SqlRow): Attempt {
	return {
		scope: String(row.scope),
		person: String(row.person),
		attempt: Number(row.attempt),
		callKey: String(row.call_key),
		claimId: String(row.claim_id),
		executionId: String(row.execution_id),
		// Postgres returns BIGINT as text.
		claimedAt: Number(row.claimed_at),
		updatedAt: Number(row.updated_at),
		outcome: String(row.outcome) as Attempt['outcome'],
		conversationId: optional(row.conversation_id),
		callSid: optional(row.call_sid),
		batchId: optional(row.batch_id),
		maskedNumber: String(row.masked_number),
	};
}

function toDoNotCall(row: SqlRow): DoNotCallEntry {
	return {
		person: String(row.person),
		maskedNumber: String(row.masked_number),
		reason: String(row.reason),
		addedAt: Number(row.added_at),
	};
}

const refWhere = 'scope = $1 AND person = $2 AND attempt = $3 AND claim_id = $4';
const refParams = (ref: AttemptRef): SqlValue[] => [
	ref.scope,
	ref.person,
	ref.attempt,
	ref.claimId,
];

/** The ledger on any SQL database that supports `ON CONFLICT` and `RETURNING`. */
export class SqlLedgerStore implements LedgerStore {
	private ready?: Promise<void>;
	private clockOffset = 0;
	private leases?: LineLeases;

	constructor(private readonly db: SqlDatabase) {}

	get lines(): LineLeases {
		this.leases ??= new LineLeases(this.db, { now: () => this.now() });
		return this.leases;
	}

	get label(): string {
		return this.db.label;
	}

	private async schema(): Promise<void> {
		this.ready ??= this.db
			.exclusive(async (tx) => {
				for (const sql of LEDGER_SCHEMA) await tx.run(sql);
			})
			.catch((error: unknown) => {
				this.ready = undefined;
				throw error;
			});
		await this.ready;
	}

	/**
	 * The person key: unwrapped from the database, made for a new ledger, or, for a ledger from
	 * before the key left the database, its stored salt wrapped (its hashes were made with it)
	 * and its masked numbers shortened. A ledger with records but no key is refused: a new key
	 * would match none of them. One transaction, so that processes that open it together agree.
	 */
	async personKey(keyring: LedgerKeyring): Promise<PersonKey> {
		const state = await this.db.exclusive(async (tx) => {
			for (const sql of LEDGER_SCHEMA) await tx.run(sql);
			const meta = new Map(
				(
					await tx.query(
						`SELECT name, value FROM ${T.meta} WHERE name IN ('person_key', 'person_salt')`,
					)
				).map((row) => [String(row.name), String(row.value)]),
			);
			const stored = meta.get('person_key');
			if (stored !== undefined) return { wrapped: stored, created: false };
			const salt = meta.get('person_salt');
			if (salt === undefined) {
				const records = await this.records(tx);
				if (records > 0) throw keyVanished(this.label, records);
			}
			const wrapped = keyring.wrap(
				salt === undefined ? LedgerKeyring.newPersonKey() : Buffer.from(salt),
			);
			await tx.run(`INSERT INTO ${T.meta} (name, value) VALUES ('person_key', $1)`, [wrapped]);
			if (salt !== undefined) {
				await tx.run(`DELETE FROM ${T.meta} WHERE name = 'person_salt'`);
				for (const table of [T.attempts, T.keys, T.doNotCall]) {
					await tx.run(
						`UPDATE ${table} SET masked_number = '•••' || substr(masked_number, length(masked_number) - 1)`,
					);
				}
			}
			return { wrapped, created: salt === undefined };
		});
		this.ready = Promise.resolve();
		const key = keyring.unwrap(state.wrapped);
		if (!key) throw wrongKey(keyring, this.label);
		return { key, ...state };
	}

	async close(): Promise<void> {
		await this.db.close();
	}

	/** The wrapped key as stored now: a process compares it with the key it holds. */
	async storedKey(): Promise<string | undefined> {
		const [row] = await this.db.query(`SELECT value FROM ${T.meta} WHERE name = 'person_key'`);
		return row ? String(row.value) : undefined;
	}

	private async records(tx: SqlQuery): Promise<number> {
		const [row] = await tx.query(
			`SELECT (SELECT COUNT(*) FROM ${T.attempts}) + (SELECT COUNT(*) FROM ${T.keys})
				+ (SELECT COUNT(*) FROM ${T.doNotCall}) AS n`,
		);
		return Number(row.n);
	}

	/** Local time on the database's clock (the offset measured by syncClock). */
	now(): number {
		return Date.now() + this.clockOffset;
	}

	/** Measures how far this process's clock is from the database's. */
	async syncClock(): Promise<void> {
		const before = Date.now();
		const db = await this.db.now();
		this.clockOffset = Math.round(db - (before + Date.now()) / 2);
	}

	async noteRetention(scope: string, days: number, at: number): Promise<void> {
		await this.schema();
		await this.db.run(
			`INSERT INTO ${T.scopes} (scope, retention_days, updated_at) VALUES ($1, $2, $3)
			 ON CONFLICT (scope) DO UPDATE SET updated_at = excluded.updated_at,
				retention_days = CASE WHEN excluded.retention_days > ${T.scopes}.retention_days
					THEN excluded.retention_days ELSE ${T.scopes}.retention_days END`,
			[scope, Math.min(Math.ceil(days), MAX_RETENTION_DAYS), at],
		);
	}

	async bindAndClaim(first: FirstClaim): Promise<{ boundTo: KeyBinding; claimed?: AttemptRef }> {
		await this.schema();
		return await this.db.transaction(async (tx) => {
			const { scope, callKey, binding, at } = first;
			const [row] = await tx.query(
				`INSERT INTO ${T.keys} (scope, call_key, person, masked_number, used_at) VALUES ($1, $2, $3, $4, $5)
				 ON CONFLICT (scope, call_key) DO UPDATE SET used_at = excluded.used_at
				 RETURNING person, masked_number`,
				[scope, callKey, binding.person, binding.maskedNumber, at],
			);
			const boundTo = { person: String(row.person), maskedNumber: String(row.masked_number) };
			if (boundTo.person !== binding.person) return { boundTo };
			const attempts = await this.attemptsOn(tx, scope, binding.person);
			// A retried transaction whose first try committed before its answer was lost.
			const mine = attempts.find((a) => a.claimId === first.claimId);
			if (mine) return { boundTo, claimed: mine };
			const claim = first.next(attempts);
			if (!claim) return { boundTo };
			return (await this.insertOn(tx, claim)) ? { boundTo, claimed: claim } : { boundTo };
		});
	}

	async attempts(scope: string, person: string): Promise<Attempt[]> {
		await this.schema();
		return await this.attemptsOn(this.db, scope, person);
	}

	private async attemptsOn(on: SqlQuery, scope: string, person: string): Promise<Attempt[]> {
		const rows = await on.query(
			`SELECT * FROM ${T.attempts} WHERE scope = $1 AND person = $2 ORDER BY attempt`,
			[scope, person],
		);
		return rows.map(toAttempt);
	}

	async batchAttempts(batchId: string): Promise<Attempt[]> {
		await this.schema();
		const rows = await this.db.query(
			`SELECT * FROM ${T.attempts} WHERE batch_id = $1 ORDER BY scope, person, attempt`,
			[batchId],
		);
		return rows.map(toAttempt);
	}

	async insertAttempt(a: Attempt): Promise<boolean> {
		await this.schema();
		return await this.insertOn(this.db, a);
	}

	private async insertOn(on: SqlQuery, a: Attempt): Promise<boolean> {
		const changed = await on.run(
			`INSERT INTO ${T.attempts} (scope, person, attempt, call_key, claim_id, execution_id, claimed_at,
				updated_at, outcome, conversation_id, call_sid, batch_id, masked_number)
			 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
			 ON CONFLICT (scope, person, attempt) DO NOTHING`,
			[
				a.scope,
				a.person,
				a.attempt,
				a.callKey,
				a.claimId,
				a.executionId,
				a.claimedAt,
				a.updatedAt,
				a.outcome,
				a.conversationId ?? null,
				a.callSid ?? null,
				a.batchId ?? null,
				a.maskedNumber,
			],
		);
		if (changed === 1) return true;
		// A retried insert whose first try committed before its answer was lost: still this claim.
		const [row] = await on.query(
			`SELECT claim_id FROM ${T.attempts} WHERE scope = $1 AND person = $2 AND attempt = $3`,
			[a.scope, a.person, a.attempt],
		);
		return row?.claim_id === a.claimId;
	}

	async settleAttempt(ref: AttemptRef, s: AttemptSettlement, at: number): Promise<void> {
		await this.relaxed(
			`UPDATE ${T.attempts} SET outcome = $5, conversation_id = $6, call_sid = $7, batch_id = $8,
				updated_at = $9, claimed_at = COALESCE($10, claimed_at)
			 WHERE ${refWhere}`,
			[
				...refParams(ref),
				s.outcome,
				s.conversationId ?? null,
				s.callSid ?? null,
				s.batchId ?? null,
				at,
				s.claimedAt ?? null,
			],
		);
	}

	async touchAttempt(ref: AttemptRef, at: number): Promise<void> {
		// Durable: another process may take over a claim whose mark looks stale.
		await this.db.run(`UPDATE ${T.attempts} SET updated_at = $5 WHERE ${refWhere}`, [
			...refParams(ref),
			at,
		]);
	}

	async releaseAttempt(ref: AttemptRef): Promise<void> {
		await this.relaxed(
			`DELETE FROM ${T.attempts} WHERE ${refWhere} AND outcome = 'claimed'`,
			refParams(ref),
		);
	}

	/** A write whose loss the stale-claim check recovers: its commit does not wait for the disk. */
	private async relaxed(sql: string, params: SqlValue[]): Promise<number> {
		return await this.db.transaction(async (tx) => await tx.run(sql, params), NOT_DURABLE);
	}

	async dropStaleClaim(ref: AttemptRef, updatedAt: number): Promise<boolean> {
		const removed = await this.db.run(
			`DELETE FROM ${T.attempts} WHERE ${refWhere} AND outcome = 'claimed' AND updated_at = $5`,
			[...refParams(ref), updatedAt],
		);
		return removed > 0;
	}

	async withdrawFromBatch(batchId: string, person: string): Promise<boolean> {
		await this.schema();
		const removed = await this.db.run(
			`DELETE FROM ${T.attempts} WHERE batch_id = $1 AND person = $2 AND outcome = 'initiated'
			 AND conversation_id IS NULL`,
			[batchId, person],
		);
		return removed > 0;
	}

	async personBatchAttempts(person: string): Promise<Attempt[]> {
		await this.schema();
		const rows = await this.db.query(
			`SELECT * FROM ${T.attempts} WHERE person = $1 AND batch_id IS NOT NULL ORDER BY claimed_at`,
			[person],
		);
		return rows.map(toAttempt);
	}

	async moveToBatch(fromBatchId: string, toBatchId: string, persons: string[]): Promise<number> {
		await this.schema();
		return await this.db.exclusive(async (tx) => {
			let moved = 0;
			for (let start = 0; start < persons.length; start += MOVE_CHUNK) {
				const chunk = persons.slice(start, start + MOVE_CHUNK);
				const list = chunk.map((_, n) => `$${n + 3}`).join(', ');
				moved += await tx.run(
					`UPDATE ${T.attempts} SET batch_id = $2 WHERE batch_id = $1 AND person IN (${list})`,
					[fromBatchId, toBatchId, ...chunk],
				);
			}
			return moved;
		});
	}

	async claimBatchReplacement(
		batchId: string,
		claimId: string,
		at: number,
	): Promise<BatchReplacement> {
		await this.schema();
		await this.db.run(
			`INSERT INTO ${T.batchReplacements} (batch_id, claim_id, claimed_at) VALUES ($1, $2, $3)
			 ON CONFLICT (batch_id) DO NOTHING`,
			[batchId, claimId, at],
		);
		const [row] = await this.db.query(`SELECT * FROM ${T.batchReplacements} WHERE batch_id = $1`, [
			batchId,
		]);
		// Dropped between the two statements: nobody holds it, so try again.
		if (!row) return await this.claimBatchReplacement(batchId, claimId, at);
		const finishedAt = optional(row.finished_at);
		return {
			batchId,
			claimId: String(row.claim_id),
			claimedAt: Number(row.claimed_at),
			finishedAt: finishedAt === undefined ? undefined : Number(finishedAt),
			replacedBy: optional(row.replaced_by),
		};
	}

	async finishBatchReplacement(
		batchId: string,
		claimId: string,
		replacedBy: string | undefined,
		at: number,
	): Promise<void> {
		await this.db.run(
			`UPDATE ${T.batchReplacements} SET finished_at = $3, replaced_by = $4
			 WHERE batch_id = $1 AND claim_id = $2`,
			[batchId, claimId, at, replacedBy ?? null],
		);
	}

	async dropBatchReplacement(batchId: string, claimId: string): Promise<void> {
		await this.db.run(
			`DELETE FROM ${T.batchReplacements} WHERE batch_id = $1 AND claim_id = $2 AND finished_at IS NULL`,
			[batchId, claimId],
		);
	}

	async doNotCall(person: string): Promise<DoNotCallEntry | undefined> {
		await this.schema();
		const [row] = await this.db.query(`SELECT * FROM ${T.doNotCall} WHERE person = $1`, [person]);
		return row ? toDoNotCall(row) : undefined;
	}

	async addDoNotCall(entry: DoNotCallEntry): Promise<{ entry: DoNotCallEntry; added: boolean }> {
		await this.schema();
		const added = await this.db.run(
			`INSERT INTO ${T.doNotCall} (person, masked_number, reason, added_at) VALUES ($1, $2, $3, $4)
			 ON CONFLICT (person) DO NOTHING`,
			[entry.person, entry.maskedNumber, entry.reason, entry.addedAt],
		);
		return { entry: (await this.doNotCall(entry.person)) ?? entry, added: added === 1 };
	}

	async removeDoNotCall(person: string): Promise<boolean> {
		await this.schema();
		return (await this.db.run(`DELETE FROM ${T.doNotCall} WHERE person = $1`, [person])) > 0;
	}

	/**
	 * Removes attempts and key bindings older than their campaign's retention; campaigns without
	 * a recorded retention keep the largest one asked for. The do-not-call list stays.
	 */
	async purge(now: number, askedDays: number): Promise<void> {
		await this.schema();
		const [row] = await this.db.query(`SELECT MAX(retention_days) AS days FROM ${T.scopes}`);
		const largest = Math.min(Math.max(askedDays, Number(row?.days ?? 0)), MAX_RETENTION_DAYS);
		for (const [table, column] of [
			[T.attempts, 'claimed_at'],
			[T.keys, 'used_at'],
		]) {
			await this.db.run(
				`DELETE FROM ${table} WHERE ${column} < CAST($1 AS BIGINT) - CAST(${DAY_MS} AS BIGINT) * COALESCE(
					(SELECT s.retention_days FROM ${T.scopes} s WHERE s.scope = ${table}.scope), CAST($2 AS INTEGER))`,
				[now, Math.ceil(largest)],
			);
		}
		for (const [table, column] of [
			[T.interviewTokens, 'issued_at'],
			[T.batchReplacements, 'claimed_at'],
		]) {
			await this.db.run(
				`DELETE FROM ${table} WHERE ${column} < CAST($1 AS BIGINT) - CAST(${DAY_MS} AS BIGINT) * CAST($2 AS INTEGER)`,
				[now, Math.ceil(largest)],
			);
		}
	}

	async recordDelivery(receiver: string, delivery: string, signedAt: number): Promise<boolean> {
		await this.schema();
		const inserted = await this.db.run(
			`INSERT INTO ${T.deliveries} (receiver, delivery, signed_at) VALUES ($1, $2, $3)
			 ON CONFLICT (receiver, delivery) DO NOTHING`,
			[receiver, delivery, signedAt],
		);
		return inserted === 1;
	}

	async forgetDeliveriesBefore(cutoff: number): Promise<void> {
		await this.schema();
		await this.db.run(`DELETE FROM ${T.deliveries} WHERE signed_at < $1`, [cutoff]);
	}

	async recordAgentBefore(record: AgentWebhookBefore): Promise<void> {
		await this.schema();
		await this.db.run(
			`INSERT INTO ${T.agentWebhooksBefore} (agent_id, webhook_id, previous, recorded_at) VALUES ($1, $2, $3, $4)
			 ON CONFLICT (agent_id, webhook_id) DO UPDATE SET previous = excluded.previous, recorded_at = excluded.recorded_at`,
			[record.agentId, record.webhookId, record.previous, record.recordedAt],
		);
	}

	async agentBefore(agentId: string, webhookId: string): Promise<AgentWebhookBefore | undefined> {
		await this.schema();
		const [row] = await this.db.query(
			`SELECT * FROM ${T.agentWebhooksBefore} WHERE agent_id = $1 AND webhook_id = $2`,
			[agentId, webhookId],
		);
		return row
			? {
					agentId: String(row.agent_id),
					webhookId: String(row.webhook_id),
					previous: String(row.previous),
					recordedAt: Number(row.recorded_at),
				}
			: undefined;
	}

	async claimInterviewToken(
		linkKey: string,
		limit: number,
		at: number,
	): Promise<number | undefined> {
		await this.schema();
		// The first free number wins; a number given back is taken again. Each insert is atomic.
		for (let seq = 1; seq <= limit; seq++) {
			const won = await this.db.run(
				`INSERT INTO ${T.interviewTokens} (link_key, seq, issued_at) VALUES ($1, $2, $3)
				 ON CONFLICT (link_key, seq) DO NOTHING`,
				[linkKey, seq, at],
			);
			if (won === 1) return seq;
		}
		return undefined;
	}

	async recordInterviewToken(linkKey: string, seq: number, conversationId: string): Promise<void> {
		await this.db.run(
			`UPDATE ${T.interviewTokens} SET conversation_id = $3 WHERE link_key = $1 AND seq = $2`,
			[linkKey, seq, conversationId],
		);
	}

	async releaseInterviewToken(linkKey: string, seq: number): Promise<void> {
		await this.db.run(
			`DELETE FROM ${T.interviewTokens} WHERE link_key = $1 AND seq = $2 AND conversation_id IS NULL`,
			[linkKey, seq],
		);
	}
}
