/**
 * What a finished sandbox conversation contains: the transcript (spoken with the first message
 * and system prompt actually sent, in the conversation's language), the post-call analysis for
 * the agent's own data-collection fields and evaluation criteria, the audio, and the post-call
 * webhook payloads. All built from the conversation record, the agent and the dialled number's
 * scenario, so the same call always reads the same.
 */
import type { ElevenLabs } from '@elevenlabs/elevenlabs-js';

import type { ConversationRecord } from './conversations';
import { scenarioForNumber } from './scenarios';
import type { CandidateBehaviour, CallScenario } from './scenarios';
import type { AgentModel } from './state';

/** How the other end behaves: a candidate (scenario), a mailbox, or nobody. */
export type Behaviour = CandidateBehaviour | 'voicemail' | 'none';

/** What the agent was really told for this conversation (overrides win over the agent's own). */
export interface SentConversation {
	systemPrompt: string;
	/** Rendered with the dynamic variables. */
	firstMessage: string;
	language: string;
	variables: Record<string, unknown>;
}

type ClientData = {
	conversationConfigOverride?: {
		agent?: { firstMessage?: string; language?: string; prompt?: { prompt?: string } };
	};
	dynamicVariables?: Record<string, unknown>;
};

/** `{{name}}` → value of the dynamic variable; unknown names stay as they are. */
export function renderVariables(template: string, variables: Record<string, unknown>): string {
	return template.replace(/\{\{\s*([\w.-]+)\s*\}\}/g, (whole, name: string) =>
		variables[name] === undefined || variables[name] === null ? whole : String(variables[name]),
	);
}

export function sentConversation(
	record: ConversationRecord,
	agent: AgentModel | undefined,
): SentConversation {
	const clientData = (record.clientData ?? {}) as ClientData;
	const override = clientData.conversationConfigOverride?.agent;
	const own = agent?.conversationConfig?.agent;
	const variables = clientData.dynamicVariables ?? {};
	return {
		systemPrompt: renderVariables(override?.prompt?.prompt ?? own?.prompt?.prompt ?? '', variables),
		firstMessage: renderVariables(override?.firstMessage ?? own?.firstMessage ?? '', variables),
		language: override?.language ?? own?.language ?? 'en',
		variables,
	};
}

export function behaviourOf(record: ConversationRecord): Behaviour {
	const result = record.callResult ?? record.outcome.callResult;
	if (result === 'voicemail') return 'voicemail';
	if (result !== 'answered' || record.error) return 'none';
	const number = record.phoneCall?.externalNumber;
	// Browser conversations have no number: the candidate cooperates.
	return (number && scenarioForNumber(number).candidate) || 'cooperative';
}

// ---- the screening topics a prompt asks about, in the prompt's order ----

export type Topic =
	| 'consent'
	| 'start'
	| 'salary'
	| 'relocation'
	| 'interest'
	| 'optOut'
	| 'callback';

const TOPIC_PATTERNS: Array<[Topic, RegExp]> = [
	[
		'optOut',
		/opt.?out|do.?not.?call|no (further|more) calls|keine (weiteren )?anrufe|widerspr|widerruf/i,
	],
	['callback', /call.?back|rückruf|zurückruf/i],
	['consent', /consent|einverst|einwillig|aufzeichn|aufgezeichnet|record/i],
	['salary', /salary|gehalt|compensation|vergütung/i],
	['relocation', /relocat|umzug|umzieh|pendel|commut/i],
	['start', /start|beginn|eintritt|verfügbar|availab/i],
	['interest', /interest|interesse/i],
];

/** The screening questions the agent asks: those of its prompt, in the prompt's order. */
export function promptTopics(prompt: string): Topic[] {
	const asked: Topic[] = ['consent', 'start', 'salary', 'relocation'];
	return asked
		.map((topic) => ({ topic, at: prompt.search(TOPIC_PATTERNS.find(([t]) => t === topic)![1]) }))
		.filter(({ at }) => at >= 0)
		.sort((a, b) => a.at - b.at)
		.map(({ topic }) => topic);
}

/** Which topic a data-collection field or evaluation criterion is about (id and name first). */
export function topicOf(...texts: Array<string | undefined>): Topic | undefined {
	for (const text of texts) {
		if (!text) continue;
		const found = TOPIC_PATTERNS.find(([, pattern]) => pattern.test(text));
		if (found) return found[0];
	}
	return undefined;
}

// ---- the script, in German and English ----

