// The note in n8n's storage folder that an embedded ledger exists there, so that a vanished ledger file is noticed.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * In n8n's storage folder, outside the ledger's own folder (so it outlives the file it notes),
 * where a Docker volume keeps it with the ledger.
 */
const markerPath = (n8nFolder: string) => join(n8nFolder, 'storage', 'call-ledger-history.json');

export interface LedgerMark {
	/** The fingerprint of the ledger's key (keyFingerprint): tells a replaced file. */
	fingerprint: string;
	since: string;
}

type Marks = Record<string, LedgerMark>;

function readMarks(n8nFolder: string): Marks {
	const path = markerPath(n8nFolder);
	return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Marks) : {};
}

/** What this n8n noted about the ledger file, if it ever had one there. */
export function ledgerMark(n8nFolder: string, file: string): LedgerMark | undefined {
	return readMarks(n8nFolder)[file];
}

/** Notes the ledger file and its key; written whole and renamed, so a crash leaves the old note. */
export function markLedger(n8nFolder: string, file: string, mark: LedgerMark): void {
	const path = markerPath(n8nFolder);
	mkdirSync(dirname(path), { recursive: true });
	const next = `${path}.${process.pid}.tmp`;
	writeFileSync(next, `${JSON.stringify({ ...readMarks(n8nFolder), [file]: mark }, null, 2)}\n`);
	renameSync(next, path);
}
