/** How a conversation reached the person: first call, retry, callback or browser */
import type { ElevenLabs } from '@elevenlabs/elevenlabs-js';

/** How a conversation reached the person: the Campaign Report's "way of reach". */
export const REACH_WAYS = ['first_call', 'retry', 'callback', 'browser'] as const;
export type ReachedVia = (typeof REACH_WAYS)[number];

/**
 * The dynamic variable Place Agent Call and Campaign (Submit, Retry) send on a repeated attempt
 * (2, 3, …).
 * The idempotency key (`user_id`) stays the same on every attempt, since it is what finds the
 * candidate's earlier calls; so the attempt number travels beside it, where ElevenLabs keeps it
 * on the conversation and in the post-call webhook.
 */
export const ATTEMPT_VARIABLE = 'call_attempt';

/** A whole number from 1 up, given as a number or as its digits (variables may arrive as text). */
function attemptNumber(value: unknown): number | undefined {
	const attempt =
		typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : NaN;
	return Number.isInteger(attempt) && attempt >= 1 ? attempt : undefined;
}

/**
 * The outbound attempt a conversation was, where the conversation says so: this package's
 * attempt variable, else the attempt ElevenLabs' own campaigns number (`cold_attempt`).
 * Undefined when neither is readable: a first attempt sends no variable, and neither does a call
 * placed by another tool, or a batch ElevenLabs re-dialled itself (it sends the first round's data).
 */
export function attemptOf(
	conversation: ElevenLabs.GetConversationResponseModel,
): number | undefined {
	const variables = conversation.conversationInitiationClientData?.dynamicVariables;
	return (
		attemptNumber(variables?.[ATTEMPT_VARIABLE]) ??
		attemptNumber(conversation.metadata?.batchCall?.campaign?.coldAttempt)
	);
}

/**
 * How the conversation reached the person, or null when it did not (`callResult` other than
 * answered: voicemail, busy, no answer, failed, or not known yet).
 * - `browser`: no phone call at all (a WebRTC or WebSocket session, e.g. the interview page);
 * - `callback`: an inbound call, the person rang the agent's number;
 * - `retry`: an outbound call on attempt 2 or later;
 * - `first_call`: an outbound first attempt, and any outbound call whose attempt cannot be read
 *   (without a number, the first attempt is the only claim the conversation supports).
 */
export function reachedVia(
	conversation: ElevenLabs.GetConversationResponseModel,
	/** The conversation's call result (conversationOutput's): only an answered call reached. */
	callResult: string | null,
): ReachedVia | null {
	if (callResult !== 'answered') return null;
	const phoneCall = conversation.metadata?.phoneCall;
	if (!phoneCall) return 'browser';
	if (phoneCall.direction === 'inbound') return 'callback';
	return (attemptOf(conversation) ?? 1) > 1 ? 'retry' : 'first_call';
}
