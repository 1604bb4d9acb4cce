/** The "Call Ledger" parameter, for every node that uses the ledger. */
import type { INodeProperties } from 'n8n-workflow';

/** What a node says of its ledger: what it records, and where the embedded one is kept. */
export interface LedgerTexts {
	description: string;
	embedded?: string;
}

/** Where the node keeps its record. */
export function ledgerOption(
	show: Record<string, string[]>,
	texts: LedgerTexts,
): INodeProperties[] {
	return [
		{
			displayName: 'Call Ledger',
			name: 'ledger',
			type: 'options',
			noDataExpression: true,
			options: [
				{
					name: 'Embedded',
					value: 'embedded',
					description:
						texts.embedded ??
						"A file in n8n's user folder, for a single n8n process. Needs no set-up; refused in queue mode.",
				},
				{
					name: 'Postgres (Queue Mode)',
					value: 'postgres',
					description:
						'A Postgres database that every n8n process reaches, with a Postgres credential',
				},
			],
			default: 'embedded',
			description: texts.description,
			displayOptions: { show },
		},
	];
}
