// The Call Ledger Postgres credential's test, for every node that offers the credential.
import type {
	ICredentialTestFunctions,
	ICredentialsDecrypted,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { openLedger } from './openLedger';
import type { PostgresCredential } from './postgresDatabase';
import { redact } from '../vendors/redact';

/** The credential test of "Call Ledger Postgres": connects, creates the tables, reads them. */
export async function callLedgerConnection(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const postgres = (credential.data ?? {}) as PostgresCredential;
	try {
		const opened = await openLedger({ kind: 'postgres', postgres }, Number.MAX_SAFE_INTEGER);
		if (!opened.ok) return { status: 'Error', message: opened.message };
		await opened.value.doNotCall('+10000000000');
		return { status: 'OK', message: `Connected: ${opened.value.label}` };
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);
		return {
			status: 'Error',
			message: `Could not use the database: ${redact(message, [String(postgres.password ?? '')])}`,
		};
	}
}
