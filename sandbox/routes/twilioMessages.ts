/**
 * Twilio's Messages API and the candidate's side of a text: `POST …/Messages.json`
 * (messages.create, form-encoded `To`, `From`, `Body`, `StatusCallback`) answers 201 `queued`,
 * then the message moves `sent → delivered` on the sandbox clock with a signed status callback per
 * step; `GET …/Messages/{Sid}.json` reads it. Twilio's error codes for what a team meets: 21604 /
 * 21603 / 21602 missing To / From / Body, 21211 invalid To, 21614 not a mobile number, 21606 From
 * not an SMS number of the account, 21408 country not enabled, 21608 trial account to an
 * unverified number, 21617 body over 1600 characters. Scenario numbers reply (STOP, or a text a
 * person would write) to the number that texted them: Twilio posts the reply to that number's
 * `SmsUrl`, signed like every Twilio webhook.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { SegmentedMessage } from 'sms-segments-calculator';

import type { RouteContext, RouteModule } from '../context';
import { ADMIN_PREFIX } from './admin';
import type { TwilioAccount } from '../state';
import { moduleRecords } from '../state';
import { TWILIO_API_PREFIX } from '../twilioFormat';
import { postSignedForm } from '../twilioStatusCallbacks';
import { GEO_PERMITTED_COUNTRIES } from './twilioCalls';

export type MessageStatus = 'queued' | 'sending' | 'sent' | 'delivered' | 'undelivered' | 'failed';

export interface SandboxMessage {
	sid: string;
	accountSid: string;
	direction: 'outbound-api' | 'inbound';
	to: string;
	from: string;
	body: string;
	status: MessageStatus;
	numSegments: number;
	dateCreated: Date;
	dateSent: Date | null;
	statusCallback?: string;
}

/** A candidate's number that answers a text (the reply goes to the number that sent it). */
export interface SmsReplyScenario {
	number: string;
	description: string;
	reply: string;
}

export const SMS_REPLY_SCENARIOS = {
	/** Replies STOP to the first text: every later call and text must stop. */
	repliesStop: {
		number: '+4917112345650',
		description: 'Replies STOP to a text.',
		reply: 'STOP',
	},
	/** Replies in German with a request, for the workflow to handle. */
	repliesLater: {
		number: '+4917112345651',
		description: 'Replies "Bitte morgen anrufen" to a text.',
		reply: 'Bitte morgen anrufen',
	},
} as const satisfies Record<string, SmsReplyScenario>;

/** Simulated seconds from queued to sent, and from sent to delivered (or the reply). */
const SEND_SECS = 1;
const DELIVER_SECS = 2;
const REPLY_SECS = 5;
const MAX_BODY = 1600;

/** Every text of the sandbox (sent and received), by SID. */
export function sandboxMessages(holder: Pick<RouteContext, 'state'>): Map<string, SandboxMessage> {
	return moduleRecords<SandboxMessage>(holder, 'twilioMessages');
}

/** What the sandbox posted to the numbers' SmsUrl: the inbound texts and the answers they got. */
export interface InboundDelivery {
	url: string;
	params: Record<string, string>;
	status?: number;
	error?: string;
}

export function inboundDeliveries(holder: Pick<RouteContext, 'state'>): InboundDelivery[] {
	const records = moduleRecords<InboundDelivery>(holder, 'twilioInboundSms');
	return [...records.values()];
}

function renderMessage(ctx: RouteContext, message: SandboxMessage): Record<string, unknown> {
	const uri = `${TWILIO_API_PREFIX}/Accounts/${message.accountSid}/Messages/${message.sid}`;
	return {
		account_sid: message.accountSid,
		api_version: '2010-04-01',
		body: message.body,
		date_created: ctx.twilio.date(message.dateCreated),
		date_sent: ctx.twilio.date(message.dateSent),
		date_updated: ctx.twilio.date(new Date(ctx.clock.now())),
		direction: message.direction,
		error_code: null,
		error_message: null,
		from: message.from,
		messaging_service_sid: null,
		num_media: '0',
		num_segments: String(message.numSegments),
		price: null,
		price_unit: 'USD',
		sid: message.sid,
		status: message.status,
		subresource_uris: { media: `${uri}/Media.json` },
		to: message.to,
		uri: `${uri}.json`,
	};
}

