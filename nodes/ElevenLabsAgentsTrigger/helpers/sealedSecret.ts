/**
 * The trigger's webhook secret, sealed before it goes into the workflow's static data: n8n
 * exports static data with the workflow (public API, downloads, backups, read-only viewers),
 * while credentials stay encrypted with n8n's key. The seal's key is derived from the
 * credential's API key, so what an exported workflow holds verifies no event by itself.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const INFO = 'n8n-nodes-voice-recruiting: post-call webhook secret';

/** AES-256 key for one webhook, from the API key (HKDF-SHA256, the webhook id as salt). */
function sealKey(apiKey: string, webhookId: string): Buffer {
	return Buffer.from(hkdfSync('sha256', apiKey, webhookId, INFO, 32));
}

/** The secret encrypted and authenticated (AES-256-GCM): `v1.<iv>.<tag>.<ciphertext>`. */
export function sealSecret(apiKey: string, webhookId: string, secret: string): string {
	const iv = randomBytes(12);
	const cipher = createCipheriv('aes-256-gcm', sealKey(apiKey, webhookId), iv);
	const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
	return [VERSION, iv, cipher.getAuthTag(), sealed]
		.map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
		.join('.');
}

/** The secret again; undefined when the seal is not ours or the API key is another one. */
export function openSecret(apiKey: string, webhookId: string, sealed: string): string | undefined {
	const [version, iv, tag, data] = sealed.split('.');
	if (version !== VERSION || !iv || !tag || data === undefined) return undefined;
	try {
		const decipher = createDecipheriv(
			'aes-256-gcm',
			sealKey(apiKey, webhookId),
			Buffer.from(iv, 'base64url'),
		);
		decipher.setAuthTag(Buffer.from(tag, 'base64url'));
		return Buffer.concat([
			decipher.update(Buffer.from(data, 'base64url')),
			decipher.final(),
		]).toString('utf8');
	} catch {
		return undefined;
	}
}
