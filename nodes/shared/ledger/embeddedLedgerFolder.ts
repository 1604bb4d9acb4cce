/** Where the embedded call ledger lives, the same folder for every node of the package that opens it. */
import { basename, dirname, join } from 'node:path';

import { defaultN8nFolder } from './ledgerKey';

const PACKAGE_NAME = 'n8n-nodes-voice-recruiting';

/**
 * n8n gives each node type its own storage folder (`<n8n folder>/storage/<node type>`). The
 * embedded ledger is one for the package, so it stays in Place Agent Call's folder, where it has
 * always been, whichever node (Place Agent Call, Callback Answer, a trigger) opens it.
 */
function agentCallFolder(storageFolder: string, packageName: string): string {
	return join(storageFolder, `${packageName}.agentCall`);
}

/** The embedded ledger's folder, from the storage path n8n gave a node of this type. */
export function embeddedLedgerFolder(nodeStoragePath: string, nodeType: string): string {
	const packageName = nodeType.includes('.') ? nodeType.slice(0, nodeType.lastIndexOf('.')) : '';
	if (!packageName || basename(nodeStoragePath) !== nodeType) return nodeStoragePath;
	return agentCallFolder(dirname(nodeStoragePath), packageName);
}

/**
 * The embedded ledger's folder for a webhook, which n8n gives no storage path: the n8n folder
 * worked out as n8n does (N8N_USER_FOLDER, else the home folder, then `.n8n`).
 */
export function webhookEmbeddedLedgerFolder(): string {
	return agentCallFolder(join(defaultN8nFolder(), 'storage'), PACKAGE_NAME);
}
