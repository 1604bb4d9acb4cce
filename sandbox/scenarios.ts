/**
 * Which dialled number produces which call outcome. The conversation lifecycle reads this table;
 * tests and the demo pick numbers from it. Any other valid number is answered by a cooperative
 * candidate.
 */
import { createHash } from 'node:crypto';

import type { ElevenLabs } from '@elevenlabs/elevenlabs-js';

/** How an answered candidate behaves in the simulated conversation. */
export type CandidateBehaviour =
	/** Answers every screening question, agrees to the recording. */
	| 'cooperative'
	/** Says they do not want to be called again (must be honoured, GDPR / UWG). */
	| 'opts_out'
	/** Does not agree to the recording / evaluation; the agent ends the call. */
	| 'refuses_consent'
	/** Has no time now and asks to be called back at a given time. */
	| 'requests_callback';

export interface CallScenario {
	key: ScenarioKey;
	/** The dialled number, E.164. */
	number: string;
	description: string;
	/** `metadata.phone_call.call_result` of the conversation. */
	callResult: ElevenLabs.CallResult;
	/** Set when a person answered. */
	candidate?: CandidateBehaviour;
	/** Simulated seconds of ringing before answer or give-up. */
	ringSecs: number;
	/** Simulated seconds of talking (0 when nobody answered). */
	talkSecs: number;
	/** `failure_reason` of the call_initiation_failure webhook when the call did not connect. */
	failureReason?: 'busy' | 'no-answer' | 'unknown';
	/** For `requests_callback`: what the candidate asks for. */
	callbackRequest?: { preferredTime: string; note: string };
	/** Rings the agent number that called, this many simulated seconds after the call ended. */
	callsBackAfterSecs?: number;
	/** From this outbound call to the number on (2: the second), the person picks up and cooperates. */
	answersFromCall?: number;
}

export type ScenarioKey =
	| 'answered'
	| 'voicemail'
	| 'busy'
	| 'noAnswer'
	| 'failed'
	| 'optOut'
	| 'consentRefused'
	| 'callbackRequested'
	| 'callsBack'
	| 'answersSecondCall';

export const SCENARIOS: Readonly<Record<ScenarioKey, CallScenario>> = {
	answered: {
		key: 'answered',
		number: '+4917112345601',
		description: 'Answered; the candidate completes the screening.',
		callResult: 'answered',
		candidate: 'cooperative',
		ringSecs: 6,
		talkSecs: 184,
	},
	voicemail: {
		key: 'voicemail',
		number: '+4917112345602',
		description: 'The mailbox answers; the agent leaves no screening.',
		callResult: 'voicemail',
		ringSecs: 20,
		talkSecs: 18,
	},
	busy: {
		key: 'busy',
		number: '+4917112345603',
		description: 'Busy signal; the call never connects.',
		callResult: 'busy',
		ringSecs: 1,
		talkSecs: 0,
		failureReason: 'busy',
	},
	noAnswer: {
		key: 'noAnswer',
		number: '+4917112345604',
		description: 'Rings until the ringing timeout; nobody answers.',
		callResult: 'no_answer',
		ringSecs: 60,
		talkSecs: 0,
		failureReason: 'no-answer',
	},
	failed: {
		key: 'failed',
		number: '+4917112345605',
		description: 'The carrier rejects the call (unreachable number).',
		callResult: 'failed',
		ringSecs: 0,
		talkSecs: 0,
		failureReason: 'unknown',
	},
	optOut: {
		key: 'optOut',
		number: '+4915112345606',
		description: 'Answered; the candidate asks never to be called again.',
		callResult: 'answered',
		candidate: 'opts_out',
		ringSecs: 5,
		talkSecs: 34,
	},
	consentRefused: {
		key: 'consentRefused',
		number: '+4915112345607',
		description:
			'Answered; the candidate refuses consent to the recording, the agent ends the call.',
		callResult: 'answered',
		candidate: 'refuses_consent',
		ringSecs: 4,
		talkSecs: 27,
	},
	callbackRequested: {
		key: 'callbackRequested',
		number: '+4915112345608',
		description: 'Answered; the candidate has no time and asks for a call back.',
		callResult: 'answered',
		candidate: 'requests_callback',
		ringSecs: 7,
		talkSecs: 41,
		callbackRequest: { preferredTime: 'morgen ab 17 Uhr', note: 'Bitte nach Feierabend anrufen.' },
	},
	callsBack: {
		key: 'callsBack',
		number: '+4917112345621',
		description:
			'Does not pick up, then calls the agent number back two minutes after the call ended.',
		callResult: 'no_answer',
		ringSecs: 30,
		talkSecs: 0,
		failureReason: 'no-answer',
		callsBackAfterSecs: 120,
	},
	answersSecondCall: {
		key: 'answersSecondCall',
		number: '+4917112345622',
		description:
			'Does not pick up the first call; answers the second and completes the screening (a retry).',
		callResult: 'no_answer',
		ringSecs: 30,
		talkSecs: 0,
		failureReason: 'no-answer',
		answersFromCall: 2,
	},
};

/** The outcome for numbers not in the table. */
export const DEFAULT_SCENARIO_KEY: ScenarioKey = 'answered';

const BY_NUMBER = new Map(Object.values(SCENARIOS).map((scenario) => [scenario.number, scenario]));

/** Digits-only E.164 ("+49 171 1234 5601" and "+4917112345601" are the same number). */
export function normaliseNumber(number: string): string {
	const digits = number.replace(/[^\d+]/g, '');
	return digits.startsWith('00') ? `+${digits.slice(2)}` : digits;
}

/** The scenario for a dialled number; every number outside the table is answered. */
export function scenarioForNumber(number: string): CallScenario {
	const known = BY_NUMBER.get(normaliseNumber(number));
	if (known) return known;
	return { ...SCENARIOS[DEFAULT_SCENARIO_KEY], number: normaliseNumber(number) };
}

/** Lengths of answered calls that vary as real ones do: each number's own, fixed by the seed. */
export interface CallLengths {
	/** Shortest talk, in simulated seconds. */
	minSecs: number;
	/** Longest talk, in simulated seconds. */
	maxSecs: number;
	/** The same seed gives every number the same length in every run. */
	seed: string;
}

/** The scenario with its talk time drawn from `lengths` (only where somebody talks). */
export function withCallLength(scenario: CallScenario, lengths: CallLengths): CallScenario {
	if (scenario.talkSecs <= 0) return scenario;
	const draw =
		createHash('sha256').update(`${lengths.seed}\n${scenario.number}`).digest().readUInt32BE(0) /
		2 ** 32;
	return {
		...scenario,
		talkSecs: Math.round(lengths.minSecs + draw * (lengths.maxSecs - lengths.minSecs)),
	};
}
