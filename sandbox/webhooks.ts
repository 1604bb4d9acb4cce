/**
 * ElevenLabs post-call webhooks: signing exactly as ElevenLabs does (`ElevenLabs-Signature:
 * t=…,v0=…`, HMAC-SHA256 over `<t>.<raw body>`) and a sender that delivers them to the
 * configured URL (again after a transient failure when the webhook's retries are on),
 * recording every delivery.
 */
import { createHmac } from 'node:crypto';

import { ElevenLabs } from '@elevenlabs/elevenlabs-js';

import type { Clock } from './clock';

export const SIGNATURE_HEADER = 'ElevenLabs-Signature';

/** `t=<unix seconds>,v0=<hex HMAC-SHA256 of "<t>.<raw body>">`, keyed with the webhook secret. */
export function signElevenLabsWebhook(
	rawBody: string,
	secret: string,
	timestampSeconds: number,
): string {
	const digest = createHmac('sha256', secret)
		.update(`${timestampSeconds}.${rawBody}`)
		.digest('hex');
	return `t=${timestampSeconds},v0=${digest}`;
}

/** The `type` field of a post-call webhook body. */
export type WebhookPayloadType =
	| 'post_call_transcription'
	| 'post_call_audio'
	| 'call_initiation_failure';

/** Which workspace webhook event setting switches each payload type on. */
export const EVENT_FOR_TYPE: Record<WebhookPayloadType, ElevenLabs.WebhookEventType> = {
	post_call_transcription: 'transcript',
	post_call_audio: 'audio',
	call_initiation_failure: 'call_initiation_failure',
};

export interface WebhookConfig {
	url: string;
	secret: string;
	/** Enabled events (default: transcript and call_initiation_failure; audio is opt-in, as at ElevenLabs). */
	events?: ElevenLabs.WebhookEventType[];
	/** The webhook's `retry_enabled`: a 5xx, 429 or timeout is sent again, signed anew. */
	retry?: boolean;
}

export const DEFAULT_WEBHOOK_EVENTS: ElevenLabs.WebhookEventType[] = [
	'transcript',
	'call_initiation_failure',
];

/** A ready-to-send webhook request: the exact bytes and headers ElevenLabs would send. */
export interface SignedWebhook {
	rawBody: string;
	headers: Record<string, string>;
}

export function buildSignedWebhook(
	type: WebhookPayloadType,
	data: unknown,
	secret: string,
	timestampSeconds: number,
): SignedWebhook {
	const rawBody = JSON.stringify({ type, event_timestamp: timestampSeconds, data });
	return {
		rawBody,
		headers: {
			'content-type': 'application/json',
			[SIGNATURE_HEADER]: signElevenLabsWebhook(rawBody, secret, timestampSeconds),
		},
	};
}

export interface WebhookDelivery {
	seq: number;
	type: WebhookPayloadType;
	url: string;
	rawBody: string;
	signature: string;
	sentAt: Date;
	/** HTTP status of the receiver's answer; undefined when the request failed. */
	status?: number;
	/** ElevenLabs expects 200; anything else counts as a failed delivery (not retried). */
	ok: boolean;
	/** The receiver's answer (first 2000 characters). */
	responseBody?: string;
	error?: string;
	durationMs?: number;
}

const DELIVERY_TIMEOUT_MS = 10_000;
/** ElevenLabs publishes no retry schedule; here a few quick attempts, so tests stay short. */
const RETRIES = 3;
const RETRY_PAUSE_MS = 300;

/** What ElevenLabs counts as transient: a 5xx, a 429, no answer in time. */
const transient = (delivery: WebhookDelivery) =>
	delivery.status === undefined || delivery.status === 429 || delivery.status >= 500;

export class WebhookSender {
	private current: WebhookConfig | undefined;
	private log: WebhookDelivery[] = [];
	private seq = 0;
	private waiters: Array<() => void> = [];

	constructor(private readonly clock: Clock) {}

	configure(config: WebhookConfig | undefined): void {
		if (config) {
			new URL(config.url); // fail early on a malformed URL
			const known: string[] = Object.values(ElevenLabs.WebhookEventType);
			const unknown = (config.events ?? []).filter((event) => !known.includes(event));
			if (unknown.length > 0)
				throw new Error(
					`Unknown webhook events: ${unknown.join(', ')} (known: ${known.join(', ')})`,
				);
		}
		this.current = config && { ...config, events: config.events ?? [...DEFAULT_WEBHOOK_EVENTS] };
	}

	get config(): WebhookConfig | undefined {
		return this.current;
	}

	/** Whether a payload of this type would be sent now (to `target`, else the configured URL). */
	enabled(type: WebhookPayloadType, target = this.current): boolean {
		return Boolean(target?.events?.includes(EVENT_FOR_TYPE[type]));
	}

	/**
	 * Sends one webhook and records the delivery; with the webhook's retries on, a transient
	 * failure is sent again (each attempt recorded). `target` is the agent's own post-call
	 * webhook, when it selects one; else the configured URL. Resolves to the last attempt, or
	 * undefined when there is no URL or the event type is not enabled.
	 */
	async send(
		type: WebhookPayloadType,
		data: unknown,
		target?: WebhookConfig,
	): Promise<WebhookDelivery | undefined> {
		const config = target ?? this.current;
		if (!config || !this.enabled(type, config)) return undefined;
		let delivery = await this.attempt(type, data, config);
		for (let retry = 0; config.retry && retry < RETRIES && transient(delivery); retry++) {
			await new Promise((resolve) => setTimeout(resolve, RETRY_PAUSE_MS));
			delivery = await this.attempt(type, data, config);
		}
		return delivery;
	}

	private async attempt(
		type: WebhookPayloadType,
		data: unknown,
		config: WebhookConfig,
	): Promise<WebhookDelivery> {
		const signed = buildSignedWebhook(type, data, config.secret, this.clock.nowSeconds());
		const delivery: WebhookDelivery = {
			seq: ++this.seq,
			type,
			url: config.url,
			rawBody: signed.rawBody,
			signature: signed.headers[SIGNATURE_HEADER],
			sentAt: new Date(),
			ok: false,
		};
		const started = Date.now();
		try {
			const response = await fetch(config.url, {
				method: 'POST',
				headers: signed.headers,
				body: signed.rawBody,
				signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
			});
			delivery.status = response.status;
			delivery.ok = response.status === 200;
			delivery.responseBody = (await response.text()).slice(0, 2000);
		} catch (error) {
			delivery.error =
				error instanceof Error
					? `${error.message}${error.cause ? ` (${String(error.cause)})` : ''}`
					: String(error);
		}
		delivery.durationMs = Date.now() - started;
		this.log.push(delivery);
		for (const wake of this.waiters.splice(0)) wake();
		return delivery;
	}

	deliveries(): WebhookDelivery[] {
		return [...this.log];
	}

	/** Resolves with the first delivery (past or future) that matches. */
	async waitFor(
		match: WebhookPayloadType | ((delivery: WebhookDelivery) => boolean),
		timeoutMs = 10_000,
	): Promise<WebhookDelivery> {
		const test =
			typeof match === 'string' ? (delivery: WebhookDelivery) => delivery.type === match : match;
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const found = this.log.find(test);
			if (found) return found;
			const left = deadline - Date.now();
			if (left <= 0) throw new Error(`No matching webhook delivery within ${timeoutMs} ms`);
			await new Promise<void>((resolve) => {
				const timer = setTimeout(resolve, left);
				this.waiters.push(() => {
					clearTimeout(timer);
					resolve();
				});
			});
		}
	}

	clear(): void {
		this.log = [];
	}
}
