/** A trigger's call ledger, chosen by its "Call Ledger" parameter (one per trigger, no item). */
import type { IHookFunctions, IWebhookFunctions } from 'n8n-workflow';

import type { Checked } from '../n8n/problems';
import type { CallLedger } from './callLedger';
import { POSTGRES_CREDENTIAL, openLedger } from './openLedger';
import type { LedgerKind, LedgerLocation } from './openLedger';
import type { PostgresCredential } from './postgresDatabase';

/**
 * The ledger the trigger's parameter names: Postgres with the node's ledger credential, else the
 * embedded one at `embedded` (n8n gives a trigger no storage folder, so the trigger says where).
 * A location that cannot work is a problem value; a store that cannot be reached throws.
 */
export async function openTriggerLedger(
	ctx: IHookFunctions | IWebhookFunctions,
	embedded: LedgerLocation,
	retentionDays?: number,
): Promise<Checked<CallLedger>> {
	const kind = ctx.getNodeParameter('ledger', 'embedded') as LedgerKind;
	const location: LedgerLocation =
		kind === 'postgres'
			? { kind, postgres: await ctx.getCredentials<PostgresCredential>(POSTGRES_CREDENTIAL) }
			: embedded;
	return await openLedger(location, retentionDays);
}
