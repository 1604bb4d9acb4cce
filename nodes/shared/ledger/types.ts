/** Call ledger types: attempts, do-not-call entries, and the store every backend implements */
import type { LineLeases } from './lineLeases';
import type { LedgerKeyring } from './ledgerKey';

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
	/** "•••67" (the last two digits), for people who read the ledger. */
	maskedNumber: string;
}

/** One execution's replacement of a batch: until `finishedAt`, others wait for it. */
export interface BatchReplacement {
	batchId: string;
	claimId: string;
	claimedAt: number;
	finishedAt?: number;
	/** The batch the rest of the recipients were submitted in; none when nobody was left. */
	replacedBy?: string;
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

/** A claim's first try: the key's binding and, if free, the next attempt in one commit. */
export interface FirstClaim {
	scope: string;
	callKey: string;
	binding: KeyBinding;
	/** The claim's id: a retried transaction whose first try committed finds its claim by it. */
	claimId: string;
	at: number;
	/** The claim to insert (outcome `claimed`), decided on the person's attempts; undefined: none now. */
	next(attempts: Attempt[]): Attempt | undefined;
}

/**
 * The shared record of who was called. Every write that decides who dials is one atomic
 * statement, so that separate processes (queue-mode workers) can use it at the same time.
 */
export interface LedgerStore {
	/** What a user reads in errors: "the embedded call ledger", "the Postgres call ledger at …". */
	readonly label: string;
	/**
	 * The secret that turns numbers into person ids: made once per store, kept there only
	 * wrapped by the keyring's secret; a store with records and no key is refused.
	 */
	personKey(keyring: LedgerKeyring): Promise<PersonKey>;
	/** The wrapped key as stored now, to tell whether it changed under a running process. */
	storedKey(): Promise<string | undefined>;
	/** Lets go of the database (connections, file). */
	close(): Promise<void>;
	/** Now on the store's clock, shared by every process that uses the store. */
	now(): number;
	/** Measures this process's clock against the store's (now() uses it). */
	syncClock(): Promise<void>;
	/** The agents' lines as leases in the same database, on the store's clock. */
	readonly lines: LineLeases;
	/** Records a campaign's retention; the largest one asked for a campaign stands. */
	noteRetention(scope: string, days: number, at: number): Promise<void>;
	/**
	 * In one transaction (one durable commit): binds the key to the person unless it is bound
	 * already and, when it is the person's and `next` picks an attempt number from their
	 * attempts, claims that attempt. Returns whom the key is bound to and the claim, if won.
	 */
	bindAndClaim(first: FirstClaim): Promise<{ boundTo: KeyBinding; claimed?: AttemptRef }>;
	attempts(scope: string, person: string): Promise<Attempt[]>;
	/** Every attempt a batch (campaign) was recorded with: whom it claimed, in which campaign. */
	batchAttempts(batchId: string): Promise<Attempt[]>;
	/** Inserts the attempt unless that attempt number exists: true when this call won. */
	insertAttempt(attempt: Attempt): Promise<boolean>;
	/**
	 * Records the claim's outcome; not a durable commit: a settle lost to a power cut leaves the
	 * claim open, and a stale claim is settled from the vendor's history.
	 */
	settleAttempt(claim: AttemptRef, settlement: AttemptSettlement, at: number): Promise<void>;
	/** Marks the claim as alive (while its execution waits for a free line). */
	touchAttempt(claim: AttemptRef, at: number): Promise<void>;
	/** Gives an unsent claim up; not durable (a lost release leaves a stale claim, taken over). */
	releaseAttempt(claim: AttemptRef): Promise<void>;
	/**
	 * Removes a claim nobody settled, unless its claimant marked it alive after `updatedAt` (it
	 * lives after all): true when it was removed.
	 */
	dropStaleClaim(claim: AttemptRef, updatedAt: number): Promise<boolean>;
	/** Removes the person's attempt in a batch that never dialled them (cancelled): true if it did. */
	withdrawFromBatch(batchId: string, person: string): Promise<boolean>;
	/** The person's attempts in batches (campaigns), in every scope, oldest first. */
	personBatchAttempts(person: string): Promise<Attempt[]>;
	/**
	 * Moves these people's attempts of one batch to another (a batch resubmitted under a new id),
	 * all or none: how many moved.
	 */
	moveToBatch(fromBatchId: string, toBatchId: string, persons: string[]): Promise<number>;
	/**
	 * Claims the replacement of a batch (cancel, resubmit of the rest) unless another execution
	 * holds it: the claim that stands, this one when `claimId` won.
	 */
	claimBatchReplacement(batchId: string, claimId: string, at: number): Promise<BatchReplacement>;
	/** Records the claim's end: the batch that replaced it, if any. */
	finishBatchReplacement(
		batchId: string,
		claimId: string,
		replacedBy: string | undefined,
		at: number,
	): Promise<void>;
	/** Gives the claim up when the batch was left as it was: another execution may replace it. */
	dropBatchReplacement(batchId: string, claimId: string): Promise<void>;
	doNotCall(person: string): Promise<DoNotCallEntry | undefined>;
	/** Adds the entry unless the person is listed already; returns the entry that stands. */
	addDoNotCall(entry: DoNotCallEntry): Promise<{ entry: DoNotCallEntry; added: boolean }>;
	removeDoNotCall(person: string): Promise<boolean>;
	/**
	 * Removes attempts and key bindings older than their campaign's retention (the largest
	 * asked for where none is recorded); the do-not-call list stays.
	 */
	purge(now: number, askedDays: number): Promise<void>;
	/** Records a trigger's delivery unless it is recorded already: true for the first copy. */
	recordDelivery(receiver: string, delivery: string, signedAt: number): Promise<boolean>;
	/** Forgets deliveries signed before the cutoff. */
	forgetDeliveriesBefore(cutoff: number): Promise<void>;
	/** Records (or replaces) what an agent had before a trigger attached its webhook. */
	recordAgentBefore(record: AgentWebhookBefore): Promise<void>;
	agentBefore(agentId: string, webhookId: string): Promise<AgentWebhookBefore | undefined>;
	/**
	 * Takes the next of `limit` tokens of an interview link (numbered 1 … limit) unless all are
	 * taken: the number taken, or undefined. One insert decides, so processes cannot overshoot.
	 */
	claimInterviewToken(linkKey: string, limit: number, at: number): Promise<number | undefined>;
	/** The conversation a claimed token was issued for (what results are keyed on). */
	recordInterviewToken(linkKey: string, seq: number, conversationId: string): Promise<void>;
	/** Gives a claimed token back when ElevenLabs issued none. */
	releaseInterviewToken(linkKey: string, seq: number): Promise<void>;
}

/** The ledger's person key as its store keeps it (wrapped), and whether it was made now. */
export interface PersonKey {
	key: Buffer;
	wrapped: string;
	created: boolean;
}

/** What an agent had (`previous`, its webhook setting as JSON) before a trigger attached `webhookId`. */
export interface AgentWebhookBefore {
	agentId: string;
	webhookId: string;
	previous: string;
	recordedAt: number;
}

export interface AttemptRef {
	scope: string;
	person: string;
	attempt: number;
	claimId: string;
}
