/** Campaign: input items read as batch recipients, each with their own calling window */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { toNodeError } from '../../../shared/n8n/problems';
import type { Checked } from '../../../shared/n8n/problems';
import type { CallingWindow } from '../../helpers/callingWindow';
import { candidateWindow } from '../../helpers/windowRules';
import type { WindowRules } from '../../helpers/windowRules';
import { givenPhone, readCandidate } from '../common/candidate';
import type { Candidate } from '../common/candidate';
import type { SubmitOptions } from './campaignSettings';

/** One input item as a recipient of the batch. */
export interface Recipient {
	itemIndex: number;
	candidate: Candidate;
	/** The recipient's own calling window; none when the window is not respected. */
	window?: CallingWindow;
	/** The ledger campaign the recipient is claimed in; the item's Campaign when not given. */
	scope?: string;
	/** The recipient's id in the batch; `item-<itemIndex>` when not given. */
	recipientId?: string;
}

export interface RecipientList {
	recipients: Recipient[];
	/** Items that cannot be called, each with what is wrong (when Invalid Numbers is "report"). */
	invalid: IDataObject[];
}

function readRecipient(
	ctx: IExecuteFunctions,
	item: INodeExecutionData,
	i: number,
	options: SubmitOptions,
	rules: WindowRules | undefined,
): Checked<Recipient> {
	const candidate = readCandidate(ctx, item, i, options);
	if (!candidate.ok) return candidate;
	if (!rules) return { ok: true, value: { itemIndex: i, candidate: candidate.value } };
	const where = { timezoneField: item.json.timezone, country: candidate.value.phone.country };
	const window = candidateWindow(rules, where, new Date());
	if (!window.ok) return window;
	return { ok: true, value: { itemIndex: i, candidate: candidate.value, window: window.value } };
}

/**
 * Every item first: number, key, variables and the recipient's own calling window (time zone
 * and holidays of the number's country). Nothing is submitted unless all are understood, or,
 * with Invalid Numbers "report", the ones that are not are listed.
 */
export function readRecipients(
	ctx: IExecuteFunctions,
	options: SubmitOptions,
	rules: WindowRules | undefined,
): RecipientList {
	const list: RecipientList = { recipients: [], invalid: [] };
	ctx.getInputData().forEach((item, i) => {
		const recipient = readRecipient(ctx, item, i, options, rules);
		if (recipient.ok) list.recipients.push(recipient.value);
		else if (options.invalidNumbers === 'report') {
			list.invalid.push({
				itemIndex: i,
				phone: givenPhone(ctx, i) ?? null,
				error: recipient.message,
			});
		} else throw toNodeError(ctx.getNode(), recipient, i);
	});
	return list;
}
