/** Reached-via tests: first call, retry, callback or browser, and null when nobody answered */
import { GetConversationResponseModel } from '@elevenlabs/elevenlabs-js/serialization/types/GetConversationResponseModel';
import type { ElevenLabs } from '@elevenlabs/elevenlabs-js';

import { conversationOutput } from '../../nodes/shared/conversation/conversationOutput';
import {
	ATTEMPT_VARIABLE,
	attemptOf,
	reachedVia,
} from '../../nodes/shared/conversation/reachedVia';

/** An idempotency key as Place Agent Call derives it (campaign + candidate, hashed). */
const IDEMPOTENCY = 'vr1_0123456789abcdef0123456789abcdef';

function phoneCall(direction: 'inbound' | 'outbound', callResult = 'answered') {
	return {
		type: 'twilio',
		direction,
		phone_number_id: 'phnum_1',
		agent_number: '+493012345670',
		external_number: '+4917112345678',
		call_result: callResult,
		stream_sid: 'MZ1',
		call_sid: 'CA1',
	};
}

/** A finished conversation as the API sends it (wire, snake_case), with the parts that vary. */
function conversation(parts: {
	phone_call?: unknown;
	batch_call?: unknown;
	variables?: Record<string, unknown>;
	status?: string;
}): ElevenLabs.GetConversationResponseModel {
	const wire = {
		agent_id: 'agent_de',
		conversation_id: 'conv_1',
		status: parts.status ?? 'done',
		user_id: IDEMPOTENCY,
		transcript: [
			{ role: 'agent', message: 'Hallo, hier ist Lena.', time_in_call_secs: 0 },
			{ role: 'user', message: 'Ja, hallo!', time_in_call_secs: 2 },
		],
		metadata: {
			start_time_unix_secs: 1772442000,
			call_duration_secs: 60,
			...(parts.phone_call ? { phone_call: parts.phone_call } : {}),
			...(parts.batch_call ? { batch_call: parts.batch_call } : {}),
		},
		conversation_initiation_client_data: {
			user_id: IDEMPOTENCY,
			dynamic_variables: { name: 'Anna Weber', ...parts.variables },
		},
	};
	const result = GetConversationResponseModel.parse(wire, {
		unrecognizedObjectKeys: 'passthrough',
		allowUnrecognizedEnumValues: true,
		allowUnrecognizedUnionMembers: true,
		skipValidation: true,
	});
	if (!result.ok) throw new Error(JSON.stringify(result.errors));
	return result.value;
}

/** The way as Get Transcript reports it: with the call result the output derives. */
const wayOf = (c: ElevenLabs.GetConversationResponseModel) => conversationOutput(c).reachedVia;

describe('reachedVia', () => {
	it('is first_call for an outbound call answered on the first attempt', () => {
		expect(wayOf(conversation({ phone_call: phoneCall('outbound') }))).toBe('first_call');
		const first = { phone_call: phoneCall('outbound'), variables: { [ATTEMPT_VARIABLE]: 1 } };
		expect(wayOf(conversation(first))).toBe('first_call');
	});

	it('is retry for an outbound call answered on attempt 2 or later', () => {
		for (const attempt of [2, 3, '2', ' 4 ']) {
			const retry = {
				phone_call: phoneCall('outbound'),
				variables: { [ATTEMPT_VARIABLE]: attempt },
			};
			expect(wayOf(conversation(retry))).toBe('retry');
		}
	});

	it('is retry for a later attempt of an ElevenLabs campaign', () => {
		const batch = (coldAttempt: number) => ({
			batch_call_id: 'btcal_1',
			batch_call_recipient_id: 'rcp_1',
			campaign: { campaign_id: 'cmp_1', campaign_lead_id: 'lead_1', cold_attempt: coldAttempt },
		});
		const call = phoneCall('outbound');
		expect(wayOf(conversation({ phone_call: call, batch_call: batch(2) }))).toBe('retry');
		expect(wayOf(conversation({ phone_call: call, batch_call: batch(1) }))).toBe('first_call');
	});

	it('is callback for an inbound call: the candidate rang the agent’s number', () => {
		expect(wayOf(conversation({ phone_call: phoneCall('inbound') }))).toBe('callback');
		// The attempt the caller was given does not make an inbound call a retry.
		const inbound = { phone_call: phoneCall('inbound'), variables: { [ATTEMPT_VARIABLE]: 3 } };
		expect(wayOf(conversation(inbound))).toBe('callback');
	});

	it('is browser for a conversation without a phone call (WebRTC, the interview page)', () => {
		expect(wayOf(conversation({}))).toBe('browser');
	});

	it('is null when the person was not reached', () => {
		for (const result of ['voicemail', 'busy', 'no_answer', 'failed']) {
			const missed = conversation({ phone_call: phoneCall('outbound', result) });
			expect(wayOf(missed)).toBeNull();
			expect(reachedVia(missed, conversationOutput(missed).callResult)).toBeNull();
		}
		const inboundVoicemail = conversation({ phone_call: phoneCall('inbound', 'failed') });
		expect(wayOf(inboundVoicemail)).toBeNull();
		// Still running: not known yet whether anybody answered.
		expect(wayOf(conversation({ status: 'processing' }))).toBeNull();
		expect(reachedVia(conversation({}), null)).toBeNull();
	});

	it('reads an unreadable attempt as a first call', () => {
		for (const attempt of ['two', '', 0, -1, 1.5, null, true, { n: 2 }]) {
			const odd = { phone_call: phoneCall('outbound'), variables: { [ATTEMPT_VARIABLE]: attempt } };
			expect(attemptOf(conversation(odd))).toBeUndefined();
			expect(wayOf(conversation(odd))).toBe('first_call');
		}
		// The idempotency key is the same on every attempt: it tells nothing about the attempt.
		expect(attemptOf(conversation({ phone_call: phoneCall('outbound') }))).toBeUndefined();
	});
});
