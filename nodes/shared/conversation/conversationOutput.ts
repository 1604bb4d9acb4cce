/** One conversation as Get Transcript and the ElevenLabs trigger both output it */
import type { ElevenLabs } from '@elevenlabs/elevenlabs-js';

import type { OutputField } from '../n8n/outputFields';
import { reachedVia } from './reachedVia';
import type { ReachedVia } from './reachedVia';

/**
 * One conversation as Get Transcript and the ElevenLabs Agents Trigger both output it, so the
 * same downstream nodes (a sheet update, an ATS request) serve both.
 */

export type CallResult = 'answered' | 'voicemail' | 'busy' | 'no_answer' | 'failed';

export type TranscriptTurn = {
	role: 'agent' | 'candidate';
	/** The speaker label in the conversation's language, as in `transcriptText`. */
	speaker: string;
	message: string;
	timeInCallSecs: number;
};

export type ConversationOutput = {
	conversationId: string;
	agentId: string;
	/** One of CONVERSATION_STATUSES (conversationStatus.ts). */
	status: string;
	callResult: CallResult | null;
	/** How the person was reached: first_call | retry | callback | browser; null when not reached. */
	reachedVia: ReachedVia | null;
	/** ISO time the call started. */
	startedAt: string | null;
	durationSecs: number | null;
	/** ElevenLabs credits charged for the conversation. */
	cost: number | null;
	summary: string | null;
	/** success | failure | unknown, from the agent's success evaluation. */
	callSuccessful: string | null;
	/** The dialled number (phone calls). */
	toNumber: string | null;
	language: string | null;
	terminationReason: string | null;
	hasAudio: boolean;
	transcriptText: string;
	turns: TranscriptTurn[];
	/** Answers the agent collected: data-collection id → value (null when not collected). */
	dataCollection: Record<string, unknown>;
	/** Evaluation criterion id → success | failure | unknown. */
	evaluation: Record<string, string>;
	/** The variables the call was placed with (ElevenLabs' own `system__` variables left out). */
	dynamicVariables: Record<string, unknown>;
	/** The idempotency key the call was placed with (ElevenLabs `user_id`). */
	userId: string | null;
};

/** The fields of ConversationOutput as the node pages show them (a test holds them to the output). */
export const conversationOutputFields: OutputField[] = [
	{
		name: 'conversationId',
		type: 'string',
		example: 'conv_01j…',
		description: "ElevenLabs' conversation id.",
	},
	{
		name: 'agentId',
		type: 'string',
		example: 'agent_…',
		description: 'The agent that held the call.',
	},
	{
		name: 'status',
		type: 'string',
		example: 'done',
		description: '`initiated`, `in-progress`, `processing`, `done` or `failed`.',
	},
	{
		name: 'callResult',
		type: 'string or null',
		example: 'answered',
		description:
			'`answered`, `voicemail`, `busy`, `no_answer`, `failed`; `null` while running. Where ElevenLabs reports none (browser interviews): `answered` when the candidate spoke.',
	},
	{
		name: 'reachedVia',
		type: 'string or null',
		example: 'first_call',
		description:
			"How the person was reached: `first_call` (an outbound first attempt, or an outbound call whose attempt is unknown), `retry` (attempt 2 or later), `callback` (the candidate called the agent's number), `browser` (no phone call: the interview page); `null` when not reached (voicemail, busy, no answer, failed, still running).",
	},
	{
		name: 'startedAt',
		type: 'string or null',
		example: '2026-03-02T09:00:00.000Z',
		description: 'When the call started.',
	},
	{ name: 'durationSecs', type: 'number or null', example: '184', description: 'Talk time.' },
	{
		name: 'cost',
		type: 'number or null',
		example: '3070',
		description: 'ElevenLabs credits charged.',
	},
	{
		name: 'summary',
		type: 'string or null',
		example: 'Die Kandidatin …',
		description: "ElevenLabs' summary, in the conversation's language.",
	},
	{
		name: 'callSuccessful',
		type: 'string or null',
		example: 'success',
		description: "The agent's success evaluation: `success`, `failure`, `unknown`.",
	},
	{
		name: 'toNumber',
		type: 'string or null',
		example: '+4917112345601',
		description: 'The dialled number.',
	},
	{
		name: 'language',
		type: 'string or null',
		example: 'de',
		description: "The conversation's language.",
	},
	{
		name: 'terminationReason',
		type: 'string or null',
		example: 'Call ended by remote party',
		description: 'Why the call ended (for a call that never connected: `busy`, `no-answer`, …).',
	},
	{
		name: 'hasAudio',
		type: 'boolean',
		example: 'true',
		description: 'Whether a recording exists (for Download Audio).',
	},
	{
		name: 'transcriptText',
		type: 'string',
		example: 'Agent: Hallo …\\nKandidat:in: Ja, …',
		description:
			"The conversation, one line per turn, with speaker labels in the conversation's language (de: Agent / Kandidat:in, en: Agent / Candidate, also fr, es, it, nl, pl, pt, tr; others English).",
	},
	{
		name: 'turns',
		type: 'object[]',
		example: '[{ role, speaker, message, timeInCallSecs }]',
		description:
			'The same, structured; `role` is `agent` or `candidate`. Tool calls without speech are left out.',
	},
	{
		name: 'dataCollection',
		type: 'object',
		example: '{ "consent_given": true, "salary_expectation": "52000 EUR brutto im Jahr" }',
		description:
			"The answers the agent collected: field id → value, `null` when not collected. The fields are the agent's *Analysis → Data collection* settings (Build Recruiting Prompt → Publish sets them up).",
	},
	{
		name: 'evaluation',
		type: 'object',
		example: '{ "screening_completed": "success" }',
		description: 'Evaluation criterion id → `success`, `failure`, `unknown`.',
	},
	{
		name: 'dynamicVariables',
		type: 'object',
		example: '{ "name": "Anna Weber", "candidateId": "1042" }',
		description:
			"The variables the call was placed with (ElevenLabs' own `system__…` variables left out); from the second attempt on it includes `call_attempt` (2, 3, …), which Place Agent Call adds.",
	},
	{
		name: 'userId',
		type: 'string or null',
		example: 'vr1_5d41402abc4b2a76b9719d911017c592',
		description:
			"The idempotency key the call was placed with (Place Agent Call's `idempotencyKey`; for a browser interview the `userId` the page passed): use it to find the sheet row.",
	},
];

