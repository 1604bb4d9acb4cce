/** The call ledger: one atomic claim per attempt before any dial, so only the winner dials */
import { createHmac, randomUUID } from 'node:crypto';

import { decideAttempt } from './decideAttempt';
import type { AttemptPolicy, ReachReport, SkipStatus } from './decideAttempt';
import { keyFingerprint } from './ledgerKey';
import type { LedgerKeyring } from './ledgerKey';
import { ledgerMask } from './mask';
import type {
	AgentWebhookBefore,
	Attempt,
	AttemptRef,
	BatchReplacement,
	DoNotCallEntry,
	KeyBinding,
	LedgerStore,
	PersonKey,
} from './types';

export interface ClaimRequest {
	/** The campaign: agent and campaign name. */
	scope: string;
	callKey: string;
	e164: string;
	/** @deprecated Not stored: the ledger keeps its own shorter mask of `e164` (ledgerMask). */
	maskedNumber?: string;
	executionId: string;
	policy: AttemptPolicy;
	/** Whether the last call reached the person (the vendor's history); asked only when needed. */
	reachOf(last: Attempt): Promise<ReachReport>;
	/**
	 * The call a claim whose execution died placed, as the vendor's history knows it (asked only
	 * past the staleness); undefined when it placed none. Without it, such a claim counts as a
	 * call that may have been placed.
	 */
	callOfStaleClaim?(last: Attempt): Promise<FoundCall | undefined>;
	/** How long to wait for another execution that is dialling the same person right now. */
	waitForOthersMs: number;
	signal?: AbortSignal;
}

/** A call found in the vendor's history: its conversation or campaign (batch), and its start. */
export interface FoundCall {
	conversationId?: string;
	batchId?: string;
	startedAt: number;
}

export type ClaimResult =
	| { kind: 'claimed'; claim: Claim }
	| { kind: 'doNotCall'; entry: DoNotCallEntry }
	| {
			kind: 'skipped';
			status: SkipStatus;
			last: Attempt;
			attempts: number;
			nextAttemptAfter?: number;
	  }
	/** This execution tried before and does not know whether that call was placed. */
	| { kind: 'ownUnknown'; last: Attempt }
	/** The key was used for another number: the item names one candidate with two numbers. */
	| { kind: 'conflict'; boundTo: KeyBinding };

const WAIT_POLL_MS = 250;
/** Enough rounds for every realistic race; a loop beyond it means the store misbehaves. */
const MAX_ROUNDS = 50;

/** How long a trigger remembers a delivery after it was signed: longer than ElevenLabs retries. */
export const DELIVERY_MEMORY_MS = 7 * 86_400_000;
const DELIVERY_PURGE_EVERY_MS = 3_600_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A won claim: the one execution that may dial this person now. */
export class Claim {
	/** Settled, or its dial request went out: only the outcome may change it now. */
	private closed = false;

	constructor(
		private readonly store: LedgerStore,
		readonly ref: AttemptRef,
	) {}

	get attempt(): number {
		return this.ref.attempt;
	}

	/** Neither settled nor dialled: nobody was called on this claim (yet). */
	get unsent(): boolean {
		return !this.closed;
	}

	/** The dial request went out: a run that ends now must not release this claim. */
	sent(): void {
		this.closed = true;
	}

	async initiated(ids: {
		conversationId?: string;
		callSid?: string;
		batchId?: string;
	}): Promise<void> {
		this.closed = true;
		await this.store.settleAttempt(this.ref, { outcome: 'initiated', ...ids }, this.store.now());
	}

	/** The request was sent and no clear answer came: the claim stays, nobody dials again. */
	async unknown(): Promise<void> {
		this.closed = true;
		await this.store.settleAttempt(this.ref, { outcome: 'unknown' }, this.store.now());
	}

	/** A call found in the vendor's history that the ledger did not know: recorded as this attempt. */
	async adopt(
		conversationId: string | undefined,
		batchId: string | undefined,
		startedAt: number,
	): Promise<void> {
		this.closed = true;
		await this.store.settleAttempt(
			this.ref,
			{ outcome: 'initiated', conversationId, batchId, claimedAt: startedAt },
			this.store.now(),
		);
	}

