import { createHmac, randomUUID } from 'node:crypto';

import { decideAttempt } from './decideAttempt';
import type { AttemptPolicy, Reach, SkipStatus } from './decideAttempt';
import type {
	AgentWebhookBefore,
	Attempt,
	AttemptRef,
	DoNotCallEntry,
	KeyBinding,
	LedgerStore,
} from './types';

export interface ClaimRequest {
	/** The campaign: agent and campaign name. */
	scope: string;
	callKey: string;
	e164: string;
	maskedNumber: string;
	executionId: string;
	policy: AttemptPolicy;
	/** Whether the last call reached the person (the vendor's history); asked only when needed. */
	reachOf(last: Attempt): Promise<Reach>;
	/** How long to wait for another execution that is dialling the same person right now. */
	waitForOthersMs: number;
	signal?: AbortSignal;
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
	constructor(
		private readonly store: LedgerStore,
		readonly ref: AttemptRef,
	) {}

	get attempt(): number {
		return this.ref.attempt;
	}

	async initiated(ids: {
		conversationId?: string;
		callSid?: string;
		batchId?: string;
	}): Promise<void> {
		await this.store.settleAttempt(this.ref, { outcome: 'initiated', ...ids }, Date.now());
	}

	/** The request was sent and no clear answer came: the claim stays, nobody dials again. */
	async unknown(): Promise<void> {
		await this.store.settleAttempt(this.ref, { outcome: 'unknown' }, Date.now());
	}

	/** A call found in the vendor's history that the ledger did not know: recorded as this attempt. */
	async adopt(
		conversationId: string | undefined,
		batchId: string | undefined,
		startedAt: number,
	): Promise<void> {
		await this.store.settleAttempt(
			this.ref,
			{ outcome: 'initiated', conversationId, batchId, claimedAt: startedAt },
			Date.now(),
		);
	}

	/** Nobody was called (refused, or not dialled after all): the person may be claimed again. */
	async release(): Promise<void> {
		await this.store.releaseAttempt(this.ref);
	}

	/** Keeps the claim fresh while the execution waits for a free line. */
	async alive(): Promise<void> {
		await this.store.touchAttempt(this.ref, Date.now());
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
		private readonly salt: string,
	) {}

	static async open(store: LedgerStore): Promise<CallLedger> {
		return new CallLedger(store, await store.personSalt());
	}

	get label(): string {
		return this.store.label;
	}

	/** The person id of a number: a keyed hash, so the ledger never holds the number itself. */
	person(e164: string): string {
		return createHmac('sha256', this.salt).update(e164).digest('hex').slice(0, 40);
	}

	async claim(req: ClaimRequest): Promise<ClaimResult> {
		const person = this.person(req.e164);
		const listed = await this.store.doNotCall(person);
		if (listed) return { kind: 'doNotCall', entry: listed };
		const binding = await this.store.bindKey(
			req.scope,
			req.callKey,
			{ person, maskedNumber: req.maskedNumber },
			Date.now(),
		);
		if (binding.person !== person) return { kind: 'conflict', boundTo: binding };

		const waitUntil = Date.now() + req.waitForOthersMs;
		for (let round = 0; round < MAX_ROUNDS; ) {
			const attempts = await this.store.attempts(req.scope, person);
			let decision = decideAttempt(attempts, req.policy, Date.now(), req.executionId);
			if (decision.kind === 'checkReach') {
				const reach = await req.reachOf(decision.last);
				decision = decideAttempt(attempts, req.policy, Date.now(), req.executionId, reach);
			}
			switch (decision.kind) {
				case 'claim': {
					round++;
					const ref = {
						scope: req.scope,
						person,
						attempt: decision.attempt,
						claimId: randomUUID(),
					};
					const now = Date.now();
					const won = await this.store.insertAttempt({
						...ref,
						callKey: req.callKey,
						executionId: req.executionId,
						claimedAt: now,
						updatedAt: now,
						outcome: 'claimed',
						maskedNumber: req.maskedNumber,
					});
					if (won) return { kind: 'claimed', claim: new Claim(this.store, ref) };
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

	async doNotCall(e164: string): Promise<DoNotCallEntry | undefined> {
		return await this.store.doNotCall(this.person(e164));
	}

	async addDoNotCall(
		e164: string,
		maskedNumber: string,
		reason: string,
	): Promise<{ entry: DoNotCallEntry; added: boolean }> {
		return await this.store.addDoNotCall({
			person: this.person(e164),
			maskedNumber,
			reason,
			addedAt: Date.now(),
		});
	}

	async removeDoNotCall(e164: string): Promise<boolean> {
		return await this.store.removeDoNotCall(this.person(e164));
	}

	async purgeBefore(cutoff: number): Promise<void> {
		await this.store.purgeBefore(cutoff);
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
