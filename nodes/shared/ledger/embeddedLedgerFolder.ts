/** Where the embedded call ledger lives, the same folder for every node of the package that opens it. */
import { basename, dirname, join } from 'node:path';

/**
 * n8n gives each node type its own storage folder (`<n8n folder>/storage/<node type>`). The
 * embedded ledger is one for the package, so it stays in Place Agent Call's folder, where it has
 * always been, whichever node (Place Agent Call, Callback Answer) opens it.
 */
export function embeddedLedgerFolder(nodeStoragePath: string, nodeType: string): string {
	const packageName = nodeType.includes('.') ? nodeType.slice(0, nodeType.lastIndexOf('.')) : '';
	if (!packageName || basename(nodeStoragePath) !== nodeType) return nodeStoragePath;
	return join(dirname(nodeStoragePath), `${packageName}.agentCall`);
}