	/** Nobody was called (refused, or not dialled after all): the person may be claimed again. */
	async release(): Promise<void> {
		this.closed = true;
		await this.store.releaseAttempt(this.ref);
	}

	/** Keeps the claim fresh while the execution waits for a free line. */
	async alive(): Promise<void> {
		await this.store.touchAttempt(this.ref, this.store.now());
	}
}

/**
 * The shared record of who was called, on one store. Before any dial an execution claims the
 * person's next attempt with one atomic insert; only the winner dials.
 */
export class CallLedger {
	private deliveriesPurgedAt = 0;

	private constructor(
		readonly store: LedgerStore,
		private readonly key: PersonKey,
		/** The retention of the node that uses this ledger (the campaigns it claims in). */
		readonly retentionDays: number,
		/** Campaigns whose retention this process recorded already. */
		private readonly noted: Set<string>,
	) {}

	/** Opens the ledger on a store: its person key (unwrapped with the keyring), its clock. */
	static async open(
		store: LedgerStore,
		keyring: LedgerKeyring,
		retentionDays: number,
	): Promise<CallLedger> {
		const key = await store.personKey(keyring);
		await store.syncClock();
		return new CallLedger(store, key, retentionDays, new Set());
	}

	/** The same ledger for a node with another retention. */
	withRetention(days: number): CallLedger {
		return days === this.retentionDays
			? this
			: new CallLedger(this.store, this.key, days, this.noted);
	}

	get label(): string {
		return this.store.label;
	}

	/** Whether this process made the ledger's key (a new ledger). */
	get created(): boolean {
		return this.key.created;
	}

	/** The key as its store keeps it (wrapped): changed under this process, the key is stale. */
	get wrappedKey(): string {
		return this.key.wrapped;
	}

	/** Tells this ledger's key from another's; reveals nothing of it. */
	get fingerprint(): string {
		return keyFingerprint(this.key.key);
	}

	/** Now on the ledger's clock (the database's): the same for every worker. */
	now(): number {
		return this.store.now();
	}

	/** The person id of a number: a keyed hash, so the ledger never holds the number itself. */
	person(e164: string): string {
		return createHmac('sha256', this.key.key).update(e164).digest('hex').slice(0, 40);
	}

	private async noteRetention(scope: string): Promise<void> {
		const noted = `${scope}\n${this.retentionDays}`;
		if (this.noted.has(noted)) return;
		await this.store.noteRetention(scope, this.retentionDays, this.now());
		this.noted.add(noted);
	}

