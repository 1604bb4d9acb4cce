/**
 * A text's claim in the call ledger: one attempt per person, campaign and message key, taken
 * atomically before anything is sent, with the ledger's do-not-call list checked first. Only the
 * execution that wins the claim sends; every other delivery of the same item comes out held.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { CallLedger, Claim } from '../../../shared/ledger/callLedger';
import { ProblemError } from '../../../shared/n8n/problems';
import { idempotencyKey, maskNumber } from '../../helpers/idempotency';
import { ledgerUnavailable } from '../../../shared/ledger/itemLedger';

/** How long a delivery waits for another one that is sending the same text at this moment. */
const WAIT_FOR_OTHERS_MS = 30_000;

/** One text to one person, as the ledger knows it. */
export interface TextSubject {
	e164: string;
	campaign: string;
	candidateId: string;
	/** Which message this is (announcement, followUp, or the user's own key). */
	messageKey: string;
}

export type TextClearance =
	| { kind: 'send'; claim: Claim; key: string }
	| { kind: 'held'; fields: IDataObject & { status: 'do_not_call' | 'already_sent' } };

const iso = (ms: number) => new Date(ms).toISOString();

/** The ledger scope of a message: texts never share attempts with the calls of a campaign. */
export function textScope(subject: TextSubject): string {
	return `text\n${subject.campaign}\n${subject.messageKey}`;
}

/** Claims the text; a text the ledger already holds (sent, or maybe sent) is never sent again. */
export async function claimText(
	ctx: IExecuteFunctions,
	ledger: CallLedger,
	subject: TextSubject,
	i: number,
): Promise<TextClearance> {
	const masked = maskNumber(subject.e164);
	const key = idempotencyKey({
		campaign: textScope(subject),
		candidateId: subject.candidateId,
		e164: subject.e164,
	});
	const result = await ledger
		.claim({
			scope: textScope(subject),
			callKey: key,
			e164: subject.e164,
			maskedNumber: masked,
			executionId: String(ctx.getExecutionId?.() ?? ''),
			policy: { maxAttempts: 1, hoursBetweenAttempts: 0 },
			// A text that went out reached the phone: the same message is never sent twice.
			reachOf: async () => ({ reach: 'reached' }),
			waitForOthersMs: WAIT_FOR_OTHERS_MS,
			signal: ctx.getExecutionCancelSignal?.(),
		})
		.catch((error: unknown) => {
			throw ledgerUnavailable(ctx, ledger.label, error, i);
		});
	switch (result.kind) {
		case 'claimed':
			return { kind: 'send', claim: result.claim, key };
		case 'doNotCall':
			ctx.logger.info(`Place Agent Call: item ${i}: no text to ${masked} (do_not_call)`);
			return {
				kind: 'held',
				fields: {
					status: 'do_not_call',
					doNotCallSince: iso(result.entry.addedAt),
					doNotCallReason: result.entry.reason,
				},
			};
		case 'skipped':
			ctx.logger.info(`Place Agent Call: item ${i}: no text to ${masked} (already_sent)`);
			return {
				kind: 'held',
				fields: {
					status: 'already_sent',
					messageSid: result.last.callSid ?? null,
					// "unknown": an earlier send got no clear answer, so the text may have gone out.
					previousStatus: result.last.outcome === 'initiated' ? 'sent' : result.last.outcome,
					sentAt: iso(result.last.claimedAt),
				},
			};
		case 'ownUnknown':
			throw new ProblemError(
				`The text to ${subject.e164} may have been sent by an earlier try of this execution`,
				'The node does not send again after an unclear answer, so nobody gets a text twice. Check the message log in the Twilio Console before sending this text again.',
			);
		case 'conflict':
			throw new ProblemError(
				`This candidate got this text in this campaign on another number (${result.boundTo.maskedNumber}), so ${masked} got none`,
				'One candidate ID with two phone numbers: correct the phone number or the candidate ID of this row. Nothing was sent.',
			);
	}
}
