import { NodeApiError } from 'n8n-workflow';
import type { IExecuteFunctions, INode } from 'n8n-workflow';

import { TWILIO_HINTS, elevenLabsFailure, twilioFailure, vendorApiError } from '../../../shared/errors';
import type { VendorFailure } from '../../../shared/errors';
import { twilioClient } from '../../../shared/twilioClient';
import type { ClientData } from '../../helpers/clientData';
import type { AgentPhoneNumber, ElevenLabsLookups } from './lookups';

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
	vendor: 'ElevenLabs' | 'Twilio';
	failure: VendorFailure;
	/** What the node was doing, for the message: "place the call". */
	step: string;
}

export type DialOutcome = ({ ok: true } & DialResult) | ({ ok: false } & DialFailure);

function failed(kind: DialFailure['kind'], vendor: DialFailure['vendor'], failure: VendorFailure, step: string): DialOutcome {
	return { ok: false, kind, vendor, failure, step };
}

function classify(failure: VendorFailure, sentADial: boolean): DialFailure['kind'] {
	if (failure.status === 429) return 'busy';
	if (sentADial && (failure.noAnswer || (failure.status !== undefined && failure.status >= 500))) return 'unknown';
	return 'refused';
}

const TWILIO_AMD = { enable: 'Enable', detect_message_end: 'DetectMessageEnd' } as const;

async function throughElevenLabs(lookups: ElevenLabsLookups, req: DialRequest, number: AgentPhoneNumber, itemIndex: number): Promise<DialOutcome> {
	const { client, secrets } = await lookups.dialer(itemIndex, req.timeoutSeconds);
	const base = {
		agentId: req.agentId,
		agentPhoneNumberId: number.phoneNumberId,
		toNumber: req.toNumber,
		conversationInitiationClientData: req.clientData,
	};
	try {
		if (number.provider === 'sip_trunk') {
			const res = await client.conversationalAi.sipTrunk.outboundCall({
				...base,
				...(req.ringingTimeout ? { telephonyCallConfig: { ringingTimeoutSecs: req.ringingTimeout } } : {}),
			});
			if (!res.success) return notStarted(res.message);
			return { ok: true, transport: 'sip_trunk', conversationId: res.conversationId, sipCallId: res.sipCallId };
		}
		const telephony = {
			...(req.ringingTimeout ? { ringingTimeoutSecs: req.ringingTimeout } : {}),
			...(req.machineDetection !== 'off' ? { twilioMachineDetection: { mode: req.machineDetection } } : {}),
		};
		const res = await client.conversationalAi.twilio.outboundCall({
			...base,
			...(req.recording ? { callRecordingEnabled: true } : {}),
			...(Object.keys(telephony).length ? { telephonyCallConfig: telephony } : {}),
		});
		if (!res.success) return notStarted(res.message);
		return { ok: true, transport: 'twilio', conversationId: res.conversationId, callSid: res.callSid };
	} catch (error) {
		const failure = elevenLabsFailure(error, secrets);
		return failed(classify(failure, true), 'ElevenLabs', failure, 'place the call');
	}
}

/** A 200 with `success: false`: ElevenLabs says it did not start the call. */
function notStarted(message: string): DialOutcome {
	return failed(
		'refused',
		'ElevenLabs',
		{ status: 200, code: 'not_started', detail: message || 'success: false', noAnswer: false, timedOut: false },
		'place the call',
	);
}

async function throughOwnTwilio(ctx: IExecuteFunctions, lookups: ElevenLabsLookups, req: DialRequest, itemIndex: number): Promise<DialOutcome> {
	const own = req.ownTwilio!;
	const { client: elevenLabs, secrets } = await lookups.dialer(itemIndex, req.timeoutSeconds);
	let twiml: string;
	try {
		// Registering dials nobody; Twilio does, with the TwiML that connects the call to the agent.
		twiml = await elevenLabs.conversationalAi.twilio.registerCall({
			agentId: req.agentId,
			fromNumber: own.fromNumber,
			toNumber: req.toNumber,
			direction: 'outbound',
			conversationInitiationClientData: req.clientData,
		});
	} catch (error) {
		const failure = elevenLabsFailure(error, secrets);
		return failed(classify(failure, false), 'ElevenLabs', failure, 'register the call with the agent');
	}
	const twilio = await twilioClient(ctx, itemIndex);
	try {
		const call = await twilio.client.calls.create({
			to: req.toNumber,
			from: own.fromNumber,
			twiml,
			...(req.ringingTimeout ? { timeout: req.ringingTimeout } : {}),
			...(req.recording ? { record: true } : {}),
			...(req.machineDetection !== 'off' ? { machineDetection: TWILIO_AMD[req.machineDetection] } : {}),
			...(own.statusCallbackUrl
				? {
						statusCallback: own.statusCallbackUrl,
						statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
						statusCallbackMethod: 'POST',
					}
				: {}),
		});
		return { ok: true, transport: 'own_twilio', callSid: call.sid };
	} catch (error) {
		const failure = twilioFailure(error, twilio.secrets);
		return failed(classify(failure, true), 'Twilio', failure, 'place the call');
	}
}

/** One attempt to dial. Never retried here: the caller decides, by the failure's kind. */
export async function dial(ctx: IExecuteFunctions, lookups: ElevenLabsLookups, req: DialRequest, itemIndex: number): Promise<DialOutcome> {
	if (req.ownTwilio) return await throughOwnTwilio(ctx, lookups, req, itemIndex);
	return await throughElevenLabs(lookups, req, req.agentNumber!, itemIndex);
}

/** The error a recruiter sees for a failed dial. */
export function dialError(node: INode, failure: DialFailure, itemIndex: number, toNumber: string): NodeApiError {
	if (failure.kind === 'unknown') {
		const f = failure.failure;
		const what = f.noAnswer
			? f.timedOut
				? `${failure.vendor} did not answer in time`
				: `the connection to ${failure.vendor} broke or its answer was unreadable`
			: `${failure.vendor} had a server error (HTTP ${f.status})`;
		return new NodeApiError(
			node,
			{ vendor: failure.vendor, detail: f.detail },
			{
				message: `The call to ${toNumber} may have been placed: ${what} after the request was sent`,
				description: `The node does not try again, so nobody is called twice. Check the agent's call history in ${failure.vendor === 'Twilio' ? 'Twilio and ' : ''}ElevenLabs before calling this candidate again; a re-run with "Skip If Already Called" finds the call if ElevenLabs registered it. ${
					f.status ? `HTTP ${f.status}` : 'No answer'
				}${f.detail ? ` · ${f.detail}` : ''}`,
				httpCode: f.status ? String(f.status) : undefined,
				itemIndex,
			},
		);
	}
	return vendorApiError(node, failure.vendor, failure.failure, {
		action: failure.step,
		itemIndex,
		hints: {
			...(failure.vendor === 'Twilio' ? TWILIO_HINTS : {}),
			not_started: 'ElevenLabs answered that it did not start the call (see the details).',
			invalid_provider_config:
				'ElevenLabs cannot dial out with this phone number. Check the number under Phone Numbers in ElevenLabs (for a SIP trunk: the outbound trunk address and credentials).',
			too_many_concurrent_requests:
				'The agent stayed at its limit of simultaneous calls through every retry. Nobody was called; lower "Calls per Minute", raise "Retries When Busy", or run the rest later.',
		},
	});
}