/** Fields kept by "Simplify": the outcome without the transcript, for AI agents and sheets. */
export const SIMPLIFIED_FIELDS = [
	'conversationId',
	'status',
	'callResult',
	'reachedVia',
	'durationSecs',
	'summary',
	'callSuccessful',
	'dataCollection',
	'evaluation',
	'userId',
] as const satisfies ReadonlyArray<keyof ConversationOutput>;

export type SimplifiedConversation = Pick<ConversationOutput, (typeof SIMPLIFIED_FIELDS)[number]>;

const SPEAKERS: Record<string, { agent: string; candidate: string }> = {
	en: { agent: 'Agent', candidate: 'Candidate' },
	de: { agent: 'Agent', candidate: 'Kandidat:in' },
	fr: { agent: 'Agent', candidate: 'Candidat·e' },
	es: { agent: 'Agente', candidate: 'Candidato/a' },
	it: { agent: 'Agente', candidate: 'Candidato/a' },
	nl: { agent: 'Agent', candidate: 'Kandidaat' },
	pl: { agent: 'Agent', candidate: 'Kandydat' },
	pt: { agent: 'Agente', candidate: 'Candidato/a' },
	tr: { agent: 'Temsilci', candidate: 'Aday' },
};

/** Speaker labels for a language code such as `de`, `de-DE` or `pt_BR` (English otherwise). */
export function speakerLabels(language: string | null | undefined): {
	agent: string;
	candidate: string;
} {
	const primary = (language ?? '').toLowerCase().split(/[-_]/)[0];
	return SPEAKERS[primary] ?? SPEAKERS.en;
}

function conversationLanguage(
	conversation: ElevenLabs.GetConversationResponseModel,
): string | null {
	return (
		conversation.metadata?.mainLanguage ??
		conversation.conversationInitiationClientData?.conversationConfigOverride?.agent?.language ??
		null
	);
}

/** Whether the agent's voicemail tool ran: the call reached a mailbox, whatever else it reports. */
function endedAtMailbox(conversation: ElevenLabs.GetConversationResponseModel): boolean {
	return (conversation.transcript ?? []).some((entry) =>
		entry.toolResults?.some(
			(result) => result.toolName === 'voicemail_detection' && !result.isError,
		),
	);
}

function callResultOf(
	conversation: ElevenLabs.GetConversationResponseModel,
	turns: TranscriptTurn[],
): CallResult | null {
	if (endedAtMailbox(conversation)) return 'voicemail';
	const reported = conversation.metadata?.phoneCall?.callResult;
	if (reported) return reported;
	if (conversation.status === 'failed') return 'failed';
	// Browser conversations and older calls carry no call result: someone spoke, so it was answered.
	if (conversation.status === 'done' && turns.some((turn) => turn.role === 'candidate'))
		return 'answered';
	return null;
}

