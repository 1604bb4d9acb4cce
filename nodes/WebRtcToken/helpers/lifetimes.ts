/**
 * How long what ElevenLabs issues stays valid. The API does not say (its answers carry no
 * expiry), so these are the documented lifetimes: "valid for 10 minutes" for conversation tokens
 * (ElevenLabs' React Native and Kotlin SDK docs) and "expires after 15 minutes" for signed URLs
 * (Agents Platform authentication docs).
 */
export const TOKEN_LIFETIME_MS = 10 * 60 * 1000;
export const SIGNED_URL_LIFETIME_MS = 15 * 60 * 1000;

/**
 * When it expires, counted from the moment the request was sent: ElevenLabs issues it after
 * that, so the real expiry is never earlier than this.
 */
export function expiresAt(requestSentAtMs: number, lifetimeMs: number): string {
	return new Date(requestSentAtMs + lifetimeMs).toISOString();
}
