/**
 * Answer Caller: gives ElevenLabs the call variables of the candidate who called, or the generic
 * intake. Candidate data goes out only for exactly one looked-up candidate whose number is the
 * caller's, who is not on the do-not-call list, and whose answer fills every variable the agent
 * needs; in every other case the caller hears the generic intake, never an error. A callback
 * answered with candidate data is recorded in the call ledger, so no campaign dials them again.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { candidateProperties } from '../../AgentCall/actions/common/candidate.description';
import { readCandidate } from '../../AgentCall/actions/common/candidate';
import type { Candidate } from '../../AgentCall/actions/common/candidate';
import { itemLedger, ledgerScope } from '../../shared/ledger/itemLedger';
import { ledgerProperties } from '../../shared/ledger/ledgerParameters';
import { maskNumber } from '../../AgentCall/helpers/idempotency';
import { parseCandidatePhone } from '../../AgentCall/helpers/phone';
import {
	greetingText,
	initiationAnswer,
	missingVariables,
	placeholdersOf,
} from '../../ElevenLabsCallbackTrigger/helpers/initiationAnswer';
import { settle, settleGeneric } from '../../ElevenLabsCallbackTrigger/helpers/pendingAnswers';
import type { Settled } from '../../ElevenLabsCallbackTrigger/helpers/pendingAnswers';
import { loadBundledSet } from '../../RecruitingPrompt/helpers/templates';
import { callbackRequest } from './callbackRequest';
import type { CallbackRequest } from './callbackRequest';
import type { OutputField } from '../../shared/n8n/outputFields';

/** The shared parameters, shown always here (the node has one operation). */
function shownAlways(property: INodeProperties): INodeProperties {
	const copy = { ...property };
	delete copy.displayOptions;
	return copy;
}

export const description: INodeProperties[] = [
	...candidateProperties({})
		.map(shownAlways)
		.map((property) =>
			property.name === 'campaign'
				? {
						...property,
						default: '',
						required: true,
						description:
							'The campaign that called this candidate, exactly as in Place Agent Call (its Campaign parameter). The callback is recorded there, so that campaign does not dial them again.',
					}
				: property,
		),
	...ledgerProperties({}).map(shownAlways),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Callback Greeting',
				name: 'greeting',
				type: 'options',
				options: [
					{ name: 'German (Bundled)', value: 'de' },
					{ name: 'English (Bundled)', value: 'en' },
					{ name: "Agent's Own First Message", value: 'none' },
				],
				default: 'de',
				description:
					'What the agent says first to a candidate who called back ("Sie hatten einen Anruf von uns …"), where the agent allows a first message of the call',
			},
			{
				displayName: 'Default Region',
				name: 'defaultRegion',
				type: 'string',
				default: 'DE',
				description: 'Country (ISO code) in which national numbers of the lookup are read',
			},
		],
	},
];

/** The item the answer puts out for each input item: what the caller was answered with. */
export const outputFields: OutputField[] = [
	{ name: 'callbackId', type: 'string', description: 'The held request that was answered' },
	{
		name: 'callerNumber',
		type: 'string',
		description: "The caller's number, masked",
		example: '+49171•••5678',
	},
	{
		name: 'answer',
		type: 'string',
		description:
			'`candidate` (their variables and the callback greeting), `intake` (the generic intake, no candidate data) or `too_late` (the deadline had answered with the intake)',
	},
	{
		name: 'reason',
		type: 'string',
		description:
			'Why the caller got the intake: `unknown_caller`, `ambiguous`, `do_not_call`, `missing_variables`',
		when: 'answer is intake',
	},
	{
		name: 'answeredInTime',
		type: 'boolean',
		description: 'Whether this answer reached ElevenLabs before the deadline',
	},
	{
		name: 'answeredAfterMs',
		type: 'number',
		description: 'How long after the call came in the answer was sent',
		when: 'answered in time',
	},
	{
		name: 'idempotencyKey',
		type: 'string',
		description: "The candidate's key: the call ledger records the callback under it",
		when: 'answer is candidate',
	},
	{
		name: 'ledgerAttempt',
		type: 'number',
		description: 'The attempt the callback was recorded as, so no campaign dials the person again',
		when: 'answer is candidate',
	},
];

