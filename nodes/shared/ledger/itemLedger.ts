/** The call ledger of an item (parameters Call Ledger and Ledger Retention), for every node that claims in it. */
import { dirname } from 'node:path';

import type { IExecuteFunctions } from 'n8n-workflow';

import { toNodeError } from '../n8n/problems';
import { redact } from '../vendors/redact';
import type { CallLedger } from './callLedger';
import { embeddedLedgerFolder } from './embeddedLedgerFolder';
import { POSTGRES_CREDENTIAL, openLedger } from './openLedger';
import type { LedgerKind, LedgerLocation } from './openLedger';
import type { PostgresCredential } from './postgresDatabase';

const DEFAULT_RETENTION_DAYS = 180;

function errorText(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/** The ledger cannot be read or written: nothing is dialled without its answer. */
export function ledgerUnavailable(
	ctx: IExecuteFunctions,
	label: string,
	error: unknown,
	itemIndex: number,
	secrets: string[] = [],
) {
	return toNodeError(
		ctx.getNode(),
		{
			message: `Could not reach ${label}, so nobody was called`,
			hint: `The node never dials without the ledger's check. Check that the database runs and that the credential is right, then run again. ${redact(errorText(error), secrets)}`,
		},
		itemIndex,
	);
}

/** The campaign a claim belongs to: the agent and the node's Campaign name. */
export function ledgerScope(ctx: IExecuteFunctions, agentId: string, i: number): string {
	const campaign = ctx.getNodeParameter('campaign', i, '');
	return `${agentId}\n${typeof campaign === 'string' ? campaign.trim() : String(campaign ?? '')}`;
}

/** Which call ledger an item claims in, as its parameters say. */
export interface LedgerChoice {
	kind: LedgerKind;
	/** Ledger Retention (Days), or its default when not usable. */
	retentionDays: number;
	/** Start a New Embedded Ledger. */
	startNew: boolean;
}

/** The item's parameters Call Ledger, Ledger Retention and Start a New Embedded Ledger. */
export function readLedgerChoice(ctx: IExecuteFunctions, itemIndex: number): LedgerChoice {
	const kind = ctx.getNodeParameter('ledger', itemIndex, 'embedded') as LedgerKind;
	const retention = Number(
		ctx.getNodeParameter('options.ledgerRetentionDays', itemIndex, DEFAULT_RETENTION_DAYS),
	);
	return {
		kind,
		retentionDays:
			Number.isFinite(retention) && retention >= 1 ? retention : DEFAULT_RETENTION_DAYS,
		startNew:
			kind !== 'postgres' && ctx.getNodeParameter('startNewLedger', itemIndex, false) === true,
	};
}

/** The chosen call ledger: opened once per process and database, checked before any dial. */
export async function openItemLedger(
	ctx: IExecuteFunctions,
	choice: LedgerChoice,
	itemIndex: number,
): Promise<CallLedger> {
	const { kind } = choice;
	let location: LedgerLocation;
	let secrets: string[] = [];
	// n8n's folder (its storage path is <n8n folder>/storage/<node type>): the encryption key.
	const storagePath = ctx.helpers.getStoragePath();
	const n8nFolder = dirname(dirname(storagePath));
	if (kind === 'postgres') {
		const postgres = await ctx.getCredentials<PostgresCredential>(POSTGRES_CREDENTIAL, itemIndex);
		secrets = [String(postgres.password ?? ''), String(postgres.ledgerSecret ?? '')];
		location = { kind, postgres, n8nFolder };
	} else {
		// n8n's own setting, read as n8n reads it: the embedded ledger is per process.
		location = {
			kind: 'embedded',
			storagePath: embeddedLedgerFolder(storagePath, ctx.getNode().type),
			executionsMode: process.env.EXECUTIONS_MODE,
			n8nFolder,
			startNew: choice.startNew,
		};
	}
	const label = kind === 'postgres' ? 'the Postgres call ledger' : 'the embedded call ledger';
	const opened = await openLedger(location, choice.retentionDays, ctx.logger).catch(
		(error: unknown) => {
			throw ledgerUnavailable(ctx, label, error, itemIndex, secrets);
		},
	);
	if (!opened.ok) throw toNodeError(ctx.getNode(), opened, itemIndex);
	return opened.value;
}

/** The item's call ledger, by its own parameters. */
export async function itemLedger(ctx: IExecuteFunctions, itemIndex: number): Promise<CallLedger> {
	return await openItemLedger(ctx, readLedgerChoice(ctx, itemIndex), itemIndex);
}
