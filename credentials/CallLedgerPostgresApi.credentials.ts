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
	];
}
