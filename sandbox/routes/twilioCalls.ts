/**
 * Twilio call creation and fetch: `POST /2010-04-01/Accounts/{Sid}/Calls.json` (calls.create,
 * form-encoded) and `GET …/Calls/{Sid}.json` (calls(sid).fetch), with Twilio's error shapes for
 * what a recruiting team meets: 21201/21213 missing To/From, 21205 no TwiML, 21211 invalid To,
 * 21210 From not owned, 21215 geo permission, 21219 trial account to an unverified number.
 * TwiML from ElevenLabs' register-call connects the call to the agent: a conversation starts,
 * and the call's status callbacks (StatusCallback) follow it.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

import type { RouteContext, RouteModule } from '../context';
import { conversationStore } from '../conversations';
import type { ConversationRecord } from '../conversations';
import type { TwilioAccount } from '../state';
import { TWILIO_API_PREFIX } from '../twilioFormat';
import { eventsFor, requestedEvents, StatusCallbacks } from '../twilioStatusCallbacks';
import type { StatusCallbackTarget } from '../twilioStatusCallbacks';
import { registrationToken, registrationsOf, startConversation } from './outboundCalls';

/** Destinations the seed accounts may call (Twilio Console → Voice → Geo permissions). */
export const GEO_PERMITTED_COUNTRIES: ReadonlySet<string> = new Set([
	'DE',
	'AT',
	'CH',
	'NL',
	'FR',
	'GB',
	'US',
	'CA',
]);

interface TwilioCall {
	sid: string;
	accountSid: string;
	to: string;
	from: string;
	dateCreated: Date;
	conversationId?: string;
	machineDetection?: string;
	timeout?: number;
	statusCallback?: string;
}

const calls = new WeakMap<object, Map<string, TwilioCall>>();

function callsOf(ctx: RouteContext): Map<string, TwilioCall> {
	let map = calls.get(ctx.state.agents);
	if (!map) calls.set(ctx.state.agents, (map = new Map()));
	return map;
}

const callbacks = new WeakMap<object, StatusCallbacks>();

/** The status callbacks sent for this sandbox's calls (deliveries, and flush for tests). */
export function statusCallbacksOf(ctx: Pick<RouteContext, 'state' | 'clock'>): StatusCallbacks {
	let sender = callbacks.get(ctx.state.agents);
	if (!sender)
		callbacks.set(ctx.state.agents, (sender = new StatusCallbacks(() => ctx.clock.nowSeconds())));
	return sender;
}

/** Twilio's call status from the conversation it carries. */
function callStatus(conversation: ConversationRecord | undefined): string {
	if (!conversation) return 'completed';
	switch (conversation.status) {
		case 'initiated':
			return 'ringing';
		case 'in-progress':
			return 'in-progress';
		case 'failed':
			return conversation.callResult === 'busy'
				? 'busy'
				: conversation.callResult === 'no_answer'
					? 'no-answer'
					: conversation.callResult === 'failed'
						? 'failed'
						: 'completed';
		default:
			return 'completed';
	}
}

function renderCall(ctx: RouteContext, call: TwilioCall, status?: string): Record<string, unknown> {
	const conversation = call.conversationId
		? conversationStore(ctx).get(call.conversationId)
		: undefined;
	const uri = `${TWILIO_API_PREFIX}/Accounts/${call.accountSid}/Calls/${call.sid}`;
	return {
		account_sid: call.accountSid,
		answered_by: call.machineDetection
			? conversation?.callResult === 'voicemail'
				? 'machine_start'
				: 'human'
			: null,
		api_version: '2010-04-01',
		caller_name: null,
		date_created: ctx.twilio.date(call.dateCreated),
		date_updated: ctx.twilio.date(new Date(ctx.clock.now())),
		direction: 'outbound-api',
		duration: conversation ? String(conversation.callDurationSecs) : null,
		end_time: null,
		forwarded_from: null,
		from: call.from,
		from_formatted: call.from,
		group_sid: null,
		parent_call_sid: null,
		phone_number_sid: null,
		price: null,
		price_unit: 'USD',
		sid: call.sid,
		start_time: null,
		status: status ?? callStatus(conversation),
		subresource_uris: {
			recordings: `${uri}/Recordings.json`,
			notifications: `${uri}/Notifications.json`,
		},
		to: call.to,
		to_formatted: call.to,
		trunk_sid: null,
		uri: `${uri}.json`,
		queue_time: '0',
	};
}

/** Whether `from` is a voice number of this account or one of its verified caller IDs. */
function ownsNumber(ctx: RouteContext, account: TwilioAccount, from: string): boolean {
	return (
		account.verifiedCallerIds.includes(from) ||
		[...ctx.state.twilio.incomingNumbers.values()].some(
			(n) => n.accountSid === account.sid && n.phoneNumber === from && n.capabilities.voice,
		)
	);
}

