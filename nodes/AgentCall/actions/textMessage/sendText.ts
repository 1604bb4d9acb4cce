/**
 * The one request that sends a text, and the one place its outcome settles the claim: sent
 * (the claim keeps the message SID), refused in a way that proves nothing was sent (the claim is
 * released), or no clear answer (the text may have gone out: recorded as unknown, never resent).
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { mayHaveHappenedError, vendorApiError } from '../../../shared/vendors/errors';
import type { CallLedger, Claim } from '../../../shared/ledger/callLedger';
import type { TwilioConnection } from '../../../shared/vendors/twilioClient';
import { attemptTwilio } from '../../../shared/vendors/twilioTransport';
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

/** Twilio's codes for a text the recipient turned down: the number joins the do-not-call list. */
const UNSUBSCRIBED = '21610';

const TEXT_HINTS: Record<string, string> = {
	'21211': "Twilio says the candidate's number is invalid. Check the number.",
	'21408':
		'Texts to this country are not enabled. Enable it in Twilio Console → Messaging → Settings → Geo permissions.',
	[UNSUBSCRIBED]:
		'The candidate replied STOP to this Twilio number, so Twilio blocks texts to them. The number is now on the do-not-call list.',
	'21606':
		'The sender number is not an SMS-capable number of this Twilio account. Choose one of your numbers with SMS.',
	'21608':
		'A Twilio trial account can only text verified numbers. Verify the number in the Twilio Console or upgrade the account.',
	'21614': 'The candidate’s number cannot receive texts (not a mobile number).',
	'21617': 'The text is longer than 1600 characters. Shorten it.',
};

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
	const sent = await attemptTwilio(connection, async (client) =>
		client.messages.create({
			to: text.to,
			from: text.from,
			body: text.body,
			...(text.statusCallback ? { statusCallback: text.statusCallback } : {}),
		}),
	);
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
	throw vendorApiError(ctx.getNode(), 'Twilio', failure, {
		action: `send the text to ${text.to}`,
		itemIndex: i,
		hints: TEXT_HINTS,
	});
}
