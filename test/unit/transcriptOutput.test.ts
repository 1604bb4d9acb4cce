/** Output tests: one conversation answers the recruiter's questions; failures share the shape */
import { GetConversationResponseModel } from '@elevenlabs/elevenlabs-js/serialization/types/GetConversationResponseModel';
import type { ElevenLabs } from '@elevenlabs/elevenlabs-js';

import { outputFields as getOutputFields } from '../../nodes/Transcript/actions/conversation/get.operation';
import {
	SIMPLIFIED_FIELDS,
	conversationOutput,
	conversationOutputFields,
	initiationFailureOutput,
	simplifyConversation,
	speakerLabels,
} from '../../nodes/shared/conversation/conversationOutput';
import { declarationGaps, neverProduced, NO_GAPS } from '../outputFields';

/** A finished German call as the API sends it (wire, snake_case). */
const WIRE = {
	agent_id: 'agent_de',
	conversation_id: 'conv_123',
	status: 'done',
	user_id: 'campaign-2026-03:+4917112345678',
	transcript: [
		{ role: 'agent', message: 'Hallo Frau Weber, hier ist Lena.', time_in_call_secs: 0 },
		{ role: 'user', message: ' Ja, hallo! ', time_in_call_secs: 3 },
		{ role: 'agent', message: null, time_in_call_secs: 4, tool_calls: [] },
		{ role: 'agent', message: '', time_in_call_secs: 5 },
		{ role: 'user', message: 'Ab dem 1. April.', time_in_call_secs: 9 },
	],
	metadata: {
		start_time_unix_secs: 1772442000,
		call_duration_secs: 184,
		cost: 912,
		main_language: 'de',
		termination_reason: 'Call ended by remote party',
		phone_call: {
			type: 'twilio',
			direction: 'outbound',
			phone_number_id: 'phnum_1',
			agent_number: '+493012345670',
			external_number: '+4917112345678',
			call_result: 'answered',
			stream_sid: 'MZ1',
			call_sid: 'CA1',
		},
	},
	analysis: {
		call_successful: 'success',
		transcript_summary: 'Die Kandidatin ist interessiert.',
		data_collection_results: {
			consent_given: { data_collection_id: 'consent_given', value: true, rationale: 'Sagte ja.' },
			salary_expectation_eur: {
				data_collection_id: 'salary_expectation_eur',
				value: 52000,
				rationale: '52k',
			},
			earliest_start_date: { data_collection_id: 'earliest_start_date', rationale: 'nicht gesagt' },
		},
		evaluation_criteria_results: {
			candidate_interested: {
				criteria_id: 'candidate_interested',
				result: 'success',
				rationale: 'ja',
			},
		},
	},
	conversation_initiation_client_data: {
		dynamic_variables: {
			candidate_name: 'Anna Weber',
			system__agent_id: 'agent_de',
			system__time_utc: 'x',
		},
		user_id: 'campaign-2026-03:+4917112345678',
	},
	has_audio: true,
	has_user_audio: true,
	has_response_audio: true,
};

function parse(wire: unknown): ElevenLabs.GetConversationResponseModel {
	const result = GetConversationResponseModel.parse(wire, {
		unrecognizedObjectKeys: 'passthrough',
		allowUnrecognizedEnumValues: true,
		allowUnrecognizedUnionMembers: true,
		skipValidation: true,
	});
	if (!result.ok) throw new Error(JSON.stringify(result.errors));
	return result.value;
}

