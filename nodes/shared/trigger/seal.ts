/** AES-256-GCM for what a trigger keeps in the workflow's static data, which n8n exports in plain text. */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** The text encrypted and authenticated under a 32-byte key: iv, tag and ciphertext, base64url. */
export function seal(key: Buffer, text: string): string[] {
	const iv = randomBytes(12);
	const cipher = createCipheriv('aes-256-gcm', key, iv);
	const sealed = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
	return [iv, cipher.getAuthTag(), sealed].map((part) => part.toString('base64url'));
}

/** The text again; undefined when it was sealed under another key or is damaged. */
export function unseal(key: Buffer, [iv, tag, data]: string[]): string | undefined {
	try {
		const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
		decipher.setAuthTag(Buffer.from(tag, 'base64url'));
		return Buffer.concat([
			decipher.update(Buffer.from(data, 'base64url')),
			decipher.final(),
		]).toString('utf8');
	} catch {
		return undefined;
	}
}
