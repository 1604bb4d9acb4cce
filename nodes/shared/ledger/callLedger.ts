import { createHmac, randomUUID } from 'node:crypto';

import { decideAttempt } from './decideAttempt';
import type { AttemptPolicy, Reach, SkipStatus } from './decideAttempt';
import type { Attempt, AttemptRef, DoNotCallEntry, KeyBinding, LedgerStore } from './types';

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
			const now = Date.now();
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
}
