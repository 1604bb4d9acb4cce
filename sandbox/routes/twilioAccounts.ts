/**
 * Twilio REST: `GET /2010-04-01/Accounts/{Sid}.json` (accounts(sid).fetch, the credential test)
 * and the account's incoming phone numbers (incomingPhoneNumbers.list / (sid).fetch / (sid).update
 * of SmsUrl and SmsMethod, where the number's inbound texts go).
 */
import type { RouteContext, RouteModule } from '../context';
import type { TwilioAccount, TwilioIncomingNumber } from '../state';
import { TWILIO_API_PREFIX } from '../twilioFormat';

const accountPath = (sid: string) => `${TWILIO_API_PREFIX}/Accounts/${sid}`;

/** Account resource fields as `AccountInstance` reads them (lib/rest/api/v2010/account.js). */
function renderAccount(ctx: RouteContext, account: TwilioAccount): Record<string, unknown> {
	const base = accountPath(account.sid);
	const sub = (name: string) => `${base}/${name}.json`;
	return {
		// Twilio really returns the token here: whoever prints this resource must redact it.
		auth_token: account.authToken,
		date_created: ctx.twilio.date(account.dateCreated),
		date_updated: ctx.twilio.date(account.dateUpdated),
		friendly_name: account.friendlyName,
		owner_account_sid: account.ownerAccountSid,
		sid: account.sid,
		status: account.status,
		subresource_uris: {
			addresses: sub('Addresses'),
			conferences: sub('Conferences'),
			signing_keys: sub('SigningKeys'),
			transcriptions: sub('Transcriptions'),
			connect_apps: sub('ConnectApps'),
			sip: sub('SIP'),
			authorized_connect_apps: sub('AuthorizedConnectApps'),
			usage: sub('Usage'),
			keys: sub('Keys'),
			applications: sub('Applications'),
			recordings: sub('Recordings'),
			short_codes: sub('SMS/ShortCodes'),
			calls: sub('Calls'),
			notifications: sub('Notifications'),
			incoming_phone_numbers: sub('IncomingPhoneNumbers'),
			queues: sub('Queues'),
			messages: sub('Messages'),
			outgoing_caller_ids: sub('OutgoingCallerIds'),
			available_phone_numbers: sub('AvailablePhoneNumbers'),
			balance: sub('Balance'),
		},
		type: account.type,
		uri: `${base}.json`,
	};
}

/** Incoming phone number fields as `IncomingPhoneNumberInstance` reads them. */
function renderIncomingNumber(
	ctx: RouteContext,
	number: TwilioIncomingNumber,
): Record<string, unknown> {
	const uri = `${accountPath(number.accountSid)}/IncomingPhoneNumbers/${number.sid}`;
	return {
		account_sid: number.accountSid,
		address_requirements: 'none',
		address_sid: null,
		api_version: '2010-04-01',
		beta: false,
		capabilities: number.capabilities,
		date_created: ctx.twilio.date(number.dateCreated),
		date_updated: ctx.twilio.date(number.dateUpdated),
		emergency_status: 'Inactive',
		emergency_address_sid: null,
		emergency_address_status: 'unregistered',
		friendly_name: number.friendlyName,
		identity_sid: null,
		origin: number.origin,
		phone_number: number.phoneNumber,
		sid: number.sid,
		sms_application_sid: '',
		sms_fallback_method: 'POST',
		sms_fallback_url: '',
		sms_method: number.smsMethod,
		sms_url: number.smsUrl,
		status_callback: '',
		status_callback_method: 'POST',
		trunk_sid: null,
		uri: `${uri}.json`,
		voice_receive_mode: 'voice',
		voice_application_sid: null,
		voice_caller_id_lookup: false,
		voice_fallback_method: 'POST',
		voice_fallback_url: null,
		voice_method: 'POST',
		voice_url: number.voiceUrl,
		bundle_sid: null,
		status: 'in-use',
		subresource_uris: { assigned_add_ons: `${uri}/AssignedAddOns.json` },
		type: number.type,
	};
}

