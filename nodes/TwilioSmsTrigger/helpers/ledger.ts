/**
 * The call ledger the trigger writes the do-not-call list into: the same one Place Agent Call
 * uses. n8n gives a webhook no storage path of its own, so the embedded ledger is found where n8n
 * keeps Place Agent Call's storage (`<n8n folder>/storage/<node type>`), with the n8n folder
 * worked out as n8n does (N8N_USER_FOLDER, else the home folder, then `.n8n`).
 */
import { join } from 'node:path';

import type { IWebhookFunctions } from 'n8n-workflow';

import type { CallLedger } from '../../shared/ledger/callLedger';
import { defaultN8nFolder } from '../../shared/ledger/ledgerKey';
import { openLedger, POSTGRES_CREDENTIAL } from '../../shared/ledger/openLedger';
import type { LedgerKind, LedgerLocation } from '../../shared/ledger/openLedger';
import type { PostgresCredential } from '../../shared/ledger/postgresDatabase';
import type { Checked } from '../../shared/problems';

const AGENT_CALL_TYPE = 'n8n-nodes-voice-recruiting.agentCall';
const RETENTION_DAYS = 180;

function agentCallStoragePath(): string {
	return join(defaultN8nFolder(), 'storage', AGENT_CALL_TYPE);
}

export async function triggerLedger(ctx: IWebhookFunctions): Promise<Checked<CallLedger>> {
	const kind = ctx.getNodeParameter('ledger', 'embedded') as LedgerKind;
	const location: LedgerLocation =
		kind === 'postgres'
			? {
					kind,
					postgres: await ctx.getCredentials<PostgresCredential>(POSTGRES_CREDENTIAL),
				}
			: {
					kind: 'embedded',
					storagePath: agentCallStoragePath(),
					executionsMode: process.env.EXECUTIONS_MODE,
				};
	return await openLedger(location, RETENTION_DAYS);
}