/** Whether `from` is an SMS-capable number of this account. */
function ownsSmsNumber(ctx: RouteContext, account: TwilioAccount, from: string): boolean {
	return [...ctx.state.twilio.incomingNumbers.values()].some(
		(n) => n.accountSid === account.sid && n.phoneNumber === from && n.capabilities.sms,
	);
}

/**
 * A text from `from` to one of the sandbox's Twilio numbers: stored, then posted to that number's
 * SmsUrl with the fields Twilio sends, signed with the owning account's auth token. Without an
 * SmsUrl the text is kept and nothing is posted (as Twilio does).
 */
export async function receiveSms(
	ctx: RouteContext,
	text: { from: string; to: string; body: string },
): Promise<InboundDelivery | undefined> {
	const number = [...ctx.state.twilio.incomingNumbers.values()].find(
		(n) => n.phoneNumber === text.to,
	);
	if (!number) throw new Error(`${text.to} is not a Twilio number of the sandbox`);
	const account = ctx.state.twilio.accounts.get(number.accountSid)!;
	const sid = ctx.newId('twilioMessage');
	const segments = new SegmentedMessage(text.body).segmentsCount;
	sandboxMessages(ctx).set(sid, {
		sid,
		accountSid: account.sid,
		direction: 'inbound',
		to: text.to,
		from: text.from,
		body: text.body,
		status: 'delivered',
		numSegments: segments,
		dateCreated: new Date(ctx.clock.now()),
		dateSent: new Date(ctx.clock.now()),
	});
	if (!number.smsUrl) return undefined;
	const country = (value: string) => parsePhoneNumberFromString(value)?.country ?? '';
	const params: Record<string, string> = {
		ToCountry: country(text.to),
		ToState: '',
		SmsMessageSid: sid,
		NumMedia: '0',
		ToCity: '',
		FromZip: '',
		SmsSid: sid,
		FromState: '',
		SmsStatus: 'received',
		FromCity: '',
		Body: text.body,
		FromCountry: country(text.from),
		To: text.to,
		ToZip: '',
		NumSegments: String(segments),
		MessageSid: sid,
		AccountSid: account.sid,
		From: text.from,
		ApiVersion: '2010-04-01',
	};
	const sent = await postSignedForm(number.smsUrl, number.smsMethod, params, account.authToken);
	const delivery = { url: number.smsUrl, params, status: sent.status, error: sent.error };
	moduleRecords<InboundDelivery>(ctx, 'twilioInboundSms').set(sid, delivery);
	return delivery;
}

/** Moves a sent text on: sent, delivered (with its status callbacks), then the scenario's reply. */
function followMessage(ctx: RouteContext, message: SandboxMessage, account: TwilioAccount) {
	const step = (status: MessageStatus) => {
		message.status = status;
		if (status === 'sent') message.dateSent = new Date(ctx.clock.now());
		if (!message.statusCallback) return;
		void postSignedForm(
			message.statusCallback,
			'POST',
			{
				MessageSid: message.sid,
				SmsSid: message.sid,
				AccountSid: account.sid,
				From: message.from,
				To: message.to,
				MessageStatus: status,
				SmsStatus: status,
				ApiVersion: '2010-04-01',
			},
			account.authToken,
		);
	};
	ctx.clock.after(SEND_SECS * 1000, () => step('sent'));
	ctx.clock.after((SEND_SECS + DELIVER_SECS) * 1000, () => step('delivered'));
	const scenario = Object.values(SMS_REPLY_SCENARIOS).find((s) => s.number === message.to);
	if (scenario) {
		ctx.clock.after((SEND_SECS + DELIVER_SECS + REPLY_SECS) * 1000, () => {
			void receiveSms(ctx, { from: message.to, to: message.from, body: scenario.reply });
		});
	}
}