/** Twilio's PhoneNumber filter: partial numbers, "*" for any one digit. */
function numberMatches(phoneNumber: string, filter: string): boolean {
	const pattern = filter
		.replace(/[^\d*+]/g, '')
		.replace(/\+/g, '\\+')
		.replace(/\*/g, '\\d');
	return new RegExp(pattern).test(phoneNumber);
}

export const twilioAccountRoutes: RouteModule = (app, ctx) => {
	const tw = ctx.twilio;

	app.get('/2010-04-01/Accounts/:AccountSid.json', async (request) => {
		const account = tw.account(request);
		if (request.sandbox.twilio?.via === 'standardApiKey') {
			// Only main API keys (and the auth token) may read the account resource.
			throw tw.errors.error(401, 20003, 'Authentication Error - invalid username');
		}
		return renderAccount(ctx, account);
	});

	app.get('/2010-04-01/Accounts/:AccountSid/IncomingPhoneNumbers.json', async (request) => {
		const account = tw.account(request);
		const q = request.query as Record<string, unknown>;
		const friendlyName = tw.firstValue(q.FriendlyName)?.toLowerCase();
		const phoneNumber = tw.firstValue(q.PhoneNumber);
		const origin = tw.firstValue(q.Origin);
		const records = [...ctx.state.twilio.incomingNumbers.values()]
			.filter((number) => number.accountSid === account.sid)
			.filter((number) => !friendlyName || number.friendlyName.toLowerCase().includes(friendlyName))
			.filter((number) => !phoneNumber || numberMatches(number.phoneNumber, phoneNumber))
			.filter((number) => !origin || number.origin === origin)
			.sort(
				(a, b) => a.dateCreated.getTime() - b.dateCreated.getTime() || a.sid.localeCompare(b.sid),
			);
		return tw.page({
			path: `${accountPath(account.sid)}/IncomingPhoneNumbers.json`,
			key: 'incoming_phone_numbers',
			query: q,
			filterNames: ['Beta', 'FriendlyName', 'PhoneNumber', 'Origin'],
			records,
			render: (number) => renderIncomingNumber(ctx, number),
			tokenAfter: (number) => `PA${number.sid}`,
		});
	});

	app.get<{ Params: { AccountSid: string; Sid: string } }>(
		'/2010-04-01/Accounts/:AccountSid/IncomingPhoneNumbers/:Sid.json',
		async (request) => {
			const account = tw.account(request);
			const number = ctx.state.twilio.incomingNumbers.get(request.params.Sid);
			if (!number || number.accountSid !== account.sid)
				throw tw.errors.notFound(request.url.split('?')[0]);
			return renderIncomingNumber(ctx, number);
		},
	);

	// incomingPhoneNumbers(sid).update: the fields the package changes (where inbound texts go).
	app.post<{ Params: { AccountSid: string; Sid: string } }>(
		'/2010-04-01/Accounts/:AccountSid/IncomingPhoneNumbers/:Sid.json',
		async (request) => {
			const account = tw.account(request);
			const number = ctx.state.twilio.incomingNumbers.get(request.params.Sid);
			if (!number || number.accountSid !== account.sid)
				throw tw.errors.notFound(request.url.split('?')[0]);
			const form = tw.form(request);
			const smsUrl = tw.firstValue(form.SmsUrl);
			const smsMethod = tw.firstValue(form.SmsMethod)?.toUpperCase();
			if (smsUrl !== undefined) {
				if (smsUrl !== '' && !/^https?:\/\//.test(smsUrl))
					throw tw.errors.error(400, 21502, `SmsUrl is not valid: ${smsUrl}`);
				number.smsUrl = smsUrl;
			}
			if (smsMethod !== undefined) {
				if (smsMethod !== 'GET' && smsMethod !== 'POST')
					throw tw.errors.error(400, 21501, `SmsMethod is not valid: ${smsMethod}`);
				number.smsMethod = smsMethod;
			}
			number.dateUpdated = new Date(ctx.clock.now());
			return renderIncomingNumber(ctx, number);
		},
	);
};
