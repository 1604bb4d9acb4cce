/**
 * ElevenLabs outbound calls: `POST /v1/convai/twilio/outbound-call`, `POST
 * /v1/convai/sip-trunk/outbound-call` and `POST /v1/convai/twilio/register-call` (TwiML for a
 * call the team's own Twilio account places). Every call becomes a conversation in the store,
 * with the result the dialled number's scenario decides, and the agent's rules applied as
 * ElevenLabs applies them: a number of the wrong provider is refused (400
 * `invalid_provider_config`), calls over the agent's concurrency limit are refused (429
 * `too_many_concurrent_requests`), and overrides the agent does not allow or missing dynamic
 * variables are accepted with 200 and then fail the conversation when the candidate picks up.
 */
import type { ElevenLabs } from '@elevenlabs/elevenlabs-js';
import * as schemas from '@elevenlabs/elevenlabs-js/serialization';
import { randomBytes } from 'node:crypto';

import type { RouteContext, RouteModule } from '../context';
import { conversationStore } from '../conversations';
import type { CallOutcome, ConversationRecord, PhoneCallInfo } from '../conversations';
import { HttpError } from '../errors';
import { SCENARIOS, normaliseNumber } from '../scenarios';
import type { CallScenario } from '../scenarios';
import type { StoredAgent, StoredPhoneNumber } from '../state';

type ClientData = ElevenLabs.ConversationInitiationClientDataRequestInput;

const E164 = /^\+[1-9]\d{6,14}$/;
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}/g;

/** The override fields sent that the agent's Security settings do not allow (wire names). */
export function forbiddenOverrides(
	agent: StoredAgent,
	clientData: ClientData | undefined,
): string[] {
	const sent = clientData?.conversationConfigOverride?.agent;
	const allowed = agent.agent.platformSettings?.overrides?.conversationConfigOverride?.agent;
	const out: string[] = [];
	if (sent?.firstMessage !== undefined && !allowed?.firstMessage) out.push('agent.first_message');
	if (sent?.language !== undefined && !allowed?.language) out.push('agent.language');
	if (sent?.prompt?.prompt !== undefined && !allowed?.prompt?.prompt)
		out.push('agent.prompt.prompt');
	const other = clientData?.conversationConfigOverride;
	for (const section of ['tts', 'asr', 'turn', 'conversation'] as const) {
		if (other?.[section] && Object.keys(other[section] as object).length) out.push(section);
	}
	return out;
}

function placeholders(text: string | undefined): string[] {
	return text
		? [...text.matchAll(PLACEHOLDER)].map((m) => m[1]).filter((n) => !n.startsWith('system__'))
		: [];
}

/** ElevenLabs' message when the conversation starts without a variable it needs, or undefined. */
export function missingVariablesError(
	agent: StoredAgent,
	clientData: ClientData | undefined,
): string | undefined {
	const config = agent.agent.conversationConfig.agent;
	const sent = clientData?.conversationConfigOverride?.agent;
	const supplied = new Set(Object.keys(clientData?.dynamicVariables ?? {}));
	const inFirst = [...new Set(placeholders(sent?.firstMessage ?? config?.firstMessage))].filter(
		(n) => !supplied.has(n),
	);
	if (inFirst.length)
		return `Missing required dynamic variables in first message: {${inFirst.map((n) => `'${n}'`).join(', ')}}`;
	const inPrompt = [
		...new Set(placeholders(sent?.prompt?.prompt ?? config?.prompt?.prompt)),
	].filter((n) => !supplied.has(n));
	if (inPrompt.length)
		return `Missing required dynamic variables in prompt: {${inPrompt.map((n) => `'${n}'`).join(', ')}}`;
	return undefined;
}

/** The outcome of dialling `toNumber`: the scenario, cut short by the ringing timeout, or a failed start. */
/**
 * The scenario of this call to the number: one that picks up from a later call on (answersFromCall)
 * is answered, as by a cooperative candidate, once as many calls went out to it before.
 */
function onThisCall(ctx: RouteContext, scenario: CallScenario): CallScenario {
	if (!scenario.answersFromCall) return scenario;
	const earlier = conversationStore(ctx)
		.list()
		.filter(
			(c) =>
				c.phoneCall?.direction === 'outbound' &&
				normaliseNumber(c.phoneCall.externalNumber) === scenario.number,
		).length;
	if (earlier + 1 < scenario.answersFromCall) return scenario;
	const { callResult, ringSecs, talkSecs } = SCENARIOS.answered;
	return { ...scenario, callResult, ringSecs, talkSecs, failureReason: undefined };
}

