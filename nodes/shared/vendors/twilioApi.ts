/**
 * Every Twilio endpoint the package calls, each one named function: its SDK call and what a
 * failure says. None is ever retried: the Twilio client has its retries off (twilioClient.ts),
 * since a repeated call creation rings a person twice and a repeated text arrives twice. Call
 * `fn(connection, { node, itemIndex }, …)`, or `fn.attempt(connection, …)` to decide by the
 * failure. The surface:
 *
 * calls           createCall (places a call)
 * messages        sendMessage (sends a text)
 * phone numbers   listIncomingNumbers, updateIncomingNumber
 */
import type { Twilio } from 'twilio';
import type { CallListInstanceCreateOptions } from 'twilio/lib/rest/api/v2010/account/call';
import type {
	IncomingPhoneNumberContextUpdateOptions,
	IncomingPhoneNumberListInstanceOptions,
} from 'twilio/lib/rest/api/v2010/account/incomingPhoneNumber';
import type { MessageListInstanceCreateOptions } from 'twilio/lib/rest/api/v2010/account/message';

import { endpointsOf } from './endpoint';
import { twilioFailure } from './errors';

const endpoint = endpointsOf<Twilio>('Twilio', twilioFailure);

/** Twilio's code for a text the recipient turned down (replied STOP). */
export const UNSUBSCRIBED = '21610';

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

export const createCall = endpoint({
	context: () => ({ action: 'place the call' }),
	send: async (client: Twilio, request: CallListInstanceCreateOptions) =>
		await client.calls.create(request),
});

export const sendMessage = endpoint({
	context: (request: MessageListInstanceCreateOptions) => ({
		action: `send the text to ${request.to}`,
		hints: TEXT_HINTS,
	}),
	send: async (client: Twilio, request: MessageListInstanceCreateOptions) =>
		await client.messages.create(request),
});

export const listIncomingNumbers = endpoint({
	context: () => ({ action: 'look up the Twilio number' }),
	send: async (client: Twilio, filter: IncomingPhoneNumberListInstanceOptions) =>
		await client.incomingPhoneNumbers.list(filter),
});

export const updateIncomingNumber = endpoint({
	context: (...[numberSid]: [string, unknown]) => ({
		action: `change the Twilio number "${numberSid}"`,
	}),
	send: async (
		client: Twilio,
		numberSid: string,
		update: IncomingPhoneNumberContextUpdateOptions,
	) => await client.incomingPhoneNumbers(numberSid).update(update),
});
