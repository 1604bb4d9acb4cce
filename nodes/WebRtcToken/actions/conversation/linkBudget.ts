/** The bound on tokens per interview link, kept in the call ledger so that every n8n process counts together. */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ProblemError } from '../../../shared/n8n/problems';
import { itemLedger } from '../../../shared/ledger/itemLedger';
import { readText } from './fields';

export const DEFAULT_TOKENS_PER_LINK = 3;

export const linkOptions: INodeProperties[] = [
	{
		displayName: 'Link Key',
		name: 'linkKey',
		type: 'string',
		default: '',
		placeholder: 'e.g. {{ $json.candidateId }}',
		description:
			"The interview link the token is for (the candidate's ID from your list, never from the browser). With it, one link gets at most Tokens per Link tokens, counted in the call ledger; empty means no bound.",
	},
	{
		displayName: 'Tokens per Link',
		name: 'tokensPerLink',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 20, numberPrecision: 0 },
		default: DEFAULT_TOKENS_PER_LINK,
		description:
			'How many tokens one link may get in all (a reload of the page takes one). Further requests fail with linkStatus "used".',
	},
];

/** One token taken from a link's budget: settled with the conversation it was issued for, or given back. */
export interface LinkToken {
	issued(conversationId: string): Promise<void>;
	release(): Promise<void>;
}

/** Takes a token from the item's link budget; undefined when the item names no link. */
export async function takeLinkToken(
	ctx: IExecuteFunctions,
	itemIndex: number,
	options: Record<string, unknown>,
): Promise<LinkToken | undefined> {
	const linkKey = readText(options.linkKey);
	if (!linkKey) return undefined;
	const limit = Number(options.tokensPerLink ?? DEFAULT_TOKENS_PER_LINK);
	const { store } = await itemLedger(ctx, itemIndex);
	const seq = await store.claimInterviewToken(linkKey, limit, Date.now());
	if (seq === undefined) {
		throw new ProblemError(
			`The interview link "${linkKey.slice(0, 80)}" has had its ${limit} token${limit === 1 ? '' : 's'}`,
			'Each opening of the page takes a token. Send the candidate a new link, or raise Tokens per Link.',
			// The notice page reads it: the link is used up, not broken.
			{ linkStatus: 'used' },
		);
	}
	return {
		issued: async (conversationId) =>
			await store.recordInterviewToken(linkKey, seq, conversationId),
		release: async () => await store.releaseInterviewToken(linkKey, seq),
	};
}