export function outcomeFor(
	ctx: RouteContext,
	agent: StoredAgent,
	toNumber: string,
	clientData: ClientData | undefined,
	ringingTimeoutSecs?: number,
): CallOutcome {
	const scenario = onThisCall(ctx, ctx.scenarioForNumber(toNumber));
	let outcome: CallOutcome = {
		callResult: scenario.callResult,
		ringSecs: scenario.ringSecs,
		talkSecs: scenario.talkSecs,
	};
	if (
		ringingTimeoutSecs !== undefined &&
		scenario.ringSecs > ringingTimeoutSecs &&
		scenario.callResult !== 'busy' &&
		scenario.callResult !== 'failed'
	) {
		outcome = { callResult: 'no_answer', ringSecs: ringingTimeoutSecs, talkSecs: 0 };
	}
	if (outcome.callResult === 'answered' || outcome.callResult === 'voicemail') {
		const forbidden = forbiddenOverrides(agent, clientData);
		const error = forbidden.length
			? `Override for field '${forbidden[0]}' is not allowed by config.`
			: missingVariablesError(agent, clientData);
		if (error) outcome = { ...outcome, error };
	}
	return outcome;
}

/** 429 when the agent already holds as many calls as its concurrency limit allows. */
export function checkConcurrency(ctx: RouteContext, agent: StoredAgent): void {
	const limit = agent.agent.platformSettings?.callLimits?.agentConcurrencyLimit;
	if (
		typeof limit === 'number' &&
		limit > 0 &&
		conversationStore(ctx).activeCount(agent.agent.agentId) >= limit
	) {
		throw ctx.elevenLabs.errors.tooManyConcurrentRequests();
	}
}

function checkToNumber(toNumber: string): void {
	if (!E164.test(toNumber)) {
		throw new HttpError(400, {
			detail: {
				status: 'invalid_phone_number',
				message: `The number ${toNumber} is not a valid E.164 phone number.`,
			},
		});
	}
}

function checkOutbound(stored: StoredPhoneNumber, provider: 'twilio' | 'sip_trunk'): void {
	const number = stored.phoneNumber;
	if (number.provider !== provider) {
		const message =
			provider === 'twilio'
				? `We are missing some Twilio credentials for the number ${number.phoneNumber}. Please delete and re-create it to be able to make outbound calls.`
				: `The number ${number.phoneNumber} is not a SIP trunk number.`;
		throw new HttpError(400, { detail: { status: 'invalid_provider_config', message } });
	}
	const trunk =
		number.provider === 'sip_trunk' ? (number.outboundTrunk ?? number.providerConfig) : undefined;
	if (number.supportsOutbound === false || (number.provider === 'sip_trunk' && !trunk?.address)) {
		throw new HttpError(400, {
			detail: {
				status: 'outbound_calls_not_supported',
				message: `The number ${number.phoneNumber} cannot make outbound calls.`,
			},
		});
	}
}

/** Starts the conversation of a call ElevenLabs places (or is connected to). */
export function startConversation(
	ctx: RouteContext,
	agent: StoredAgent,
	input: {
		toNumber: string;
		clientData?: ClientData;
		phoneCall: PhoneCallInfo;
		source: string;
		ringingTimeoutSecs?: number;
		batchCall?: ConversationRecord['batchCall'];
	},
): ConversationRecord {
	agent.lastCallTimeUnixSecs = ctx.clock.nowSeconds();
	return conversationStore(ctx).create({
		agentId: agent.agent.agentId,
		source: input.source,
		userId: input.clientData?.userId,
		phoneCall: input.phoneCall,
		clientData: input.clientData as Record<string, unknown> | undefined,
		batchCall: input.batchCall,
		outcome: outcomeFor(ctx, agent, input.toNumber, input.clientData, input.ringingTimeoutSecs),
	});
}

/** Calls registered with register-call, waiting for Twilio to connect them (by stream token). */
export interface Registration {
	agentId: string;
	workspaceId: string;
	fromNumber: string;
	toNumber: string;
	/** As registered (ElevenLabs' default: inbound); the conversation's `phone_call.direction`. */
	direction: 'inbound' | 'outbound';
	clientData?: ClientData;
}

const registrations = new WeakMap<object, Map<string, Registration>>();