function withoutSystemVariables(
	variables: Record<string, unknown> | undefined,
): Record<string, unknown> {
	return Object.fromEntries(
		Object.entries(variables ?? {}).filter(([name]) => !name.startsWith('system__')),
	);
}

function isoFromUnix(seconds: number | undefined): string | null {
	return typeof seconds === 'number' && Number.isFinite(seconds)
		? new Date(seconds * 1000).toISOString()
		: null;
}

/** Shapes a conversation (the SDK's camelCase model, from GET or a webhook) for the output. */
export function conversationOutput(
	conversation: ElevenLabs.GetConversationResponseModel,
): ConversationOutput {
	const language = conversationLanguage(conversation);
	const labels = speakerLabels(language);
	const turns: TranscriptTurn[] = (conversation.transcript ?? [])
		.filter((turn) => typeof turn.message === 'string' && turn.message.trim() !== '')
		.map((turn) => {
			const role = turn.role === 'agent' ? 'agent' : 'candidate';
			return {
				role,
				speaker: labels[role],
				message: turn.message!.trim(),
				timeInCallSecs: turn.timeInCallSecs,
			};
		});
	const analysis = conversation.analysis;
	const dataCollection: Record<string, unknown> = {};
	for (const [key, result] of Object.entries(analysis?.dataCollectionResults ?? {})) {
		dataCollection[result?.dataCollectionId || key] = result?.value ?? null;
	}
	const evaluation: Record<string, string> = {};
	for (const [key, result] of Object.entries(analysis?.evaluationCriteriaResults ?? {})) {
		evaluation[result?.criteriaId || key] = result?.result ?? 'unknown';
	}
	const metadata = conversation.metadata;
	const clientData = conversation.conversationInitiationClientData;
	const callResult = callResultOf(conversation, turns);
	return {
		conversationId: conversation.conversationId,
		agentId: conversation.agentId,
		status: conversation.status,
		callResult,
		reachedVia: reachedVia(conversation, callResult),
		startedAt: isoFromUnix(metadata?.startTimeUnixSecs),
		durationSecs: metadata?.callDurationSecs ?? null,
		cost: metadata?.cost ?? null,
		summary: analysis?.transcriptSummary ?? null,
		callSuccessful: analysis?.callSuccessful ?? null,
		toNumber: metadata?.phoneCall?.externalNumber ?? null,
		language,
		terminationReason: metadata?.terminationReason ?? null,
		hasAudio: conversation.hasAudio === true,
		transcriptText: turns.map((turn) => `${turn.speaker}: ${turn.message}`).join('\n'),
		turns,
		dataCollection,
		evaluation,
		dynamicVariables: withoutSystemVariables(clientData?.dynamicVariables),
		userId: conversation.userId ?? clientData?.userId ?? null,
	};
}

export function simplifyConversation(output: ConversationOutput): SimplifiedConversation {
	const simplified: Partial<SimplifiedConversation> = {};
	for (const field of SIMPLIFIED_FIELDS)
		(simplified as Record<string, unknown>)[field] = output[field];
	return simplified as SimplifiedConversation;
}

/** What ElevenLabs reports in a `call_initiation_failure` event, in plain values. */
export type InitiationFailure = {
	conversationId: string;
	agentId: string;
	/** ElevenLabs' `failure_reason`: busy | no-answer | unknown (others passed through). */
	failureReason: string;
	toNumber: string | null;
	userId: string | null;
	dynamicVariables: Record<string, unknown>;
};

const FAILURE_RESULTS: Record<string, CallResult> = {
	busy: 'busy',
	'no-answer': 'no_answer',
	no_answer: 'no_answer',
};

/** A call that never connected, in the same shape as a finished conversation. */
export function initiationFailureOutput(failure: InitiationFailure): ConversationOutput {
	return {
		conversationId: failure.conversationId,
		agentId: failure.agentId,
		status: 'failed',
		callResult: FAILURE_RESULTS[failure.failureReason] ?? 'failed',
		reachedVia: null,
		startedAt: null,
		durationSecs: 0,
		cost: null,
		summary: null,
		callSuccessful: null,
		toNumber: failure.toNumber,
		language: null,
		terminationReason: failure.failureReason,
		hasAudio: false,
		transcriptText: '',
		turns: [],
		dataCollection: {},
		evaluation: {},
		dynamicVariables: withoutSystemVariables(failure.dynamicVariables),
		userId: failure.userId,
	};
}
