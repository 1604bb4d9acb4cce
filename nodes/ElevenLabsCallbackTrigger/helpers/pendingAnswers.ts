/**
 * The initiation requests waiting for their answer in this n8n process. The trigger holds
 * ElevenLabs' request open and registers it here with a deadline; the workflow's Callback Answer
 * node settles it with the candidate's data, and the deadline settles it with the generic intake
 * when the workflow is slow, fails or never answers. Whatever comes first is sent, once.
 */
import { randomUUID } from 'node:crypto';

export type InitiationAnswerBody = Record<string, unknown>;

interface Pending {
	send(body: InitiationAnswerBody): void;
	generic: InitiationAnswerBody;
	timer: NodeJS.Timeout;
	receivedAt: number;
}

const pending = new Map<string, Pending>();

/** How long the trigger waits for the workflow's answer before it sends the generic intake. */
export const DEFAULT_ANSWER_WITHIN_MS = 2000;

/** The option's budget: the default when it is not set, else kept within 200 ms and 10 s. */
export function answerBudgetMs(option: unknown): number {
	const value = option === undefined || option === null || option === '' ? NaN : Number(option);
	if (!Number.isFinite(value)) return DEFAULT_ANSWER_WITHIN_MS;
	return Math.min(Math.max(value, 200), 10_000);
}

/** What became of an answer the workflow gave. */
export type Settled = { inTime: true; elapsedMs: number } | { inTime: false };

/**
 * Holds a request: `send` writes the answer to ElevenLabs; after `budgetMs` the generic answer is
 * sent. Returns the id the workflow answers by.
 */
export function holdRequest(
	send: (body: InitiationAnswerBody) => void,
	generic: InitiationAnswerBody,
	budgetMs: number,
	now = Date.now(),
): string {
	const id = randomUUID();
	const timer = setTimeout(() => settle(id, generic), budgetMs);
	timer.unref();
	pending.set(id, { send, generic, timer, receivedAt: now });
	return id;
}

/** Sends the answer if the request still waits for one. */
export function settle(id: string, body: InitiationAnswerBody): Settled {
	const held = pending.get(id);
	if (!held) return { inTime: false };
	pending.delete(id);
	clearTimeout(held.timer);
	try {
		held.send(body);
	} catch {
		// ElevenLabs hung up already: nothing to answer any more.
		return { inTime: false };
	}
	return { inTime: true, elapsedMs: Date.now() - held.receivedAt };
}

/** Sends the generic intake the trigger prepared for this request (unknown or listed caller). */
export function settleGeneric(id: string): Settled {
	const held = pending.get(id);
	return held ? settle(id, held.generic) : { inTime: false };
}
