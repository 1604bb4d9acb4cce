/** n8n's folder for the ledger tests, with the `config` file n8n writes on its first start. */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** Writes n8n's config (its encryption key) into the folder, as n8n does when it first starts. */
export function writeN8nConfig(n8nFolder: string): string {
	const config = path.join(n8nFolder, 'config');
	if (!existsSync(config)) {
		mkdirSync(n8nFolder, { recursive: true });
		writeFileSync(config, JSON.stringify({ encryptionKey: randomBytes(24).toString('base64') }));
	}
	return n8nFolder;
}

/** The n8n folder of this test process (N8N_USER_FOLDER, set by test/setup.js), with its key. */
export const processN8nFolder = () =>
	writeN8nConfig(path.join(process.env.N8N_USER_FOLDER!, '.n8n'));

/** Another n8n's folder, with a key of its own. */
export const otherN8nFolder = () =>
	writeN8nConfig(path.join(mkdtempSync(path.join(tmpdir(), 'vr-n8n-')), '.n8n'));