/** Sends the call's status callbacks as its conversation moves on, until it has ended. */
function followWithCallbacks(ctx: RouteContext, call: TwilioCall, target: StatusCallbackTarget) {
	const store = conversationStore(ctx);
	const sender = statusCallbacksOf(ctx);
	const created = store.get(call.conversationId!);
	// The conversation started before the call was stored: its first step is sent now.
	if (created)
		sender.notify(target, created, eventsFor(created.status, undefined, callStatus(created)));
	const stop = store.onChange((conversation, previous) => {
		if (conversation.conversationId !== call.conversationId) return;
		const events = eventsFor(conversation.status, previous, callStatus(conversation));
		sender.notify(target, conversation, events);
		if (events.some(([event]) => event === 'completed')) stop();
	});
}

export const twilioCallRoutes: RouteModule = (app, ctx) => {
	const tw = ctx.twilio;

	app.post('/2010-04-01/Accounts/:AccountSid/Calls.json', async (request, reply) => {
		const account = tw.account(request);
		const form = tw.form(request);
		const to = tw.firstValue(form.To)?.trim();
		const from = tw.firstValue(form.From)?.trim();
		const twiml = tw.firstValue(form.Twiml);
		const url = tw.firstValue(form.Url);
		const applicationSid = tw.firstValue(form.ApplicationSid);
		if (!to) throw tw.errors.error(400, 21201, "No 'To' number is specified");
		if (!from) throw tw.errors.error(400, 21213, "No 'From' number is specified");
		if ([twiml, url, applicationSid].filter(Boolean).length !== 1) {
			throw tw.errors.error(
				400,
				21205,
				'Either Url, Twiml or ApplicationSid is required, and only one of them',
			);
		}
		const parsed = parsePhoneNumberFromString(to);
		if (!parsed?.isValid()) throw tw.errors.error(400, 21211, `Invalid 'To' Phone Number: ${to}`);
		if (!ownsNumber(ctx, account, from)) {
			throw tw.errors.error(
				400,
				21210,
				`The source phone number provided, ${from}, is not yet verified for your account. You may only make calls from phone numbers that you've verified or purchased from Twilio.`,
			);
		}
		if (!GEO_PERMITTED_COUNTRIES.has(parsed.country ?? '')) {
			throw tw.errors.error(
				400,
				21215,
				`Account not authorized to call ${to}. Perhaps you need to enable some international permissions: https://www.twilio.com/console/voice/calls/geo-permissions/low-risk`,
			);
		}
		if (account.type === 'Trial' && !account.verifiedCallerIds.includes(parsed.number))
			throw tw.errors.trialUnverifiedNumber(to);

		const call: TwilioCall = {
			sid: ctx.newId('twilioCall'),
			accountSid: account.sid,
			to: parsed.number,
			from,
			dateCreated: new Date(ctx.clock.now()),
			machineDetection: tw.firstValue(form.MachineDetection),
			statusCallback: tw.firstValue(form.StatusCallback),
			timeout: Number(tw.firstValue(form.Timeout)) || undefined,
		};
		// TwiML from register-call connects the call to the agent: that starts its conversation.
		const token = twiml ? registrationToken(twiml) : undefined;
		const registration = token ? registrationsOf(ctx).get(token) : undefined;
		if (token && registration) {
			registrationsOf(ctx).delete(token);
			const agent = ctx.state.agents.get(registration.agentId);
			if (agent) {
				call.conversationId = startConversation(ctx, agent, {
					toNumber: call.to,
					clientData: registration.clientData,
					source: 'twilio',
					ringingTimeoutSecs: call.timeout,
					phoneCall: {
						type: 'twilio',
						direction: registration.direction,
						phoneNumberId: '',
						agentNumber: from,
						externalNumber: call.to,
						callSid: call.sid,
					},
				}).conversationId;
			}
		}
		callsOf(ctx).set(call.sid, call);
		if (call.statusCallback && call.conversationId) {
			followWithCallbacks(ctx, call, {
				url: call.statusCallback,
				method: tw.firstValue(form.StatusCallbackMethod) ?? 'POST',
				events: requestedEvents(form.StatusCallbackEvent),
				authToken: account.authToken,
				fields: {
					CallSid: call.sid,
					AccountSid: account.sid,
					From: call.from,
					To: call.to,
					Direction: 'outbound-api',
					ApiVersion: '2010-04-01',
				},
			});
		}
		reply.code(201);
		return renderCall(ctx, call, 'queued');
	});

	app.get<{ Params: { AccountSid: string; Sid: string } }>(
		'/2010-04-01/Accounts/:AccountSid/Calls/:Sid.json',
		async (request) => {
			const account = tw.account(request);
			const call = callsOf(ctx).get(request.params.Sid);
			if (!call || call.accountSid !== account.sid)
				throw tw.errors.notFound(request.url.split('?')[0]);
			return renderCall(ctx, call);
		},
	);
};
