/** Credential: the Postgres database of the call ledger, shared by every n8n process */
import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * The Postgres database of the call ledger, shared by every n8n process (queue mode): often n8n's
 * own database. Tested by Place Agent Call, which connects and reads the ledger.
 */
export class CallLedgerPostgresApi implements ICredentialType {
	name = 'callLedgerPostgresApi';

	displayName = 'Call Ledger Postgres';

	icon = {
		light: 'file:../icons/callLedger.svg',
		dark: 'file:../icons/callLedger.dark.svg',
	} as const;

	documentationUrl = 'https://www.postgresql.org/docs/current/libpq-connect.html';

	properties: INodeProperties[] = [
		{ displayName: 'Host', name: 'host', type: 'string', default: 'localhost', required: true },
		{ displayName: 'Port', name: 'port', type: 'number', default: 5432 },
		{
			displayName: 'Database',
			name: 'database',
			type: 'string',
			default: 'n8n',
			description: "The ledger's tables (voice_recruiting_*) are created here on first use",
		},
		{ displayName: 'User', name: 'user', type: 'string', default: 'n8n' },
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
		},
		{
			displayName: 'SSL',
			name: 'ssl',
			type: 'options',
			options: [
				{ name: 'Disable', value: 'disable' },
				{ name: 'Require', value: 'require' },
			],
			default: 'disable',
		},
		{
			displayName: 'Ignore SSL Issues (Insecure)',
			name: 'ignoreSslIssues',
			type: 'boolean',
			default: false,
			description: 'Whether to connect even if the server’s certificate cannot be verified',
			displayOptions: { show: { ssl: ['require'] } },
		},
		{
			displayName: 'Ledger Secret',
			name: 'ledgerSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				"Leave empty to derive the ledger's key from n8n's encryption key (N8N_ENCRYPTION_KEY, the same on every process in queue mode). Set it (at least 32 random characters, e.g. openssl rand -hex 32) when n8n instances with different encryption keys share this ledger: the same value in each. The database never holds it; a ledger made with one key refuses another.",
		},
	];
}
