/**
 * One results row read into what the report counts: outcome, funnel stage, way of reach, answers.
 * Rows come from sheets, Get Transcript, the trigger or the demo, so every fact is looked for
 * under the names those use, and a fact no column gives stays unknown (never guessed).
 */
import { REACH_WAYS } from '../../shared/conversation/reachedVia';
import { firstGiven, instant, isBlank, looseNumber, yesNo, displayText } from './values';

export const OUTCOMES = [
	'completed',
	'incomplete',
	'callback',
	'consent_declined',
	'opted_out',
	'wrong_person',
	'voicemail',
	'no_answer',
	'busy',
	'failed',
	'pending',
	'not_dialled',
	'unknown',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const WAYS = [...REACH_WAYS, 'unknown'] as const;
export type Way = (typeof WAYS)[number];

/** The names each fact goes by in the rows this package's workflows write. */
export const FIELD_NAMES = {
	name: ['name', 'candidateName', 'fullName', 'candidate_name'],
	id: ['candidateId', 'candidate_id', 'id'],
	phone: ['toNumber', 'phone', 'phoneNumber', 'candidatePhone'],
	language: ['language', 'lang'],
	timezone: ['timezone', 'timeZone'],
	status: ['status'],
	callResult: ['callResult', 'outcome', 'call_result'],
	reached: ['reached'],
	reachedVia: ['reachedVia', 'reached_via'],
	attempts: ['attempts', 'attempt', 'attemptNumber'],
	consent: ['consent', 'consentGiven', 'consent_given'],
	interested: ['interested', 'stillInterested', 'still_interested'],
	callSuccessful: ['callSuccessful', 'call_successful'],
	optOut: ['optOut', 'opt_out', 'optedOut', 'application_withdrawn'],
	doNotCall: ['doNotCall', 'do_not_call'],
	wrongPerson: ['wrongPerson', 'reached_other_person', 'wrong_person'],
	callbackRequested: ['callbackRequested', 'callback_requested'],
	callbackTime: ['callbackTime', 'callback_time', 'callback'],
	calledAt: ['startedAt', 'answeredAt', 'calledAt', 'lastCallAt', 'placedAt', 'startTime'],
	durationSecs: ['durationSecs', 'duration_secs', 'callDurationSecs', 'duration'],
	cost: ['cost', 'callCost'],
	summary: ['summary', 'transcriptSummary'],
	conversationId: ['conversationId', 'conversation_id'],
	transcriptUrl: ['transcriptUrl', 'transcriptLink'],
} as const;

/** Everything a row's columns say about the call, before it counts for anything. */
export interface CandidateRow {
	/** The input item's index. */
	index: number;
	name: string;
	id: string;
	phone: string;
	language: string;
	timezone: string;
	outcome: Outcome;
	/** Why a candidate was not dialled (`outside_window`, `do_not_call`, …), as the status said. */
	notDialledReason: string;
	callbackTime: string;
	dialled: boolean;
	reached: boolean;
	consent: boolean | undefined;
	completed: boolean;
	interested: boolean | undefined;
	optOut: boolean;
	doNotCall: boolean | undefined;
	way: Way | undefined;
	attempts: number | undefined;
	calledAt: string | undefined;
	durationSecs: number | undefined;
	cost: number | undefined;
	/** The row gave a cost that is no number ("free", "n/a"). */
	costUnreadable: boolean;
	summary: string;
	conversationId: string;
	transcriptUrl: string;
}

const REACHED_STATUSES = new Set([
	'screened',
	'completed',
	'callback',
	'consent_refused',
	'opted_out',
	'wrong_person',
	'answered',
	'reached',
]);
const DIALLED_STATUSES = new Set([
	...REACHED_STATUSES,
	'initiated',
	'in_campaign',
	'unknown',
	'already_called',
	'voicemail',
	'busy',
	'no_answer',
	'failed',
	'in-progress',
	'processing',
	'done',
]);
const PENDING_STATUSES = new Set([
	'initiated',
	'in_campaign',
	'unknown',
	'in-progress',
	'processing',
]);
const NOT_DIALLED_STATUSES = new Set([
	'outside_window',
	'do_not_call',
	'attempts_exhausted',
	'too_soon',
	'pending',
	'waiting',
	'skipped',
]);

function word(value: unknown): string {
	return typeof value === 'string'
		? value
				.trim()
				.toLowerCase()
				.replace(/[\s-]+/g, '_')
		: '';
}

function wayOf(value: unknown): Way | undefined {
	if (isBlank(value)) return undefined;
	const way = word(value);
	return (WAYS as readonly string[]).includes(way) && way !== 'unknown' ? (way as Way) : 'unknown';
}

function text(value: unknown, max?: number): string {
	return displayText(value, max);
}

/** One row of the input, read. */
export function readCandidate(json: Record<string, unknown>, index: number): CandidateRow {
	const get = (names: readonly string[]) => firstGiven(json, names);
	const status = word(get(FIELD_NAMES.status));
	// "status" of Get Transcript is the conversation's (done, failed); the call's result is callResult.
	const result = word(get(FIELD_NAMES.callResult));
	const isWord = (w: string) => status === w || result === w || status.includes(w);

	const explicitOptOut = yesNo(get(FIELD_NAMES.optOut));
	const doNotCall = yesNo(get(FIELD_NAMES.doNotCall));
	const optOut = explicitOptOut === true || status === 'opted_out';
	const wrongPerson = yesNo(get(FIELD_NAMES.wrongPerson)) === true || status === 'wrong_person';
	let consent = yesNo(get(FIELD_NAMES.consent));
	if (status === 'consent_refused') consent = false;
	const interested = yesNo(get(FIELD_NAMES.interested));

	const callbackValue = get(FIELD_NAMES.callbackTime);
	const callbackAsYesNo = yesNo(callbackValue);
	const callbackRequested =
		yesNo(get(FIELD_NAMES.callbackRequested)) === true ||
		status === 'callback' ||
		callbackAsYesNo === true ||
		(callbackAsYesNo === undefined && !isBlank(callbackValue));
	const callbackTime =
		callbackRequested && callbackAsYesNo === undefined ? text(callbackValue, 80) : '';

	const way = wayOf(get(FIELD_NAMES.reachedVia));
	const explicitReached = yesNo(get(FIELD_NAMES.reached));
	const reached =
		explicitReached ??
		(result === 'answered' ||
			REACHED_STATUSES.has(status) ||
			way === 'callback' ||
			way === 'browser' ||
			consent !== undefined ||
			wrongPerson);
	const conversationId = text(get(FIELD_NAMES.conversationId), 120);
	const attempts = looseNumber(get(FIELD_NAMES.attempts));
	const dialled =
		reached ||
		DIALLED_STATUSES.has(status) ||
		['answered', 'voicemail', 'busy', 'no_answer', 'failed'].includes(result) ||
		conversationId !== '' ||
		(attempts !== undefined && attempts > 0);
	const completed =
		reached &&
		consent === true &&
		!optOut &&
		!wrongPerson &&
		(status === 'screened' ||
			status === 'completed' ||
			yesNo(get(FIELD_NAMES.callSuccessful)) === true ||
			interested !== undefined);

	let outcome: Outcome;
	if (optOut) outcome = 'opted_out';
	else if (wrongPerson) outcome = 'wrong_person';
	else if (consent === false) outcome = 'consent_declined';
	else if (callbackRequested && !completed) outcome = 'callback';
	else if (completed) outcome = 'completed';
	else if (reached) outcome = 'incomplete';
	else if (isWord('voicemail')) outcome = 'voicemail';
	else if (isWord('busy')) outcome = 'busy';
	else if (isWord('no_answer')) outcome = 'no_answer';
	else if (isWord('failed') || isWord('error')) outcome = 'failed';
	else if (!dialled && (NOT_DIALLED_STATUSES.has(status) || status === '' || status === 'new'))
		outcome = status || result ? 'not_dialled' : 'unknown';
	else if (PENDING_STATUSES.has(status) || PENDING_STATUSES.has(result)) outcome = 'pending';
	else outcome = 'unknown';

	const costValue = get(FIELD_NAMES.cost);
	const cost = looseNumber(costValue);
	const calledAt = get(FIELD_NAMES.calledAt);
	return {
		index,
		name: text(get(FIELD_NAMES.name), 120),
		id: text(get(FIELD_NAMES.id), 80),
		phone: text(get(FIELD_NAMES.phone), 40),
		language: word(get(FIELD_NAMES.language)).slice(0, 2),
		timezone: text(get(FIELD_NAMES.timezone), 60),
		outcome,
		notDialledReason: outcome === 'not_dialled' ? status : '',
		callbackTime,
		dialled,
		reached,
		consent,
		completed,
		interested,
		optOut,
		doNotCall: status === 'do_not_call' ? true : doNotCall,
		way,
		attempts: attempts !== undefined && attempts >= 0 ? Math.round(attempts) : undefined,
		calledAt: instant(calledAt)
			? String(calledAt instanceof Date ? calledAt.toISOString() : calledAt)
			: undefined,
		durationSecs: looseNumber(get(FIELD_NAMES.durationSecs)),
		cost,
		costUnreadable: cost === undefined && !isBlank(costValue),
		summary: text(get(FIELD_NAMES.summary), 600),
		conversationId,
		transcriptUrl: text(get(FIELD_NAMES.transcriptUrl), 500),
	};
}