describe('conversation output', () => {
	const output = conversationOutput(parse(WIRE));

	it('answers the recruiter’s questions from one conversation', () => {
		expect(output).toMatchObject({
			conversationId: 'conv_123',
			agentId: 'agent_de',
			status: 'done',
			callResult: 'answered',
			reachedVia: 'first_call',
			startedAt: '2026-03-02T09:00:00.000Z',
			durationSecs: 184,
			cost: 912,
			summary: 'Die Kandidatin ist interessiert.',
			callSuccessful: 'success',
			toNumber: '+4917112345678',
			language: 'de',
			terminationReason: 'Call ended by remote party',
			hasAudio: true,
			dataCollection: {
				consent_given: true,
				salary_expectation_eur: 52000,
				earliest_start_date: null,
			},
			evaluation: { candidate_interested: 'success' },
			userId: 'campaign-2026-03:+4917112345678',
		});
	});

	it('writes the transcript with speaker labels in the conversation’s language, skipping tool-only turns', () => {
		expect(output.transcriptText).toBe(
			'Agent: Hallo Frau Weber, hier ist Lena.\nKandidat:in: Ja, hallo!\nKandidat:in: Ab dem 1. April.',
		);
		expect(output.turns).toEqual([
			{
				role: 'agent',
				speaker: 'Agent',
				message: 'Hallo Frau Weber, hier ist Lena.',
				timeInCallSecs: 0,
			},
			{ role: 'candidate', speaker: 'Kandidat:in', message: 'Ja, hallo!', timeInCallSecs: 3 },
			{ role: 'candidate', speaker: 'Kandidat:in', message: 'Ab dem 1. April.', timeInCallSecs: 9 },
		]);
	});

	it('keeps the variables the call was placed with, without ElevenLabs’ system variables', () => {
		expect(output.dynamicVariables).toEqual({ candidate_name: 'Anna Weber' });
	});

	it('has every field even for a conversation that has only just started', () => {
		const fresh = conversationOutput(
			parse({
				agent_id: 'a',
				conversation_id: 'c',
				status: 'initiated',
				transcript: [],
				metadata: { start_time_unix_secs: 1, call_duration_secs: 0 },
			}),
		);
		expect(fresh).toMatchObject({
			status: 'initiated',
			callResult: null,
			reachedVia: null,
			summary: null,
			callSuccessful: null,
			transcriptText: '',
			turns: [],
			dataCollection: {},
			evaluation: {},
			dynamicVariables: {},
			userId: null,
			hasAudio: false,
		});
		expect(Object.keys(fresh).sort()).toEqual(Object.keys(output).sort());
	});

	it('derives the call result where ElevenLabs reports none', () => {
		const base = {
			agent_id: 'a',
			conversation_id: 'c',
			metadata: { start_time_unix_secs: 1, call_duration_secs: 3 },
		};
		const spoken = [{ role: 'user', message: 'Hallo?', time_in_call_secs: 1 }];
		expect(
			conversationOutput(parse({ ...base, status: 'failed', transcript: [] })).callResult,
		).toBe('failed');
		expect(
			conversationOutput(parse({ ...base, status: 'done', transcript: spoken })).callResult,
		).toBe('answered');
		expect(
			conversationOutput(parse({ ...base, status: 'done', transcript: [] })).callResult,
		).toBeNull();
		expect(
			conversationOutput(parse({ ...base, status: 'processing', transcript: spoken })).callResult,
		).toBeNull();
	});

	it('reports voicemail, busy and no answer as ElevenLabs does', () => {
		for (const result of ['voicemail', 'busy', 'no_answer'] as const) {
			const wire = {
				...WIRE,
				metadata: {
					...WIRE.metadata,
					phone_call: { ...WIRE.metadata.phone_call, call_result: result },
				},
			};
			expect(conversationOutput(parse(wire)).callResult).toBe(result);
		}
	});

	it('reports voicemail when the agent’s voicemail tool ran, even if the call says answered', () => {
		const wire = {
			...WIRE,
			transcript: [
				{ role: 'user', message: 'Sie sind verbunden mit der Mailbox von …', time_in_call_secs: 0 },
				{
					role: 'agent',
					message:
						'Guten Tag, hier ist Lena von Klinikum Nord. Wir versuchen es später noch einmal.',
					time_in_call_secs: 4,
					tool_calls: [
						{
							type: 'system',
							request_id: 'r1',
							tool_name: 'voicemail_detection',
							params_as_json: '{}',
							tool_has_been_called: true,
						},
					],
					tool_results: [
						{
							type: 'system',
							request_id: 'r1',
							tool_name: 'voicemail_detection',
							result_value: '{"status":"success"}',
							is_error: false,
							tool_has_been_called: true,
							result: { result_type: 'voicemail_detection_success', status: 'success' },
						},
					],
				},
			],
		};
		expect(WIRE.metadata.phone_call.call_result).toBe('answered');
		expect(conversationOutput(parse(wire)).callResult).toBe('voicemail');
	});

	it('takes the language from the override when ElevenLabs detected none, English labels otherwise', () => {
		const withOverride = {
			...WIRE,
			metadata: { ...WIRE.metadata, main_language: undefined },
			conversation_initiation_client_data: {
				conversation_config_override: { agent: { language: 'en' } },
			},
		};
		expect(conversationOutput(parse(withOverride)).transcriptText.split('\n')[1]).toBe(
			'Candidate: Ja, hallo!',
		);
		expect(speakerLabels('de-AT')).toEqual({ agent: 'Agent', candidate: 'Kandidat:in' });
		expect(speakerLabels('pt_BR').candidate).toBe('Candidato/a');
		expect(speakerLabels('xx')).toEqual({ agent: 'Agent', candidate: 'Candidate' });
		expect(speakerLabels(undefined)).toEqual({ agent: 'Agent', candidate: 'Candidate' });
	});

	it('simplifies to the outcome without the transcript', () => {
		const simple = simplifyConversation(output);
		expect(Object.keys(simple)).toEqual([...SIMPLIFIED_FIELDS]);
		expect(simple).not.toHaveProperty('transcriptText');
		expect(simple).not.toHaveProperty('turns');
		expect(simple.dataCollection).toEqual(output.dataCollection);
	});
});

