/**
 * Where a claimed dial stands. `claimed`: an execution won the claim and is about to dial;
 * `initiated`: the vendor confirmed the call (or batch); `unknown`: the request was sent and no
 * clear answer came back, so the person may be on the phone. A refusal that proves nobody was
 * called deletes the claim instead of recording it.
 */
export type AttemptOutcome = 'claimed' | 'initiated' | 'unknown';

/** One attempt to reach one person in one campaign: the unit the ledger claims atomically. */
export interface Attempt {
	/** The campaign the attempt belongs to (agent and campaign name). */
	scope: string;
	/** Keyed hash of the E.164 number: the person, without the number. */
	person: string;
	/** 1 for the first attempt of this person in this scope, 2 for the next, … */
	attempt: number;
	/** The idempotency key the call carries as the conversation's user id. */
	callKey: string;
	/** Random id of the claimant, so only the winner settles or releases its claim. */
	claimId: string;
	executionId: string;
	claimedAt: number;
	/** Last sign of life of the claimant, or when the outcome was recorded. */
	updatedAt: number;
	outcome: AttemptOutcome;
	conversationId?: string;
	callSid?: string;
	batchId?: string;
	/** "+49171•••4567", for people who read the ledger. */
	maskedNumber: string;
}

export interface DoNotCallEntry {
	person: string;
	maskedNumber: string;
	reason: string;
	addedAt: number;
}

/** The person an idempotency key was first used for. */
export interface KeyBinding {
	person: string;
	maskedNumber: string;
}

export interface AttemptSettlement {
	outcome: Exclude<AttemptOutcome, 'claimed'>;
	conversationId?: string;
	callSid?: string;
	batchId?: string;
	/** When an adopted call started (a call found in the vendor's history). */
	claimedAt?: number;
}

/**
 * The shared record of who was called. Every write that decides who dials is one atomic
 * statement, so that separate processes (queue-mode workers) can use it at the same time.
 */
export interface LedgerStore {
	/** What a user reads in errors: "the embedded call ledger", "the Postgres call ledger at …". */
	readonly label: string;
	/** The secret that turns numbers into person ids; made once per store. */
	personSalt(): Promise<string>;
	/** Binds the key to the person unless it is bound already; returns whom it is bound to. */
	bindKey(scope: string, callKey: string, binding: KeyBinding, at: number): Promise<KeyBinding>;
	attempts(scope: string, person: string): Promise<Attempt[]>;
	/** Inserts the attempt unless that attempt number exists: true when this call won. */
	insertAttempt(attempt: Attempt): Promise<boolean>;
	settleAttempt(claim: AttemptRef, settlement: AttemptSettlement, at: number): Promise<void>;
	/** Marks the claim as alive (while its execution waits for a free line). */
	touchAttempt(claim: AttemptRef, at: number): Promise<void>;
	releaseAttempt(claim: AttemptRef): Promise<void>;
	doNotCall(person: string): Promise<DoNotCallEntry | undefined>;
	/** Adds the entry unless the person is listed already; returns the entry that stands. */
	addDoNotCall(entry: DoNotCallEntry): Promise<{ entry: DoNotCallEntry; added: boolean }>;
	removeDoNotCall(person: string): Promise<boolean>;
	/**
	 * Takes the next of `limit` tokens of an interview link (numbered 1 … limit) unless all are
	 * taken: the number taken, or undefined. One insert decides, so processes cannot overshoot.
	 */
	claimInterviewToken(linkKey: string, limit: number, at: number): Promise<number | undefined>;
	/** The conversation a claimed token was issued for (what results are keyed on). */
	recordInterviewToken(linkKey: string, seq: number, conversationId: string): Promise<void>;
	/** Gives a claimed token back when ElevenLabs issued none. */
	releaseInterviewToken(linkKey: string, seq: number): Promise<void>;
	/** Removes attempts and key bindings older than the cutoff; the do-not-call list stays. */
	purgeBefore(cutoff: number): Promise<void>;
}

export interface AttemptRef {
	scope: string;
	person: string;
	attempt: number;
	claimId: string;
}
