/**
 * The secret request header that authenticates ElevenLabs' calls to the initiation webhook. It is
 * derived from the credential's API key and the webhook URL, so it is never stored: activation
 * and every request compute the same value. What the trigger must keep of someone else's
 * webhook (to give it back on deactivation) is kept encrypted with a key derived the same way.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

import { seal, unseal } from '../../shared/trigger/seal';

/** The request header ElevenLabs sends with the secret (header names are case-insensitive). */
export const CALLBACK_SECRET_HEADER = 'x-voice-recruiting-callback-secret';

const derive = (apiKey: string, purpose: string, webhookUrl: string) =>
	createHmac('sha256', apiKey).update(`${purpose}\n${webhookUrl}`).digest();

/** The header value for this webhook URL: 64 hex characters, the same on every n8n process. */
export function callbackSecret(apiKey: string, webhookUrl: string): string {
	return derive(apiKey, 'conversation-initiation-webhook', webhookUrl).toString('hex');
}

/** Whether the received header carries the secret, compared in constant time. */
export function secretMatches(received: string | string[] | undefined, expected: string): boolean {
	const value = Array.isArray(received) ? received[0] : received;
	if (!value || !expected) return false;
	// Digests of equal length, so that the comparison takes the same time for any input.
	const digest = (text: string) => createHmac('sha256', 'compare').update(text).digest();
	return timingSafeEqual(digest(value), digest(expected));
}

/** AES-256-GCM under a key derived from the API key: `iv.tag.ciphertext`, base64url. */
export function sealForStaticData(apiKey: string, webhookUrl: string, value: unknown): string {
	return seal(derive(apiKey, 'static-data', webhookUrl), JSON.stringify(value)).join('.');
}

/** The sealed value, or undefined when it was sealed under another key or is damaged. */
export function openFromStaticData(apiKey: string, webhookUrl: string, sealed: string): unknown {
	const [iv, tag, data] = sealed.split('.');
	if (iv === undefined || tag === undefined || data === undefined) return undefined;
	const text = unseal(derive(apiKey, 'static-data', webhookUrl), [iv, tag, data]);
	// Authenticated, so it is the JSON that was sealed.
	return text === undefined ? undefined : JSON.parse(text);
}