export const twilioMessageRoutes: RouteModule = (app, ctx) => {
	const tw = ctx.twilio;

	app.post('/2010-04-01/Accounts/:AccountSid/Messages.json', async (request, reply) => {
		const account = tw.account(request);
		const form = tw.form(request);
		const to = tw.firstValue(form.To)?.trim();
		const from = tw.firstValue(form.From)?.trim();
		const body = tw.firstValue(form.Body) ?? '';
		if (!to) throw tw.errors.error(400, 21604, "A 'To' phone number is required.");
		if (!from && !tw.firstValue(form.MessagingServiceSid))
			throw tw.errors.error(400, 21603, "A 'From' phone number is required.");
		if (!body.trim()) throw tw.errors.error(400, 21602, 'Message body is required.');
		if (body.length > MAX_BODY)
			throw tw.errors.error(
				400,
				21617,
				'The concatenated message body exceeds the 1600 character limit.',
			);
		const parsed = parsePhoneNumberFromString(to);
		if (!parsed?.isValid()) throw tw.errors.error(400, 21211, `Invalid 'To' Phone Number: ${to}`);
		const type = parsed.getType();
		if (type === 'FIXED_LINE')
			throw tw.errors.error(400, 21614, `'To' number ${to} is not a valid mobile number`);
		if (!from || !ownsSmsNumber(ctx, account, from)) {
			throw tw.errors.error(
				400,
				21606,
				`The From phone number ${from ?? ''} is not a valid, SMS-capable inbound phone number or short code for your account.`,
			);
		}
		if (!GEO_PERMITTED_COUNTRIES.has(parsed.country ?? ''))
			throw tw.errors.error(
				400,
				21408,
				`Permission to send an SMS has not been enabled for the region indicated by the 'To' number: ${to}`,
			);
		if (account.type === 'Trial' && !account.verifiedCallerIds.includes(parsed.number)) {
			throw tw.errors.error(
				400,
				21608,
				`The number ${to} is unverified. Trial accounts cannot send messages to unverified numbers; verify ${to} at twilio.com/user/account/phone-numbers/verified, or purchase a Twilio number to send messages to unverified numbers.`,
			);
		}
		const message: SandboxMessage = {
			sid: ctx.newId('twilioMessage'),
			accountSid: account.sid,
			direction: 'outbound-api',
			to: parsed.number,
			from,
			body,
			status: 'queued',
			numSegments: new SegmentedMessage(body).segmentsCount,
			dateCreated: new Date(ctx.clock.now()),
			dateSent: null,
			statusCallback: tw.firstValue(form.StatusCallback),
		};
		sandboxMessages(ctx).set(message.sid, message);
		followMessage(ctx, message, account);
		reply.code(201);
		return renderMessage(ctx, message);
	});

	app.get<{ Params: { AccountSid: string; Sid: string } }>(
		'/2010-04-01/Accounts/:AccountSid/Messages/:Sid.json',
		async (request) => {
			const account = tw.account(request);
			const message = sandboxMessages(ctx).get(request.params.Sid);
			if (!message || message.accountSid !== account.sid)
				throw tw.errors.notFound(request.url.split('?')[0]);
			return renderMessage(ctx, message);
		},
	);

	// A candidate's text to one of the sandbox's Twilio numbers (for the demo and other processes).
	app.post<{ Body: { from?: string; to?: string; body?: string } }>(
		`${ADMIN_PREFIX}/twilio/sms`,
		async (request) => {
			const { from, to, body } = request.body ?? {};
			if (!from || !to || typeof body !== 'string')
				return { statusCode: 400, error: 'Bad Request', message: 'Give from, to and body' };
			return { delivery: (await receiveSms(ctx, { from, to, body })) ?? null };
		},
	);
};
