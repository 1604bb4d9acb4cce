/** Do Not Call: the item's number, normalised as for calls, and its call ledger */
import type { IExecuteFunctions } from 'n8n-workflow';

import { maskNumber } from '../../helpers/idempotency';
import { parseCandidatePhone } from '../../helpers/phone';
import type { CallLedger } from '../../../shared/ledger/callLedger';
import { ProblemError } from '../../../shared/n8n/problems';
import { itemLedger, ledgerUnavailable } from '../../../shared/ledger/itemLedger';

export interface ListedNumber {
	e164: string;
	masked: string;
	ledger: CallLedger;
	/** Runs a ledger operation; a store that fails is a clear error for the item. */
	run<T>(work: (ledger: CallLedger) => Promise<T>): Promise<T>;
}

/** The item's number, normalised as Place Agent Call normalises it, and its ledger. */
export async function listedNumber(
	ctx: IExecuteFunctions,
	itemIndex: number,
): Promise<ListedNumber> {
	const region = String(ctx.getNodeParameter('options.defaultRegion', itemIndex, 'DE') || 'DE');
	// Any number a person may ask not to be called on can be listed, satellite numbers included.
	const phone = parseCandidatePhone(ctx.getNodeParameter('phone', itemIndex, ''), region, {
		nonGeographic: true,
	});
	if (!phone.ok) throw new ProblemError(phone.message, phone.hint);
	const ledger = await itemLedger(ctx, itemIndex);
	return {
		e164: phone.value.e164,
		masked: maskNumber(phone.value.e164),
		ledger,
		run: async (work) =>
			await work(ledger).catch((error: unknown) => {
				throw ledgerUnavailable(ctx, ledger.label, error, itemIndex);
			}),
	};
}