type Reason = 'unknown_caller' | 'ambiguous' | 'do_not_call' | 'missing_variables';

/** The one looked-up candidate whose number is the caller's, or why there is none. */
function callerCandidate(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	request: CallbackRequest,
	region: string,
): { index: number; candidate: Candidate } | { reason: Reason } {
	const caller = parseCandidatePhone(request.callerNumber, region);
	if (!caller.ok) return { reason: 'unknown_caller' };
	const matches: Array<{ index: number; candidate: Candidate }> = [];
	items.forEach((item, index) => {
		const read = readCandidate(ctx, item, index, { defaultRegion: region });
		// A row without a usable number, or another person's, is never used.
		if (read.ok && read.value.phone.e164 === caller.value.e164)
			matches.push({ index, candidate: read.value });
	});
	if (!matches.length) return { reason: 'unknown_caller' };
	if (new Set(matches.map((match) => match.candidate.key)).size > 1) return { reason: 'ambiguous' };
	return matches[0];
}

/** The bundled callback greeting, when the agent allows it and the answer fills its variables. */
function callbackGreeting(
	language: string,
	request: CallbackRequest,
	variables: Record<string, unknown>,
): string | undefined {
	if (language === 'none' || !request.firstMessageAllowed) return undefined;
	const text = greetingText(loadBundledSet(language === 'en' ? 'en' : 'de').callbackFirstMessage);
	if (!text || missingVariables(placeholdersOf(text), variables).length) return undefined;
	return text;
}

/** The answer for the candidate: their client data, with the callback greeting as first message. */
function candidateAnswer(candidate: Candidate, greeting: string | undefined) {
	const clientData = { ...candidate.clientData };
	if (greeting) {
		const override = clientData.conversationConfigOverride ?? {};
		clientData.conversationConfigOverride = {
			...override,
			agent: { ...override.agent, firstMessage: greeting },
		};
	}
	return initiationAnswer(clientData);
}

function outcomeFields(settled: Settled): IDataObject {
	return settled.inTime
		? { answeredInTime: true, answeredAfterMs: settled.elapsedMs }
		: { answeredInTime: false };
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const request = callbackRequest(this);
	const region = String(this.getNodeParameter('options.defaultRegion', 0, 'DE') || 'DE');
	const found = callerCandidate(this, items, request, region);
	const base = { callbackId: request.callbackId, callerNumber: maskNumber(request.callerNumber) };
	const out = (fields: IDataObject): INodeExecutionData[][] => [
		items.map((_, index) => ({ json: { ...base, ...fields }, pairedItem: { item: index } })),
	];
	const intake = (reason: Reason) =>
		out({ answer: 'intake', reason, ...outcomeFields(settleGeneric(request.callbackId)) });

	if ('reason' in found) return intake(found.reason);
	const { index, candidate } = found;
	const ledger = await itemLedger(this, index);
	if (await ledger.doNotCall(candidate.phone.e164)) return intake('do_not_call');
	const variables = candidate.clientData.dynamicVariables ?? {};
	const missing = missingVariables(request.agentVariables, variables);
	if (missing.length) {
		// The agent would fail the call ("Missing required dynamic variables"): the intake instead.
		this.logger.warn(
			`ElevenLabs Callback Answer: the lookup gives no value for ${missing.join(', ')}; the caller gets the generic intake`,
		);
		return intake('missing_variables');
	}
	const language = String(this.getNodeParameter('options.greeting', index, 'de'));
	const answer = candidateAnswer(candidate, callbackGreeting(language, request, variables));
	const settled = settle(request.callbackId, answer);
	if (!settled.inTime) return out({ answer: 'too_late', ...outcomeFields(settled) });
	const recorded = await ledger.recordInbound({
		scope: ledgerScope(this, request.agentId, index),
		e164: candidate.phone.e164,
		maskedNumber: maskNumber(candidate.phone.e164),
		callKey: candidate.key,
		executionId: String(this.getExecutionId?.() ?? ''),
		callSid: request.callSid || undefined,
	});
	return out({
		answer: 'candidate',
		idempotencyKey: candidate.key,
		ledgerAttempt: recorded.attempt,
		...outcomeFields(settled),
	});
}