	async claim(req: ClaimRequest): Promise<ClaimResult> {
		const person = this.person(req.e164);
		const listed = await this.store.doNotCall(person);
		if (listed) return { kind: 'doNotCall', entry: listed };
		const maskedNumber = ledgerMask(req.e164);
		await this.noteRetention(req.scope);
		const claimed = (ref: AttemptRef): ClaimResult => ({
			kind: 'claimed',
			claim: new Claim(this.store, ref),
		});
		/** The row of a claim of this attempt number, now. */
		const claimOf = (attempt: number, claimId = randomUUID()): Attempt => {
			const now = this.now();
			return {
				scope: req.scope,
				person,
				attempt,
				claimId,
				callKey: req.callKey,
				executionId: req.executionId,
				claimedAt: now,
				updatedAt: now,
				outcome: 'claimed',
				maskedNumber,
			};
		};
		// The common case, a person free to call, in one commit: the key's binding and the claim.
		const claimId = randomUUID();
		const first = await this.store.bindAndClaim({
			scope: req.scope,
			callKey: req.callKey,
			binding: { person, maskedNumber },
			claimId,
			at: this.now(),
			next: (attempts) => {
				const decision = decideAttempt(attempts, req.policy, this.now(), req.executionId);
				return decision.kind === 'claim' ? claimOf(decision.attempt, claimId) : undefined;
			},
		});
		if (first.boundTo.person !== person) return { kind: 'conflict', boundTo: first.boundTo };
		if (first.claimed) return claimed(first.claimed);

		const waitUntil = Date.now() + req.waitForOthersMs;
		for (let round = 0; round < MAX_ROUNDS; ) {
			const attempts = await this.store.attempts(req.scope, person);
			let decision = decideAttempt(attempts, req.policy, this.now(), req.executionId);
			if (decision.kind === 'checkReach') {
				const { reach, startedAt } = await req.reachOf(decision.last);
				decision = decideAttempt(
					attempts,
					req.policy,
					this.now(),
					req.executionId,
					reach,
					startedAt,
				);
			}
			switch (decision.kind) {
				case 'claim': {
					round++;
					const claim = claimOf(decision.attempt);
					if (await this.store.insertAttempt(claim)) return claimed(claim);
					break; // Another execution took this attempt a moment ago: read again.
				}
				case 'wait':
					if (Date.now() >= waitUntil || req.signal?.aborted) {
						return {
							kind: 'skipped',
							status: 'already_called',
							last: decision.last,
							attempts: attempts.length,
						};
					}
					await sleep(WAIT_POLL_MS);
					break;
				case 'checkStale': {
					round++;
					const { last } = decision;
					if (!req.callOfStaleClaim) {
						return { kind: 'skipped', status: 'already_called', last, attempts: attempts.length };
					}
					const ref = { scope: req.scope, person, attempt: last.attempt, claimId: last.claimId };
					const found = await req.callOfStaleClaim(last);
					// Its call, recorded on its claim: the next round asks whether it reached the person.
					if (found) {
						const { conversationId, batchId, startedAt } = found;
						await this.store.settleAttempt(
							ref,
							{ outcome: 'initiated', conversationId, batchId, claimedAt: startedAt },
							this.now(),
						);
					} else {
						// Its claimant died before dialling: the attempt is free again (one insert decides who takes it).
						await this.store.dropStaleClaim(ref, last.updatedAt);
					}
					break;
				}
				case 'ownUnknown':
					return { kind: 'ownUnknown', last: decision.last };
				case 'skip': {
					const { status, last, nextAttemptAfter } = decision;
					return { kind: 'skipped', status, last, attempts: attempts.length, nextAttemptAfter };
				}
				default:
					throw new Error(`Unexpected ledger decision ${decision.kind}`);
			}
		}
		throw new Error(`${this.label} did not settle a claim after ${MAX_ROUNDS} rounds`);
	}

	/** A batch recipient the batch will never dial (cancelled before their turn): claimable again. */
	async withdrawFromBatch(batchId: string, e164: string): Promise<boolean> {
		return await this.store.withdrawFromBatch(batchId, this.person(e164));
	}

	/**
	 * Records a call the person made to the agent (a callback) as their next attempt in the
	 * campaign, settled as initiated with the user id the conversation carries. A campaign's next
	 * claim then asks the vendor whether that conversation reached the person, as for its own
	 * calls, and holds them back as already_called when it did. Never blocks on a dialling claim:
	 * the callback simply takes the next attempt number.
	 */
	async recordInbound(call: {
		scope: string;
		e164: string;
		maskedNumber: string;
		/** The conversation's user id: what a campaign's claim looks the conversation up by. */
		callKey: string;
		executionId: string;
		callSid?: string;
	}): Promise<{ attempt: number }> {
		const person = this.person(call.e164);
		for (let round = 0; round < MAX_ROUNDS; round++) {
			const attempts = await this.store.attempts(call.scope, person);
			const now = this.now();
			const attempt = (attempts.at(-1)?.attempt ?? 0) + 1;
			const won = await this.store.insertAttempt({
				scope: call.scope,
				person,
				attempt,
				callKey: call.callKey,
				claimId: randomUUID(),
				executionId: call.executionId,
				claimedAt: now,
				updatedAt: now,
				outcome: 'initiated',
				callSid: call.callSid,
				maskedNumber: call.maskedNumber,
			});
			if (won) return { attempt };
		}
		throw new Error(`${this.label} did not record the callback after ${MAX_ROUNDS} rounds`);
	}