interface Facts {
	name: string;
	company: string;
	job: string;
	/** ISO date the cooperative candidate can start (first day of the month after next). */
	startDate: string;
	startSpoken: string;
	salary: number;
	callbackTime: string;
}

interface Lines {
	agentLabel: string;
	hello: string;
	questions: Record<'consent' | 'start' | 'salary' | 'relocation', [string, string]>;
	interestQuestion: [string, string];
	goodbye: (f: Facts) => string;
	thanks: string;
	optOut: [string, string];
	refuse: [string, string, string];
	callback: (f: Facts) => [string, string];
	mailbox: (number: string) => string;
	summaries: Record<Exclude<Behaviour, 'none'>, (f: Facts) => string>;
	notDiscussed: string;
	yes: string;
	no: string;
}

const DE: Lines = {
	agentLabel: 'Agent',
	hello: 'Ja, hallo. Das passt gerade, gerne.',
	questions: {
		consent: [
			'Vielen Dank! Darf ich unser Gespräch für die Auswertung aufzeichnen?',
			'Ja, das ist in Ordnung.',
		],
		start: ['Ab wann könnten Sie die neue Stelle antreten?', ''],
		salary: ['Welche Gehaltsvorstellung haben Sie?', ''],
		relocation: [
			'Wären Sie bereit, an den Arbeitsort umzuziehen oder zu pendeln?',
			'Ja, pendeln wäre kein Problem.',
		],
	},
	interestQuestion: ['Haben Sie weiterhin Interesse an der Stelle?', 'Ja, sehr.'],
	goodbye: (f) =>
		`Vielen Dank, ${f.name}. Wir melden uns in den nächsten Tagen bei Ihnen. Auf Wiederhören!`,
	thanks: 'Danke, auf Wiederhören!',
	optOut: [
		'Nein, bitte rufen Sie mich nicht mehr an. Ich möchte keine weiteren Anrufe.',
		'Das verstehe ich. Wir werden Sie nicht mehr anrufen. Auf Wiederhören.',
	],
	refuse: [
		'Ja, hallo.',
		'Nein, mit einer Aufzeichnung bin ich nicht einverstanden.',
		'Das ist selbstverständlich in Ordnung. Dann beende ich das Gespräch an dieser Stelle. Auf Wiederhören.',
	],
	callback: (f) => [
		`Gerade ist es leider schlecht. Können Sie mich ${f.callbackTime} zurückrufen?`,
		`Natürlich. Ich notiere einen Rückruf ${f.callbackTime}. Bis dann!`,
	],
	mailbox: (number) =>
		`Sie sind verbunden mit der Mailbox von ${number}. Bitte hinterlassen Sie eine Nachricht nach dem Signalton.`,
	summaries: {
		cooperative: (f) =>
			`${f.name} hat der Aufzeichnung zugestimmt, ist an der Stelle als ${f.job} interessiert, kann ab ${f.startSpoken} anfangen und erwartet etwa ${f.salary.toLocaleString('de-DE')} € brutto im Jahr.`,
		opts_out: (f) =>
			`${f.name} möchte keine weiteren Anrufe erhalten. Das Gespräch wurde sofort beendet.`,
		refuses_consent: (f) =>
			`${f.name} hat der Aufzeichnung nicht zugestimmt. Das Vorgespräch wurde ohne weitere Fragen beendet.`,
		requests_callback: (f) =>
			`${f.name} hatte keine Zeit und bittet um einen Rückruf ${f.callbackTime}.`,
		voicemail: () => 'Die Mailbox hat den Anruf angenommen; es kam kein Gespräch zustande.',
	},
	notDiscussed: 'Im Gespräch nicht besprochen.',
	yes: 'ja',
	no: 'nein',
};