export function registrationsOf(ctx: RouteContext): Map<string, Registration> {
	let map = registrations.get(ctx.state.agents);
	if (!map) registrations.set(ctx.state.agents, (map = new Map()));
	return map;
}

/** The token register-call puts into the TwiML stream URL, when a TwiML text carries one. */
export function registrationToken(twiml: string): string | undefined {
	return /registration=([a-f0-9]{32})/.exec(twiml)?.[1];
}

export const outboundCallRoutes: RouteModule = (app, ctx) => {
	const el = ctx.elevenLabs;

	app.post('/v1/convai/twilio/outbound-call', async (request) => {
		const body = el.body(
			request,
			schemas.conversationalAi.twilio
				.BodyHandleAnOutboundCallViaTwilioV1ConvaiTwilioOutboundCallPost,
		);
		const agent = el.agent(request, body.agentId);
		const number = el.phoneNumber(request, body.agentPhoneNumberId);
		checkOutbound(number, 'twilio');
		checkToNumber(body.toNumber);
		checkConcurrency(ctx, agent);
		const callSid = ctx.newId('twilioCall');
		const conversation = startConversation(ctx, agent, {
			toNumber: body.toNumber,
			clientData: body.conversationInitiationClientData,
			source: 'twilio',
			ringingTimeoutSecs: body.telephonyCallConfig?.ringingTimeoutSecs,
			phoneCall: {
				type: 'twilio',
				direction: 'outbound',
				phoneNumberId: number.phoneNumber.phoneNumberId,
				agentNumber: number.phoneNumber.phoneNumber,
				externalNumber: body.toNumber,
				callSid,
			},
		});
		return el.wire(schemas.TwilioOutboundCallResponse, {
			success: true,
			message: 'Success',
			conversationId: conversation.conversationId,
			callSid,
		});
	});

	app.post('/v1/convai/sip-trunk/outbound-call', async (request) => {
		const body = el.body(
			request,
			schemas.conversationalAi.sipTrunk
				.BodyHandleAnOutboundCallViaSipTrunkV1ConvaiSipTrunkOutboundCallPost,
		);
		const agent = el.agent(request, body.agentId);
		const number = el.phoneNumber(request, body.agentPhoneNumberId);
		checkOutbound(number, 'sip_trunk');
		checkToNumber(body.toNumber);
		checkConcurrency(ctx, agent);
		const sipCallId = ctx.newId('sipCall');
		const conversation = startConversation(ctx, agent, {
			toNumber: body.toNumber,
			clientData: body.conversationInitiationClientData,
			source: 'sip_trunk',
			ringingTimeoutSecs: body.telephonyCallConfig?.ringingTimeoutSecs,
			phoneCall: {
				type: 'sip_trunking',
				direction: 'outbound',
				phoneNumberId: number.phoneNumber.phoneNumberId,
				agentNumber: number.phoneNumber.phoneNumber,
				externalNumber: body.toNumber,
				callSid: sipCallId,
				callId: sipCallId,
			},
		});
		return el.wire(schemas.SipTrunkOutboundCallResponse, {
			success: true,
			message: 'Success',
			conversationId: conversation.conversationId,
			sipCallId,
		});
	});

	app.post('/v1/convai/twilio/register-call', async (request, reply) => {
		const body = el.body(
			request,
			schemas.conversationalAi.twilio
				.BodyRegisterATwilioCallAndReturnTwiMlV1ConvaiTwilioRegisterCallPost,
		);
		const agent = el.agent(request, body.agentId);
		const direction = body.direction ?? 'inbound';
		const candidate = direction === 'outbound' ? body.toNumber : body.fromNumber;
		checkToNumber(candidate);
		checkConcurrency(ctx, agent);
		const token = randomBytes(16).toString('hex');
		registrationsOf(ctx).set(token, {
			agentId: agent.agent.agentId,
			workspaceId: agent.workspaceId,
			fromNumber: body.fromNumber,
			toNumber: body.toNumber,
			direction,
			clientData: body.conversationInitiationClientData,
		});
		const stream = `${ctx.url.replace(/^http/, 'ws')}/v1/convai/conversation/twilio?agent_id=${agent.agent.agentId}&amp;registration=${token}`;
		reply.type('text/xml');
		return `<?xml version="1.0" encoding="UTF-8"?><Response><Connect><Stream url="${stream}" /></Connect></Response>`;
	});
};
