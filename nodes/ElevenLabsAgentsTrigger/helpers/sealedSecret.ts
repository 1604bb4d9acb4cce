/**
 * The trigger's webhook secret, sealed before it goes into the workflow's static data: n8n
 * exports static data with the workflow (public API, downloads, backups, read-only viewers),
 * while credentials stay encrypted with n8n's key. The seal's key is derived from the
 * credential's API key, so what an exported workflow holds verifies no event by itself.
 */
import { hkdfSync } from 'node:crypto';

import { seal, unseal } from '../../shared/trigger/seal';

const VERSION = 'v1';
const INFO = 'n8n-nodes-voice-recruiting: post-call webhook secret';

/** AES-256 key for one webhook, from the API key (HKDF-SHA256, the webhook id as salt). */
function sealKey(apiKey: string, webhookId: string): Buffer {
	return Buffer.from(hkdfSync('sha256', apiKey, webhookId, INFO, 32));
}

/** The secret encrypted and authenticated (AES-256-GCM): `v1.<iv>.<tag>.<ciphertext>`. */
export function sealSecret(apiKey: string, webhookId: string, secret: string): string {
	return [VERSION, ...seal(sealKey(apiKey, webhookId), secret)].join('.');
}

/** The secret again; undefined when the seal is not ours or the API key is another one. */
export function openSecret(apiKey: string, webhookId: string, sealed: string): string | undefined {
	const [version, iv, tag, data] = sealed.split('.');
	if (version !== VERSION || !iv || !tag || data === undefined) return undefined;
	return unseal(sealKey(apiKey, webhookId), [iv, tag, data]);
}