const EN: Lines = {
	agentLabel: 'Agent',
	hello: 'Yes, hello. Now is fine.',
	questions: {
		consent: ['Thank you! May I record our conversation for the evaluation?', 'Yes, that is fine.'],
		start: ['When could you start in the new position?', ''],
		salary: ['What are your salary expectations?', ''],
		relocation: [
			'Would you be willing to relocate or commute to the work location?',
			'Yes, commuting is no problem.',
		],
	},
	interestQuestion: ['Are you still interested in the position?', 'Yes, very much.'],
	goodbye: (f) =>
		`Thank you, ${f.name}. We will get back to you within the next few days. Goodbye!`,
	thanks: 'Thanks, goodbye!',
	optOut: [
		'No, please do not call me again. I do not want any further calls.',
		'I understand. We will not call you again. Goodbye.',
	],
	refuse: [
		'Yes, hello.',
		'No, I do not agree to a recording.',
		'That is perfectly fine. I will end the call here. Goodbye.',
	],
	callback: (f) => [
		`This is a bad moment, sorry. Could you call me back ${f.callbackTime}?`,
		`Of course. I am noting a call back ${f.callbackTime}. Talk to you then!`,
	],
	mailbox: (number) =>
		`You have reached the voicemail of ${number}. Please leave a message after the tone.`,
	summaries: {
		cooperative: (f) =>
			`${f.name} agreed to the recording, is interested in the ${f.job} position, can start on ${f.startSpoken} and expects about EUR ${f.salary.toLocaleString('en-GB')} gross per year.`,
		opts_out: (f) => `${f.name} does not want any further calls. The call was ended immediately.`,
		refuses_consent: (f) =>
			`${f.name} did not agree to the recording. The screening was ended without further questions.`,
		requests_callback: (f) => `${f.name} had no time and asks for a call back ${f.callbackTime}.`,
		voicemail: () => 'The voicemail answered the call; no conversation took place.',
	},
	notDiscussed: 'Not discussed in the call.',
	yes: 'yes',
	no: 'no',
};

function linesFor(language: string): Lines {
	return language.toLowerCase().startsWith('de') ? DE : EN;
}

