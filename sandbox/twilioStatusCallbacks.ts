/**
 * Twilio's call status callbacks for calls created with `StatusCallback`: form-encoded POSTs,
 * signed with `X-Twilio-Signature` (HMAC-SHA1 with the account's auth token, as Twilio's own
 * helper computes it), for the events asked for in `StatusCallbackEvent` (Twilio's default:
 * `completed` only). The call's progress follows the conversation it carries: ringing, answered
 * when the agent picks up, completed (or busy, no-answer, failed) when it ends. Delivery is once,
 * in order; a target that fails is recorded, not retried.
 */
import twilio from 'twilio';

import type { ConversationRecord, ConversationStatus } from './conversations';

export type StatusCallbackEvent = 'initiated' | 'ringing' | 'answered' | 'completed';

export interface StatusCallbackTarget {
	url: string;
	/** GET or POST (Twilio's default). */
	method: string;
	events: ReadonlySet<StatusCallbackEvent>;
	authToken: string;
	/** The call's fields every callback carries (CallSid, AccountSid, From, To, …). */
	fields: Record<string, string>;
}

export interface StatusCallbackDelivery {
	url: string;
	params: Record<string, string>;
	status?: number;
	error?: string;
}

const EVENTS: readonly StatusCallbackEvent[] = ['initiated', 'ringing', 'answered', 'completed'];

/** `StatusCallbackEvent` values of the request (several, or space-separated); Twilio's default is completed. */
export function requestedEvents(value: unknown): Set<StatusCallbackEvent> {
	const values = (
		Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]
	).map(String);
	const named = values
		.flatMap((entry) => entry.split(/\s+/))
		.filter((value): value is StatusCallbackEvent => (EVENTS as readonly string[]).includes(value));
	return new Set(named.length ? named : ['completed']);
}

/** The events a conversation's step means for its Twilio call, with the call's status then. */
export function eventsFor(
	status: ConversationStatus,
	previous: ConversationStatus | undefined,
	callStatus: string,
): Array<[StatusCallbackEvent, string]> {
	if (!previous)
		return [
			['initiated', 'queued'],
			['ringing', 'ringing'],
		];
	if (status === 'in-progress') return [['answered', 'in-progress']];
	if (
		(status === 'processing' || status === 'failed' || status === 'done') &&
		(previous === 'initiated' || previous === 'in-progress')
	) {
		return [['completed', callStatus]];
	}
	return [];
}

export class StatusCallbacks {
	readonly deliveries: StatusCallbackDelivery[] = [];
	private queue: Promise<void> = Promise.resolve();
	private sequence = new Map<string, number>();

	constructor(private readonly nowSeconds: () => number) {}

	/** Queues the callbacks of one step of the call; they go out one after another, in order. */
	notify(
		target: StatusCallbackTarget,
		conversation: ConversationRecord,
		events: Array<[StatusCallbackEvent, string]>,
	): void {
		for (const [event, callStatus] of events) {
			if (!target.events.has(event)) continue;
			const callSid = target.fields.CallSid;
			const sequenceNumber = this.sequence.get(callSid) ?? 0;
			this.sequence.set(callSid, sequenceNumber + 1);
			const params: Record<string, string> = {
				...target.fields,
				CallStatus: callStatus,
				CallbackSource: 'call-progress-events',
				SequenceNumber: String(sequenceNumber),
				Timestamp: new Date(this.nowSeconds() * 1000).toUTCString(),
				...(event === 'completed'
					? {
							CallDuration: String(conversation.callDurationSecs),
							Duration: String(Math.ceil(conversation.callDurationSecs / 60)),
						}
					: {}),
			};
			this.queue = this.queue.then(() => this.deliver(target, params));
		}
	}

	/** Resolves once every queued callback was sent. */
	async flush(): Promise<void> {
		await this.queue;
	}

	private async deliver(
		target: StatusCallbackTarget,
		params: Record<string, string>,
	): Promise<void> {
		const sent = await postSignedForm(target.url, target.method, params, target.authToken);
		this.deliveries.push({ url: target.url, params, ...sent });
	}
}

/**
 * One request as Twilio sends its webhooks: form-encoded (or as query for GET), signed with
 * `X-Twilio-Signature` over the URL and the parameters. Answers the status, or why it failed.
 */
export async function postSignedForm(
	url: string,
	method: string,
	params: Record<string, string>,
	authToken: string,
): Promise<{ status?: number; error?: string; body?: string }> {
	const get = method.toUpperCase() === 'GET';
	const target = get ? `${url}${url.includes('?') ? '&' : '?'}${new URLSearchParams(params)}` : url;
	try {
		const response = await fetch(target, {
			method: get ? 'GET' : 'POST',
			headers: {
				'x-twilio-signature': twilio.getExpectedTwilioSignature(
					authToken,
					target,
					get ? {} : params,
				),
				...(get ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
				'user-agent': 'TwilioProxy/1.1',
			},
			...(get ? {} : { body: new URLSearchParams(params).toString() }),
			signal: AbortSignal.timeout(15_000),
		});
		return { status: response.status, body: await response.text() };
	} catch (error) {
		return { error: error instanceof Error ? error.message : String(error) };
	}
}