	/** The person's attempts in batches (campaigns) of any campaign, oldest first. */
	async personBatchAttempts(e164: string): Promise<Attempt[]> {
		return await this.store.personBatchAttempts(this.person(e164));
	}

	/** Records that these numbers' claims in one batch now belong to its replacement: all or none. */
	async moveToBatch(fromBatchId: string, toBatchId: string, e164s: string[]): Promise<number> {
		const persons = e164s.map((e164) => this.person(e164));
		return await this.store.moveToBatch(fromBatchId, toBatchId, persons);
	}

	/**
	 * Claims the replacement of a batch for this execution: `won`, or the claim of the execution
	 * that replaces (or replaced) it.
	 */
	async claimBatchReplacement(batchId: string): Promise<{ won: boolean } & BatchReplacement> {
		const claimId = randomUUID();
		const stands = await this.store.claimBatchReplacement(batchId, claimId, this.now());
		return { ...stands, won: stands.claimId === claimId };
	}

	/** The replacement's end (the new batch, if any): executions that waited for it go on. */
	async finishBatchReplacement(claim: BatchReplacement, replacedBy?: string): Promise<void> {
		await this.store.finishBatchReplacement(claim.batchId, claim.claimId, replacedBy, this.now());
	}

	/** Gives a replacement up that changed nothing: another execution may try it. */
	async dropBatchReplacement(claim: BatchReplacement): Promise<void> {
		await this.store.dropBatchReplacement(claim.batchId, claim.claimId);
	}

	/** The attempts recorded for a batch (campaign), to retry it in the campaigns it claimed in. */
	async batchAttempts(batchId: string): Promise<Attempt[]> {
		return await this.store.batchAttempts(batchId);
	}

	async doNotCall(e164: string): Promise<DoNotCallEntry | undefined> {
		return await this.store.doNotCall(this.person(e164));
	}

	/** `_displayed` is not stored: the ledger keeps its own shorter mask (ledgerMask). */
	async addDoNotCall(
		e164: string,
		_displayed: string,
		reason: string,
	): Promise<{ entry: DoNotCallEntry; added: boolean }> {
		return await this.store.addDoNotCall({
			person: this.person(e164),
			maskedNumber: ledgerMask(e164),
			reason,
			addedAt: this.now(),
		});
	}

	async removeDoNotCall(e164: string): Promise<boolean> {
		return await this.store.removeDoNotCall(this.person(e164));
	}

	/** Removes what is older than its campaign's retention (this node's for unrecorded ones). */
	async purge(): Promise<void> {
		await this.store.purge(this.now(), this.retentionDays);
	}

	/**
	 * Whether this is the first copy of a trigger's delivery (`receiver`: the trigger, `delivery`:
	 * the event): one atomic insert, so of two copies at the same moment, in any process, one
	 * wins. Memory is kept by the signed time; older deliveries are forgotten once an hour.
	 */
	async firstDelivery(receiver: string, delivery: string, signedAtMs: number): Promise<boolean> {
		const now = Date.now();
		if (now - this.deliveriesPurgedAt >= DELIVERY_PURGE_EVERY_MS) {
			this.deliveriesPurgedAt = now;
			await this.store.forgetDeliveriesBefore(now - DELIVERY_MEMORY_MS);
		}
		return await this.store.recordDelivery(receiver, delivery, signedAtMs);
	}

	/** Records what an agent had before a trigger attached its webhook. */
	async recordAgentBefore(record: AgentWebhookBefore): Promise<void> {
		await this.store.recordAgentBefore(record);
	}

	async agentBefore(agentId: string, webhookId: string): Promise<AgentWebhookBefore | undefined> {
		return await this.store.agentBefore(agentId, webhookId);
	}
}
