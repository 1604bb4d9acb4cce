// The ledger's person key kept out of its database: wrapped with a key derived from n8n's encryption key (or the credential's Ledger Secret).
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

import { ProblemError } from '../n8n/problems';

/** Where the secret that wraps the person key comes from, for messages. */
export type KeySource = 'ledgerSecret' | 'n8nEncryptionKey';

/** n8n's folder (`~/.n8n`), found as n8n finds it: N8N_USER_FOLDER, else the home folder. */
export function defaultN8nFolder(env: NodeJS.ProcessEnv = process.env): string {
	return join(env.N8N_USER_FOLDER || homedir(), '.n8n');
}

/**
 * n8n's encryption key, read as n8n reads it: N8N_ENCRYPTION_KEY (or the file N8N_ENCRYPTION_KEY_FILE
 * names), else the `encryptionKey` n8n wrote into the `config` file of its folder on first start.
 * n8n refuses to start when both exist and differ, and queue mode needs it on every process.
 */
export function n8nEncryptionKey(
	n8nFolder: string,
	env: NodeJS.ProcessEnv = process.env,
): string | undefined {
	if (env.N8N_ENCRYPTION_KEY) return env.N8N_ENCRYPTION_KEY;
	if (env.N8N_ENCRYPTION_KEY_FILE) return readFileSync(env.N8N_ENCRYPTION_KEY_FILE, 'utf8').trim();
	const config = join(n8nFolder, 'config');
	if (!existsSync(config)) return undefined;
	const { encryptionKey } = JSON.parse(readFileSync(config, 'utf8')) as { encryptionKey?: unknown };
	return typeof encryptionKey === 'string' && encryptionKey ? encryptionKey : undefined;
}

const WRAP_PREFIX = 'v1:';
const MIN_LEDGER_SECRET_LENGTH = 32;

/**
 * Wraps and unwraps the ledger's person key (AES-256-GCM with a key derived by HKDF): the
 * database holds only the wrapped form, useless without n8n's encryption key or the Ledger Secret.
 * GCM's tag is the fingerprint: another secret cannot unwrap it and says so.
 */
export class LedgerKeyring {
	private readonly wrapKey: Buffer;

	constructor(
		secret: string,
		readonly source: KeySource,
	) {
		this.wrapKey = Buffer.from(
			hkdfSync('sha256', secret, 'n8n-nodes-voice-recruiting', 'call ledger person key v1', 32),
		);
	}

	/** The secret configured for this process: the credential's Ledger Secret, else n8n's key. */
	static find(ledgerSecret: string | undefined, n8nFolder: string): LedgerKeyring {
		if (ledgerSecret) {
			if (ledgerSecret.length < MIN_LEDGER_SECRET_LENGTH) {
				throw new ProblemError(
					`The Ledger Secret of the Call Ledger Postgres credential is shorter than ${MIN_LEDGER_SECRET_LENGTH} characters`,
					"A short key can be guessed, and with it every number in the ledger. Use a random one (openssl rand -hex 32), or leave it empty to use n8n's encryption key.",
				);
			}
			return new LedgerKeyring(ledgerSecret, 'ledgerSecret');
		}
		const n8nKey = n8nEncryptionKey(n8nFolder);
		if (!n8nKey) {
			throw new ProblemError(
				"The call ledger could not find n8n's encryption key",
				`The ledger's key is derived from it. Set N8N_ENCRYPTION_KEY (the same on every n8n process), or start n8n once so that it writes ${join(n8nFolder, 'config')}.`,
			);
		}
		return new LedgerKeyring(n8nKey, 'n8nEncryptionKey');
	}

	static newPersonKey(): Buffer {
		return randomBytes(32);
	}

	wrap(personKey: Buffer): string {
		const iv = randomBytes(12);
		const cipher = createCipheriv('aes-256-gcm', this.wrapKey, iv);
		const body = Buffer.concat([cipher.update(personKey), cipher.final()]);
		return WRAP_PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
	}

	/** The person key, or undefined when this secret is not the one that wrapped it. */
	unwrap(wrapped: string): Buffer | undefined {
		if (!wrapped.startsWith(WRAP_PREFIX)) return undefined;
		const bytes = Buffer.from(wrapped.slice(WRAP_PREFIX.length), 'base64');
		try {
			const decipher = createDecipheriv('aes-256-gcm', this.wrapKey, bytes.subarray(0, 12));
			decipher.setAuthTag(bytes.subarray(12, 28));
			return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]);
		} catch {
			return undefined;
		}
	}
}

/** A short public fingerprint of a person key: tells two keys apart, reveals nothing of either. */
export function keyFingerprint(personKey: Buffer): string {
	return createHmac('sha256', personKey).update('fingerprint').digest('hex').slice(0, 16);
}
