/**
 * The one request that sends a text, and the one place its outcome settles the claim: sent
 * (the claim keeps the message SID), refused in a way that proves nothing was sent (the claim is
 * released), or no clear answer (the text may have gone out: recorded as unknown, never resent).
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { mayHaveHappenedError } from '../../../shared/vendors/errors';
import type { CallLedger, Claim } from '../../../shared/ledger/callLedger';
import type { TwilioConnection } from '../../../shared/vendors/twilioClient';
import { UNSUBSCRIBED, sendMessage } from '../../../shared/vendors/twilioApi';
import { maskNumber } from '../../helpers/idempotency';
import { ledgerUnavailable } from '../../../shared/ledger/itemLedger';

export interface TextToSend {
	claim: Claim;
	to: string;
	from: string;
	body: string;
	statusCallback: string;
	itemIndex: number;
}

/** Sends the text once (the Twilio client never retries) and settles the claim by the outcome. */
export async function sendText(
	ctx: IExecuteFunctions,
	connection: TwilioConnection,
	ledger: CallLedger,
	text: TextToSend,
): Promise<IDataObject> {
	const i = text.itemIndex;
	const settle = async (work: () => Promise<unknown>) =>
		await work().catch((error: unknown) => {
			throw ledgerUnavailable(ctx, ledger.label, error, i);
		});
	const message = {
		to: text.to,
		from: text.from,
		body: text.body,
		...(text.statusCallback ? { statusCallback: text.statusCallback } : {}),
	};
	const sent = await sendMessage.attempt(connection, message);
	if (sent.ok) {
		// The ledger's call SID column keeps the message SID: what the text's claim points at.
		await settle(async () => await text.claim.initiated({ callSid: sent.value.sid }));
		ctx.logger.info(
			`Place Agent Call: item ${i}: texted ${maskNumber(text.to)} (${sent.value.sid})`,
		);
		return { status: 'sent', messageSid: sent.value.sid, sentAt: new Date().toISOString() };
	}
	const failure = sent.failure;
	if (failure.noAnswer || (failure.status ?? 0) >= 500) {
		await settle(async () => await text.claim.unknown());
		throw mayHaveHappenedError(ctx.getNode(), 'Twilio', failure, {
			happened: `The text to ${text.to} may have been sent`,
			check: 'It is not sent again. Check the message log in the Twilio Console.',
			itemIndex: i,
		});
	}
	// Twilio refused it: nothing was sent, so the claim is released for a corrected retry.
	await settle(async () => await text.claim.release());
	if (failure.code === UNSUBSCRIBED)
		await settle(
			async () => await ledger.addDoNotCall(text.to, maskNumber(text.to), 'Twilio: replied STOP'),
		);
	throw sendMessage.error({ node: ctx.getNode(), itemIndex: i }, failure, message);
}
