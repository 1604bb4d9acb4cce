/**
 * Everything about one item that can be known without calling anybody: the candidate, the
 * agent's permissions and variables, and the number to call from. Each problem stops the item
 * with what to change, before anything is dialled.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { AgentPhoneNumber } from '../../../shared/vendors/agentsAndNumbers';
import { readCheckedOptions } from '../../../shared/n8n/numberParameters';
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
import { readCandidate, text, withItemVariables } from '../common/candidate';
import type { Candidate, CandidateOptions } from '../common/candidate';
import { readAgentId, readPhoneNumberId } from '../common/chosenIds';
import type { ElevenLabsLookups } from '../common/lookups';
import type { DialRequest, MachineDetection } from './dial';
import { description } from './place.description';

export interface PlaceOptions extends CandidateOptions {
	machineDetection?: MachineDetection;
	callsPerMinute?: number;
	concurrencyGuard?: boolean;
	lookBackDays?: number;
	maxConcurrentCalls?: number;
	maxWaitSeconds?: number;
	recording?: boolean;
	busyRetries?: number;
	requestTimeout?: number;
	ringingTimeout?: number;
	statusCallbackUrl?: string;
	maxAttempts?: number;
	hoursBetweenAttempts?: number;
	ledgerRetentionDays?: number;
}

/** One item, ready to be dialled. */
export interface PreparedCall {
	agentId: string;
	candidate: Candidate;
	request: DialRequest;
	options: PlaceOptions;
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
	ctx: IExecuteFunctions,
	lookups: ElevenLabsLookups,
	request: DialRequest,
	i: number,
): Promise<AgentPhoneNumber> {
	const number = await lookups.phoneNumber(readPhoneNumberId(ctx, i), i);
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
function ownTwilioCaller(
	ctx: IExecuteFunctions,
	options: PlaceOptions,
	i: number,
): DialRequest['ownTwilio'] {
	const from = parseCandidatePhone(
		ctx.getNodeParameter('fromNumber', i, ''),
		options.defaultRegion || 'DE',
	);
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

/** Reads and checks one item against the account; throws the item's error on a problem. */
export async function prepareCall(
	ctx: IExecuteFunctions,
	lookups: ElevenLabsLookups,
	item: INodeExecutionData,
	i: number,
): Promise<PreparedCall> {
	const options = readCheckedOptions<PlaceOptions>(ctx, description, 'options', i);
	const agentId = readAgentId(ctx, i);
	const transport = ctx.getNodeParameter('transport', i, 'elevenLabs') as
		| 'elevenLabs'
		| 'ownTwilio';
	const read = readCandidate(ctx, item, i, options);
	if (!read.ok) throw new ProblemError(read.message, read.hint);

	// Pre-flight against the account: the agent (once per execution) and the number.
	const agent = await lookups.agent(agentId, i);
	const candidate = withItemVariables(read.value, item, agent);
	const problem = agentProblem(agent, candidate);
	if (problem) throw new ProblemError(problem.message, problem.hint);

	const request: DialRequest = {
		agentId,
		toNumber: candidate.phone.e164,
		clientData: candidate.clientData,
		recording: options.recording === true,
		ringingTimeout: options.ringingTimeout,
		machineDetection: options.machineDetection ?? 'off',
		timeoutSeconds: options.requestTimeout,
	};
	if (transport === 'ownTwilio') request.ownTwilio = ownTwilioCaller(ctx, options, i);
	else request.agentNumber = await agentNumber(ctx, lookups, request, i);
	const concurrencyLimit = options.maxConcurrentCalls || agentConcurrencyLimit(agent);
	return { agentId, candidate, request, options, concurrencyLimit };
}
