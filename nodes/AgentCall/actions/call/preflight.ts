/**
 * Everything about one item that can be known without calling anybody: the candidate, the
 * agent's permissions and variables, and the number to call from. Each problem stops the item
 * with what to change, before anything is dialled.
 */
import type { AgentPhoneNumber } from '../../../shared/vendors/agentsAndNumbers';
import { ProblemError } from '../../../shared/n8n/problems';
import type { Problem } from '../../../shared/n8n/problems';
import {
	agentConcurrencyLimit,
	agentProblem,
	numberLabel,
	outboundProblem,
} from '../../helpers/agentChecks';
import { checkCallbackUrl } from '../../helpers/callbackUrl';
import { parseCandidatePhone } from '../../helpers/phone';
import { text, withItemVariables } from '../common/candidate';
import { NO_PHONE_NUMBER } from '../common/chosenIds';
import type { CallRequest, PlaceOptions } from './callRequest';
import type { CallRun } from './callRun';
import type { DialRequest } from './dial';

/** One item, ready to be dialled: its request, with the agent's variables and the dial. */
export interface PreparedCall extends CallRequest {
	dial: DialRequest;
	/** The limit of the concurrency guard: the node's Max Concurrent Calls, else the agent's. */
	concurrencyLimit?: number;
}

/** Twilio-only options set for a SIP trunk number, which cannot honour them. */
function twilioOnlyOptions(
	number: AgentPhoneNumber,
	label: string,
	request: DialRequest,
): Problem | undefined {
	const machineDetection = request.machineDetection !== 'off';
	if (number.provider !== 'sip_trunk' || (!request.recording && !machineDetection))
		return undefined;
	const which = [
		request.recording ? '"Record Call (Twilio)"' : '',
		machineDetection ? '"Answering Machine Detection"' : '',
	]
		.filter(Boolean)
		.join(' and ');
	return {
		message: `${which} work${which.includes(' and ') ? '' : 's'} only with Twilio numbers, and ${label} is a SIP trunk number`,
		hint: `Remove ${which} from the options, or choose a Twilio number.`,
	};
}

/** The ElevenLabs number the agent calls from, checked for this call. */
async function agentNumber(
	{ lookups }: CallRun,
	phoneNumberId: string,
	request: DialRequest,
	i: number,
): Promise<AgentPhoneNumber> {
	if (!phoneNumberId) throw new ProblemError(NO_PHONE_NUMBER.message, NO_PHONE_NUMBER.hint);
	const number = await lookups.phoneNumber(phoneNumberId, i);
	const label = numberLabel(number);
	if (number.provider !== 'twilio' && number.provider !== 'sip_trunk') {
		throw new ProblemError(
			`The phone number ${label} is a ${number.provider} number, which this node cannot call with`,
			'Choose a Twilio or SIP trunk number.',
		);
	}
	const problem = outboundProblem(number) ?? twilioOnlyOptions(number, label, request);
	if (problem) throw new ProblemError(problem.message, problem.hint);
	return number;
}

/** The team's own Twilio number the call comes from. */
function ownTwilioCaller(fromNumber: unknown, options: PlaceOptions): DialRequest['ownTwilio'] {
	const from = parseCandidatePhone(fromNumber, options.defaultRegion || 'DE');
	if (!from.ok) {
		throw new ProblemError(
			`The caller number is not usable: ${from.message}`,
			'Enter a voice number of your Twilio account in international format, e.g. +4930123456789.',
		);
	}
	const callback = text(options.statusCallbackUrl);
	const statusCallbackUrl = callback ? checkCallbackUrl(callback) : undefined;
	if (statusCallbackUrl && !statusCallbackUrl.ok)
		throw new ProblemError(statusCallbackUrl.message, statusCallbackUrl.hint);
	return { fromNumber: from.value.e164, statusCallbackUrl: statusCallbackUrl?.value };
}

/** Checks the item's request against the account; throws the item's error on a problem. */
export async function prepareCall(run: CallRun, request: CallRequest): Promise<PreparedCall> {
	const { lookups } = run;
	const { agentId, options, itemIndex: i } = request;
	// Pre-flight against the account: the agent (once per execution) and the number.
	const agent = await lookups.agent(agentId, i);
	const candidate = withItemVariables(request.candidate, request.item, agent);
	const problem = agentProblem(agent, candidate);
	if (problem) throw new ProblemError(problem.message, problem.hint);

	const dial: DialRequest = {
		agentId,
		toNumber: candidate.phone.e164,
		clientData: candidate.clientData,
		recording: options.recording === true,
		ringingTimeout: options.ringingTimeout,
		machineDetection: options.machineDetection ?? 'off',
		timeoutSeconds: options.requestTimeout,
	};
	const { from } = request;
	if (from.transport === 'ownTwilio') dial.ownTwilio = ownTwilioCaller(from.fromNumber, options);
	else dial.agentNumber = await agentNumber(run, from.phoneNumberId, dial, i);
	const concurrencyLimit = options.maxConcurrentCalls || agentConcurrencyLimit(agent);
	return { ...request, candidate, dial, concurrencyLimit };
}
