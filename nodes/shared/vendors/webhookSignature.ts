/** Verifies the signature of an ElevenLabs post-call webhook: HMAC, age and clock skew */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header ElevenLabs signs post-call webhooks with (HTTP headers are case-insensitive). */
export const SIGNATURE_HEADER = 'elevenlabs-signature';

/** ElevenLabs' own tolerance: a signature older than 30 minutes is rejected. */
export const MAX_AGE_SECONDS = 30 * 60;

/**
 * ElevenLabs checks no future timestamps at all; we allow a little clock skew between their
 * servers and the n8n host, and no more, so a captured request cannot be held back and replayed.
 */
export const MAX_FUTURE_SKEW_SECONDS = 5 * 60;

export type SignatureProblem =
	| 'no_secret'
	| 'missing_header'
	| 'malformed_header'
	| 'timestamp_too_old'
	| 'timestamp_in_future'
	| 'signature_mismatch';

export type SignatureCheck =
	| { ok: true; timestamp: number }
	| { ok: false; problem: SignatureProblem; message: string };

export interface SignatureInput {
	/** The `ElevenLabs-Signature` header as received (`t=<unix seconds>,v0=<hex>`). */
	header: string | string[] | undefined;
	/** The exact bytes of the request body: a re-serialised JSON never matches. */
	rawBody: Buffer | string;
	secret: string;
	/** Now, in milliseconds (a parameter so the check stays a pure function). */
	nowMs: number;
}

const HEX_SHA256 = /^[0-9a-f]{64}$/i;

const fail = (problem: SignatureProblem, message: string): SignatureCheck => ({
	ok: false,
	problem,
	message,
});

/**
 * Verifies an ElevenLabs post-call webhook: HMAC-SHA256 keyed with the webhook secret over
 * `"<t>.<raw body>"`, compared in constant time, with `t` no older than 30 minutes and at most
 * a small skew into the future. Several `v0=` entries (a rotated secret) pass if any matches.
 */
export function verifyWebhookSignature(input: SignatureInput): SignatureCheck {
	if (!input.secret) return fail('no_secret', 'No webhook secret is set in the credential');
	const header = Array.isArray(input.header) ? input.header[0] : input.header;
	if (!header) return fail('missing_header', 'The request has no ElevenLabs-Signature header');

	const parts = header.split(',').map((part) => part.trim());
	const timestamps = parts.filter((part) => part.startsWith('t=')).map((part) => part.slice(2));
	const signatures = parts.filter((part) => part.startsWith('v0=')).map((part) => part.slice(3));
	if (timestamps.length !== 1 || !/^\d{1,12}$/.test(timestamps[0]) || signatures.length === 0) {
		return fail(
			'malformed_header',
			'The ElevenLabs-Signature header is not of the form t=<seconds>,v0=<hex>',
		);
	}
	const timestamp = Number(timestamps[0]);
	const ageSeconds = input.nowMs / 1000 - timestamp;
	if (ageSeconds > MAX_AGE_SECONDS) {
		return fail(
			'timestamp_too_old',
			`The signature is ${Math.round(ageSeconds / 60)} minutes old (at most 30 are accepted)`,
		);
	}
	if (-ageSeconds > MAX_FUTURE_SKEW_SECONDS) {
		return fail(
			'timestamp_in_future',
			'The signature timestamp lies in the future beyond the allowed clock skew',
		);
	}

	const expected = createHmac('sha256', input.secret)
		.update(`${timestamps[0]}.`)
		.update(input.rawBody)
		.digest();
	const matches = signatures.some(
		(hex) => HEX_SHA256.test(hex) && timingSafeEqual(Buffer.from(hex, 'hex'), expected),
	);
	return matches
		? { ok: true, timestamp }
		: fail('signature_mismatch', 'The signature does not match the body and the webhook secret');
}