function text(value: unknown): string | undefined {
	return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

function factsFor(
	record: ConversationRecord,
	sent: SentConversation,
	scenario: CallScenario | undefined,
): Facts {
	const v = sent.variables;
	const de = linesFor(sent.language) === DE;
	const started = new Date(record.startTimeUnixSecs * 1000);
	const start = new Date(Date.UTC(started.getUTCFullYear(), started.getUTCMonth() + 2, 1));
	return {
		name: text(v.candidate_name) ?? text(v.name) ?? (de ? 'Frau Muster' : 'Ms Sample'),
		company: text(v.company) ?? (de ? 'unserem Unternehmen' : 'our company'),
		job: text(v.job_title) ?? text(v.jobTitle) ?? (de ? 'Fachkraft' : 'specialist'),
		startDate: start.toISOString().slice(0, 10),
		startSpoken: start.toLocaleDateString(de ? 'de-DE' : 'en-GB', {
			day: 'numeric',
			month: 'long',
			year: 'numeric',
			timeZone: 'UTC',
		}),
		salary: 52000,
		callbackTime:
			scenario?.callbackRequest?.preferredTime ?? (de ? 'morgen ab 17 Uhr' : 'tomorrow after 5 pm'),
	};
}

interface Turn {
	role: 'agent' | 'user';
	message: string;
	/** A system tool the agent called in this turn, with its result (as the transcript lists it). */
	tool?: Pick<ElevenLabs.ConversationHistoryTranscriptResponseModel, 'toolCalls' | 'toolResults'>;
}

/** The agent's turn that calls its voicemail tool, as ElevenLabs' transcript records it. */
function voicemailToolTurn(message: string): Turn {
	const requestId = `voicemail_detection_${message.length}`;
	return {
		role: 'agent',
		message,
		tool: {
			toolCalls: [
				{
					type: 'system',
					requestId,
					toolName: 'voicemail_detection',
					paramsAsJson: '{}',
					toolHasBeenCalled: true,
				},
			],
			toolResults: [
				{
					type: 'system',
					requestId,
					toolName: 'voicemail_detection',
					resultValue: JSON.stringify({ status: 'success', voicemail_message: message || null }),
					isError: false,
					toolHasBeenCalled: true,
					result: {
						resultType: 'voicemail_detection_success',
						status: 'success',
						...(message ? { voicemailMessage: message } : {}),
					},
				},
			],
		},
	};
}

function scriptedTurns(
	behaviour: Behaviour,
	sent: SentConversation,
	facts: Facts,
	number: string,
	voicemail?: { message: string },
): Turn[] {
	const l = linesFor(sent.language);
	const agent = (message: string): Turn => ({ role: 'agent', message });
	const user = (message: string): Turn => ({ role: 'user', message });
	const first = agent(sent.firstMessage || l.questions.consent[0]);
	const de = l === DE;
	switch (behaviour) {
		case 'none':
			return [];
		case 'voicemail':
			// With the voicemail tool the agent leaves its message (or nothing) instead of talking on.
			if (!voicemail) return [user(l.mailbox(number)), first];
			return [user(l.mailbox(number)), voicemailToolTurn(voicemail.message)];
		case 'opts_out':
			return [first, user(l.optOut[0]), agent(l.optOut[1])];
		case 'refuses_consent':
			return [
				first,
				user(l.refuse[0]),
				agent(l.questions.consent[0]),
				user(l.refuse[1]),
				agent(l.refuse[2]),
			];
		case 'requests_callback': {
			const [ask, confirm] = l.callback(facts);
			return [first, user(ask), agent(confirm)];
		}
		case 'cooperative': {
			const answers: Record<'consent' | 'start' | 'salary' | 'relocation', string> = {
				consent: l.questions.consent[1],
				start: de ? `Ab dem ${facts.startSpoken}.` : `From ${facts.startSpoken}.`,
				salary: de
					? `Etwa ${facts.salary.toLocaleString('de-DE')} Euro brutto im Jahr.`
					: `About EUR ${facts.salary.toLocaleString('en-GB')} gross per year.`,
				relocation: l.questions.relocation[1],
			};
			const topics = promptTopics(sent.systemPrompt).filter(
				(topic): topic is 'consent' | 'start' | 'salary' | 'relocation' => topic in answers,
			);
			const asked = topics.length
				? topics.flatMap((t) => [agent(l.questions[t][0]), user(answers[t])])
				: [];
			const interest = topics.length
				? []
				: [agent(l.interestQuestion[0]), user(l.interestQuestion[1])];
			return [first, user(l.hello), ...asked, ...interest, agent(l.goodbye(facts)), user(l.thanks)];
		}
	}
}

/** Spreads the turns over the call, as `time_in_call_secs`. */
function timed(
	turns: Turn[],
	durationSecs: number,
): ElevenLabs.ConversationHistoryTranscriptResponseModel[] {
	const step = turns.length > 1 ? Math.max(1, Math.floor(durationSecs / turns.length)) : 0;
	return turns.map((turn, i) => ({
		role: turn.role,
		message: turn.message,
		timeInCallSecs: i * step,
		...turn.tool,
	}));
}

// ---- analysis ----

type Value = string | number | boolean | null;

function topicValue(
	topic: Topic | undefined,
	behaviour: Behaviour,
	asked: Topic[],
	facts: Facts,
): Value {
	switch (behaviour) {
		case 'cooperative':
			if (topic === 'interest') return true;
			if (topic === 'optOut' || topic === 'callback') return false;
			if (!topic || !asked.includes(topic)) return null;
			return topic === 'start' ? facts.startDate : topic === 'salary' ? facts.salary : true;
		case 'opts_out':
			return topic === 'optOut' ? true : topic === 'interest' ? false : null;
		case 'refuses_consent':
			return topic === 'consent' ? false : topic === 'optOut' ? false : null;
		case 'requests_callback':
			return topic === 'callback'
				? facts.callbackTime
				: topic === 'interest'
					? true
					: topic === 'optOut'
						? false
						: null;
		default:
			return null;
	}
}

/** A value in the type the agent asked for (a boolean field gets no date, etc.). */
function typed(value: Value, type: string, l: Lines): Value {
	if (value === null) return null;
	switch (type) {
		case 'boolean':
			return typeof value === 'boolean' ? value : typeof value === 'string' ? true : null;
		case 'integer':
		case 'number':
			return typeof value === 'number' ? value : null;
		default:
			return typeof value === 'boolean' ? (value ? l.yes : l.no) : String(value);
	}
}

function criterionResult(
	topic: Topic | undefined,
	id: string,
	behaviour: Behaviour,
): ElevenLabs.EvaluationSuccessResult {
	const completion = /complete|abgeschlossen|vollständig|screening/i.test(id);
	if (behaviour === 'cooperative') return 'success';
	if (behaviour === 'voicemail' || behaviour === 'none') return completion ? 'failure' : 'unknown';
	if (completion) return 'failure';
	if (topic === 'interest')
		return behaviour === 'opts_out'
			? 'failure'
			: behaviour === 'requests_callback'
				? 'success'
				: 'unknown';
	if (topic === 'consent') return behaviour === 'refuses_consent' ? 'failure' : 'unknown';
	if (topic === 'optOut') return behaviour === 'opts_out' ? 'success' : 'failure';
	return 'unknown';
}

const CALL_SUCCESSFUL: Record<Behaviour, ElevenLabs.EvaluationSuccessResult> = {
	cooperative: 'success',
	requests_callback: 'unknown',
	opts_out: 'failure',
	refuses_consent: 'failure',
	voicemail: 'failure',
	none: 'failure',
};

function analysisFor(
	agent: AgentModel | undefined,
	behaviour: Behaviour,
	sent: SentConversation,
	facts: Facts,
): ElevenLabs.ConversationHistoryAnalysisCommonModel {
	const l = linesFor(sent.language);
	const asked = promptTopics(sent.systemPrompt);
	const dataCollectionResults: Record<string, ElevenLabs.DataCollectionResultCommonModel> = {};
	for (const [id, property] of Object.entries(agent?.platformSettings?.dataCollection ?? {})) {
		const topic = topicOf(id, property.name, property.description);
		const value = typed(topicValue(topic, behaviour, asked, facts), property.type, l);
		dataCollectionResults[id] = {
			dataCollectionId: id,
			value: value ?? undefined,
			jsonSchema: { type: property.type, description: property.description },
			rationale: value === null ? l.notDiscussed : `${l.agentLabel}: ${id} = ${String(value)}`,
		};
	}
	const evaluationCriteriaResults: Record<
		string,
		ElevenLabs.ConversationHistoryEvaluationCriteriaResultCommonModel
	> = {};
	for (const criterion of agent?.platformSettings?.evaluation?.criteria ?? []) {
		const result = criterionResult(
			topicOf(criterion.id, criterion.name, criterion.conversationGoalPrompt),
			criterion.id,
			behaviour,
		);
		evaluationCriteriaResults[criterion.id] = {
			criteriaId: criterion.id,
			result,
			rationale: criterion.conversationGoalPrompt,
		};
	}
	const summary = behaviour === 'none' ? '' : l.summaries[behaviour](facts);
	return {
		callSuccessful: CALL_SUCCESSFUL[behaviour],
		transcriptSummary: summary,
		callSummaryTitle: summary.split(/[.;]/)[0].slice(0, 60),
		dataCollectionResults,
		evaluationCriteriaResults,
	};
}

// ---- the conversation as GET /v1/convai/conversations/{id} returns it ----

const TALKED = new Set(['processing', 'done']);

/** Whether a recording exists: only once the call is over and someone (or a mailbox) talked. */
export function hasAudio(record: ConversationRecord): boolean {
	return (
		record.status === 'done' &&
		(record.callResult === 'answered' || record.callResult === 'voicemail')
	);
}

function phoneCallOf(
	record: ConversationRecord,
): ElevenLabs.ConversationHistoryMetadataCommonModelPhoneCall | undefined {
	const call = record.phoneCall;
	if (!call) return undefined;
	const sid = call.callSid ?? `CA${record.conversationId.slice(5).padEnd(32, '0').slice(0, 32)}`;
	const shared = {
		direction: call.direction,
		phoneNumberId: call.phoneNumberId,
		agentNumber: call.agentNumber,
		externalNumber: call.externalNumber,
		callResult: record.callResult,
		callSid: sid,
	};
	return call.type === 'twilio'
		? { type: 'twilio', ...shared, streamSid: `MZ${sid.slice(2)}` }
		: { type: 'sip_trunking', ...shared, callId: call.callId };
}

/** Cost in credits, roughly ElevenLabs' per-minute rate. */
const creditsFor = (seconds: number) => Math.round((seconds / 60) * 100) * 10;

export function conversationDetails(
	record: ConversationRecord,
	agent: AgentModel | undefined,
): ElevenLabs.GetConversationResponseModel {
	const sent = sentConversation(record, agent);
	const behaviour = behaviourOf(record);
	const number = record.phoneCall?.externalNumber ?? '';
	const scenario = number ? scenarioForNumber(number) : undefined;
	const facts = factsFor(record, sent, scenario);
	const turns = record.turns
		? record.turns.map((turn) => ({
				role: turn.role,
				message: turn.message,
				timeInCallSecs: turn.timeInCallSecs,
			}))
		: timed(
				scriptedTurns(behaviour, sent, facts, number, record.voicemail),
				record.callDurationSecs,
			);
	const done = record.status === 'done';
	// A live conversation shows what was said so far; a scripted one its first line while it runs.
	const transcript =
		record.turns || TALKED.has(record.status)
			? turns
			: record.status === 'in-progress'
				? turns.slice(0, 1)
				: [];
	const clientData = record.clientData as
		| ElevenLabs.ConversationInitiationClientDataRequestOutput
		| undefined;
	const systemVariables: Record<string, unknown> = {
		system__agent_id: record.agentId,
		system__conversation_id: record.conversationId,
		...(number ? { system__called_number: number } : {}),
		...(done ? { system__call_duration_secs: record.callDurationSecs } : {}),
	};
	return {
		agentId: record.agentId,
		agentName: agent?.name,
		conversationId: record.conversationId,
		status: record.status,
		userId: record.userId,
		transcript,
		metadata: {
			startTimeUnixSecs: record.startTimeUnixSecs,
			acceptedTimeUnixSecs: record.acceptedTimeUnixSecs,
			callDurationSecs: record.callDurationSecs,
			cost: done ? creditsFor(record.callDurationSecs) : undefined,
			terminationReason: record.terminationReason,
			error: record.error,
			mainLanguage: TALKED.has(record.status) && behaviour !== 'none' ? sent.language : undefined,
			phoneCall: phoneCallOf(record),
			batchCall: record.batchCall,
			conversationInitiationSource: record.source as ElevenLabs.ConversationInitiationSource,
		},
		analysis: done ? analysisFor(agent, behaviour, sent, facts) : undefined,
		conversationInitiationClientData: {
			...clientData,
			userId: clientData?.userId ?? record.userId,
			dynamicVariables: { ...clientData?.dynamicVariables, ...systemVariables },
		},
		hasAudio: hasAudio(record),
		hasUserAudio: hasAudio(record),
		hasResponseAudio: hasAudio(record),
		hasAuxiliaryAudio: false,
	};
}

/** One line of `GET /v1/convai/conversations`. */
export function conversationSummary(
	details: ElevenLabs.GetConversationResponseModel,
	includeSummary: boolean,
): ElevenLabs.ConversationSummaryResponseModel {
	return {
		agentId: details.agentId,
		agentName: details.agentName,
		conversationId: details.conversationId,
		startTimeUnixSecs: details.metadata.startTimeUnixSecs,
		callDurationSecs: details.metadata.callDurationSecs,
		messageCount: details.transcript.length,
		status: details.status,
		terminationReason: details.metadata.terminationReason,
		callSuccessful: details.analysis?.callSuccessful ?? 'unknown',
		transcriptSummary: includeSummary ? details.analysis?.transcriptSummary : undefined,
		callSummaryTitle: includeSummary ? details.analysis?.callSummaryTitle : undefined,
		mainLanguage: details.metadata.mainLanguage,
		conversationInitiationSource: details.metadata.conversationInitiationSource,
		direction: details.metadata.phoneCall?.direction,
	};
}

// ---- audio ----

// MPEG-2 Layer III, 32 kbit/s, 22.05 kHz, mono: 104-byte frames of 576 samples (26 ms each).
const FRAME_HEADER = Buffer.from([0xff, 0xf3, 0x40, 0xc4]);
const FRAME_BYTES = 104;
const FRAMES_PER_SECOND = 22050 / 576;

/** A valid, silent MP3 as long as the call (at least one second). */
export function silentMp3(durationSecs: number): Buffer {
	const frames = Math.max(1, Math.ceil(Math.max(1, durationSecs) * FRAMES_PER_SECOND));
	const audio = Buffer.alloc(frames * FRAME_BYTES);
	for (let i = 0; i < frames; i++) FRAME_HEADER.copy(audio, i * FRAME_BYTES);
	return audio;
}

// ---- post-call webhook payloads (wire) ----

/** `call_initiation_failure` data: the provider's status callback as ElevenLabs forwards it. */
export function initiationFailureData(record: ConversationRecord): Record<string, unknown> {
	const number = record.phoneCall?.externalNumber;
	const reason = number ? (scenarioForNumber(number).failureReason ?? 'unknown') : 'unknown';
	const sip = record.phoneCall?.type === 'sip_trunking';
	const twilioStatus = reason === 'no-answer' ? 'no-answer' : reason === 'busy' ? 'busy' : 'failed';
	return {
		agent_id: record.agentId,
		conversation_id: record.conversationId,
		failure_reason: reason,
		metadata: sip
			? {
					type: 'sip',
					body: {
						to_number: number,
						from_number: record.phoneCall?.agentNumber,
						sip_status_code: reason === 'busy' ? 486 : reason === 'no-answer' ? 480 : 404,
					},
				}
			: {
					type: 'twilio',
					body: {
						CallSid: record.phoneCall?.callSid,
						CallStatus: twilioStatus,
						To: number,
						From: record.phoneCall?.agentNumber,
						Direction: 'outbound-api',
					},
				},
	};
}
