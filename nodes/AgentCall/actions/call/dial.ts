/** Call → Place: one dial through ElevenLabs, a SIP trunk or own Twilio, and why it failed */
import type { IExecuteFunctions } from 'n8n-workflow';

import type { AgentPhoneNumber } from '../../../shared/vendors/agentsAndNumbers';
import {
	outboundCallSipTrunk,
	outboundCallTwilio,
	registerTwilioCall,
} from '../../../shared/vendors/elevenLabsApi';
import type { Vendor, VendorFailure } from '../../../shared/vendors/errors';
import { twilioClient } from '../../../shared/vendors/twilioClient';
import { createCall } from '../../../shared/vendors/twilioApi';
import type { ClientData } from '../../helpers/clientData';
import type { ElevenLabsLookups } from '../common/lookups';

export type MachineDetection = 'off' | 'enable' | 'detect_message_end';
export type Transport = 'twilio' | 'sip_trunk' | 'own_twilio';

export interface DialRequest {
	agentId: string;
	toNumber: string;
	clientData: ClientData;
	recording: boolean;
	ringingTimeout?: number;
	machineDetection: MachineDetection;
	/** Seconds to wait for the vendor's answer to a dial. */
	timeoutSeconds?: number;
	/** ElevenLabs dials from this number … */
	agentNumber?: AgentPhoneNumber;
	/** … or the team's own Twilio account from this one. */
	ownTwilio?: { fromNumber: string; statusCallbackUrl?: string };
}

export interface DialResult {
	transport: Transport;
	conversationId?: string;
	callSid?: string;
	sipCallId?: string;
}

/**
 * Why a dial did not succeed, by what it means for the candidate:
 * - `busy`: refused over a limit (429), nobody was called; may be tried again;
 * - `unknown`: no (readable) answer or a server error after sending: the call may be ringing;
 *   never tried again by the node;
 * - `refused`: the vendor said no (4xx); nobody was called.
 */
export interface DialFailure {
	kind: 'busy' | 'unknown' | 'refused';
	vendor: Vendor;
	failure: VendorFailure;
	/** What the node was doing, for the message: "place the call". */
	step: string;
}

export type DialOutcome = ({ ok: true } & DialResult) | ({ ok: false } & DialFailure);

const PLACE = 'place the call';

function failed(
	vendor: Vendor,
	failure: VendorFailure,
	step: string,
	sentADial: boolean,
): DialOutcome {
	const unclear = failure.noAnswer || (failure.status !== undefined && failure.status >= 500);
	const kind = failure.status === 429 ? 'busy' : sentADial && unclear ? 'unknown' : 'refused';
	return { ok: false, kind, vendor, failure, step };
}

/** A 200 with `success: false`: ElevenLabs says it did not start the call. */
function notStarted(message: string): DialOutcome {
	const detail = message || 'success: false';
	const failure = { status: 200, code: 'not_started', detail, noAnswer: false, timedOut: false };
	return { ok: false, kind: 'refused', vendor: 'ElevenLabs', failure, step: PLACE };
}

const TWILIO_AMD = { enable: 'Enable', detect_message_end: 'DetectMessageEnd' } as const;

async function throughElevenLabs(
	lookups: ElevenLabsLookups,
	req: DialRequest,
	number: AgentPhoneNumber,
	itemIndex: number,
): Promise<DialOutcome> {
	const connection = await lookups.dialer(itemIndex, req.timeoutSeconds);
	const base = {
		agentId: req.agentId,
		agentPhoneNumberId: number.phoneNumberId,
		toNumber: req.toNumber,
		conversationInitiationClientData: req.clientData,
	};
	const ringing = req.ringingTimeout ? { ringingTimeoutSecs: req.ringingTimeout } : {};
	if (number.provider === 'sip_trunk') {
		const sip = await outboundCallSipTrunk.attempt(connection, {
			...base,
			...(req.ringingTimeout ? { telephonyCallConfig: ringing } : {}),
		});
		if (!sip.ok) return failed('ElevenLabs', sip.failure, PLACE, true);
		if (!sip.value.success) return notStarted(sip.value.message);
		const { conversationId, sipCallId } = sip.value;
		return { ok: true, transport: 'sip_trunk', conversationId, sipCallId };
	}
	const telephony = {
		...ringing,
		...(req.machineDetection !== 'off'
			? { twilioMachineDetection: { mode: req.machineDetection } }
			: {}),
	};
	const call = await outboundCallTwilio.attempt(connection, {
		...base,
		...(req.recording ? { callRecordingEnabled: true } : {}),
		...(Object.keys(telephony).length ? { telephonyCallConfig: telephony } : {}),
	});
	if (!call.ok) return failed('ElevenLabs', call.failure, PLACE, true);
	if (!call.value.success) return notStarted(call.value.message);
	return {
		ok: true,
		transport: 'twilio',
		conversationId: call.value.conversationId,
		callSid: call.value.callSid,
	};
}

async function throughOwnTwilio(
	ctx: IExecuteFunctions,
	lookups: ElevenLabsLookups,
	req: DialRequest,
	itemIndex: number,
): Promise<DialOutcome> {
	const own = req.ownTwilio!;
	const elevenLabs = await lookups.dialer(itemIndex, req.timeoutSeconds);
	// Registering dials nobody; Twilio does, with the TwiML that connects the call to the agent.
	const twiml = await registerTwilioCall.attempt(elevenLabs, {
		agentId: req.agentId,
		fromNumber: own.fromNumber,
		toNumber: req.toNumber,
		direction: 'outbound',
		conversationInitiationClientData: req.clientData,
	});
	if (!twiml.ok)
		return failed('ElevenLabs', twiml.failure, 'register the call with the agent', false);
	const twilio = await twilioClient(ctx, itemIndex);
	const call = await createCall.attempt(twilio, {
		to: req.toNumber,
		from: own.fromNumber,
		twiml: twiml.value,
		...(req.ringingTimeout ? { timeout: req.ringingTimeout } : {}),
		...(req.recording ? { record: true } : {}),
		...(req.machineDetection !== 'off'
			? { machineDetection: TWILIO_AMD[req.machineDetection] }
			: {}),
		...(own.statusCallbackUrl
			? {
					statusCallback: own.statusCallbackUrl,
					statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
					statusCallbackMethod: 'POST',
				}
			: {}),
	});
	if (!call.ok) return failed('Twilio', call.failure, PLACE, true);
	return { ok: true, transport: 'own_twilio', callSid: call.value.sid };
}

/** One attempt to dial. Never retried here: the caller decides, by the failure's kind. */
export async function dial(
	ctx: IExecuteFunctions,
	lookups: ElevenLabsLookups,
	req: DialRequest,
	itemIndex: number,
): Promise<DialOutcome> {
	if (req.ownTwilio) return await throughOwnTwilio(ctx, lookups, req, itemIndex);
	return await throughElevenLabs(lookups, req, req.agentNumber!, itemIndex);
}
