import { randomBytes } from 'node:crypto';

import type {
	Attempt,
	AttemptRef,
	AttemptSettlement,
	DoNotCallEntry,
	KeyBinding,
	LedgerStore,
} from './types';

export type SqlValue = string | number | null;
export type SqlRow = Record<string, unknown>;

/**
 * What a database offers the ledger. Statements use `$1, $2, …` placeholders; each call is
 * one statement, which the database runs atomically.
 */
export interface SqlDatabase {
	readonly label: string;
	query(sql: string, params?: SqlValue[]): Promise<SqlRow[]>;
	/** Runs the statement and returns how many rows it changed. */
	run(sql: string, params?: SqlValue[]): Promise<number>;
	/** Runs the schema statements once, with other processes that do the same kept waiting. */
	migrate(statements: string[]): Promise<void>;
}

const T = {
	meta: 'voice_recruiting_ledger_meta',
	attempts: 'voice_recruiting_call_attempts',
	keys: 'voice_recruiting_call_keys',
	doNotCall: 'voice_recruiting_do_not_call',
	interviewTokens: 'voice_recruiting_interview_tokens',
};

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
	`CREATE TABLE IF NOT EXISTS ${T.interviewTokens} (
		link_key TEXT NOT NULL,
		seq INTEGER NOT NULL,
		conversation_id TEXT,
		issued_at BIGINT NOT NULL,
		PRIMARY KEY (link_key, seq)
	)`,
];

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

	constructor(private readonly db: SqlDatabase) {}

	get label(): string {
		return this.db.label;
	}

	private async schema(): Promise<void> {
		this.ready ??= this.db.migrate(LEDGER_SCHEMA).catch((error: unknown) => {
			this.ready = undefined;
			throw error;
		});
		await this.ready;
	}

	async personSalt(): Promise<string> {
		await this.schema();
		await this.db.run(
			`INSERT INTO ${T.meta} (name, value) VALUES ('person_salt', $1) ON CONFLICT (name) DO NOTHING`,
			[randomBytes(32).toString('hex')],
		);
		const [row] = await this.db.query(`SELECT value FROM ${T.meta} WHERE name = 'person_salt'`);
		return String(row.value);
	}

	async bindKey(
		scope: string,
		callKey: string,
		binding: KeyBinding,
		at: number,
	): Promise<KeyBinding> {
		await this.schema();
		const [row] = await this.db.query(
			`INSERT INTO ${T.keys} (scope, call_key, person, masked_number, used_at) VALUES ($1, $2, $3, $4, $5)
			 ON CONFLICT (scope, call_key) DO UPDATE SET used_at = excluded.used_at
			 RETURNING person, masked_number`,
			[scope, callKey, binding.person, binding.maskedNumber, at],
		);
		return { person: String(row.person), maskedNumber: String(row.masked_number) };
	}

	async attempts(scope: string, person: string): Promise<Attempt[]> {
		await this.schema();
		const rows = await this.db.query(
			`SELECT * FROM ${T.attempts} WHERE scope = $1 AND person = $2 ORDER BY attempt`,
			[scope, person],
		);
		return rows.map(toAttempt);
	}

	async insertAttempt(a: Attempt): Promise<boolean> {
		await this.schema();
		const changed = await this.db.run(
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
		return changed === 1;
	}

	async settleAttempt(ref: AttemptRef, s: AttemptSettlement, at: number): Promise<void> {
		await this.db.run(
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
		await this.db.run(`UPDATE ${T.attempts} SET updated_at = $5 WHERE ${refWhere}`, [
			...refParams(ref),
			at,
		]);
	}

	async releaseAttempt(ref: AttemptRef): Promise<void> {
		await this.db.run(
			`DELETE FROM ${T.attempts} WHERE ${refWhere} AND outcome = 'claimed'`,
			refParams(ref),
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

	async purgeBefore(cutoff: number): Promise<void> {
		await this.schema();
		await this.db.run(`DELETE FROM ${T.interviewTokens} WHERE issued_at < $1`, [cutoff]);
		await this.db.run(`DELETE FROM ${T.attempts} WHERE claimed_at < $1`, [cutoff]);
		await this.db.run(`DELETE FROM ${T.keys} WHERE used_at < $1`, [cutoff]);
	}
}