describe('call initiation failure output', () => {
	it('has the same fields as a finished conversation, with the failure as call result', () => {
		const busy = initiationFailureOutput({
			conversationId: 'conv_9',
			agentId: 'agent_de',
			failureReason: 'busy',
			toNumber: '+4917100000000',
			userId: null,
			dynamicVariables: { candidate_name: 'Max', system__call_sid: 'CA' },
		});
		expect(Object.keys(busy).sort()).toEqual(Object.keys(conversationOutput(parse(WIRE))).sort());
		expect(busy).toMatchObject({
			status: 'failed',
			callResult: 'busy',
			reachedVia: null,
			toNumber: '+4917100000000',
			durationSecs: 0,
			dynamicVariables: { candidate_name: 'Max' },
		});
	});

	it.each([
		['no-answer', 'no_answer'],
		['busy', 'busy'],
		['unknown', 'failed'],
		['something new', 'failed'],
	])('maps failure reason %s to call result %s', (reason, result) => {
		const output = initiationFailureOutput({
			conversationId: 'c',
			agentId: 'a',
			failureReason: reason,
			toNumber: null,
			userId: null,
			dynamicVariables: {},
		});
		expect(output.callResult).toBe(result);
		expect(output.terminationReason).toBe(reason);
	});
});

describe('declared output fields (the output table of Get and of the trigger)', () => {
	const full = conversationOutput(parse(WIRE));
	const failed = initiationFailureOutput({
		conversationId: 'conv_9',
		agentId: 'agent_de',
		failureReason: 'no-answer',
		toNumber: '+4917100000000',
		userId: null,
		dynamicVariables: {},
	});

	it('declares every field a conversation has, and each declared field is there', () => {
		for (const output of [full, failed]) {
			expect(declarationGaps(output, conversationOutputFields)).toEqual(NO_GAPS);
			expect(declarationGaps(output, getOutputFields)).toEqual(NO_GAPS);
		}
		expect(neverProduced([full], conversationOutputFields)).toEqual([]);
	});

	it('marks the fields Simplify leaves out as such', () => {
		expect(declarationGaps(simplifyConversation(full), getOutputFields)).toEqual(NO_GAPS);
		expect(declarationGaps(simplifyConversation(full), conversationOutputFields).missing).toEqual(
			conversationOutputFields
				.map((field) => field.name)
				.filter((name) => !(SIMPLIFIED_FIELDS as readonly string[]).includes(name)),
		);
	});

	it('finds a field that is produced but not declared', () => {
		const withoutSummary = getOutputFields.filter((field) => field.name !== 'summary');
		expect(declarationGaps(full, withoutSummary)).toEqual({ undeclared: ['summary'], missing: [] });
	});
});
