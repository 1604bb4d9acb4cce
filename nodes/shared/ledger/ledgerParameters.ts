/** The ledger's parameters of the nodes that claim in it: which ledger, a new embedded one, the attempt budget. */
import type { INodeProperties } from 'n8n-workflow';

import { ledgerOption } from './ledgerOption';

/** Where the node records who was called: shown for every operation that dials or reads the list. */
export function ledgerProperties(show: Record<string, string[]>): INodeProperties[] {
	return [
		...ledgerOption(show, {
			description:
				'Where the node records, before it dials, who was called, so that nobody is called twice, the do-not-call list holds and attempts are counted. Every workflow that calls the same people must use the same ledger.',
		}),
		{
			displayName: 'Start a New Embedded Ledger',
			name: 'startNewLedger',
			type: 'boolean',
			noDataExpression: true,
			default: false,
			description:
				'Whether to start a new, empty embedded ledger when the one this n8n had is gone or was replaced. Switch it on for one run, on purpose: who was called before and the do-not-call list are lost with the old file.',
			displayOptions: { show: { ...show, ledger: ['embedded'] } },
		},
	];
}

/** The attempt budget of a campaign, in the options of Place and Submit. */
export const attemptOptions: INodeProperties[] = [
	{
		displayName: 'Max Attempts',
		name: 'maxAttempts',
		type: 'number',
		typeOptions: { minValue: 1, numberPrecision: 0 },
		default: 3,
		description:
			'How often one person may be called in this campaign (same agent and campaign name) when earlier calls did not reach them. Further items come out with status "attempts_exhausted".',
	},
	{
		displayName: 'Hours Between Attempts',
		name: 'hoursBetweenAttempts',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 1 },
		default: 4,
		description:
			'The pause after a call that did not reach the person. Earlier items come out with status "too_soon" and nextAttemptAfter.',
	},
	{
		displayName: 'Ledger Retention (Days)',
		name: 'ledgerRetentionDays',
		type: 'number',
		typeOptions: { minValue: 1, numberPrecision: 0 },
		default: 180,
		description:
			'Claims older than this are removed from the call ledger. The do-not-call list is kept until an entry is removed.',
	},
];
