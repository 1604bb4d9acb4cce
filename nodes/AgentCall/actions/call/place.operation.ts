import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';


import { mapItems } from '../../../shared/items';
import { agentConcurrencyLimit, missingVariables, overridesNotAllowed } from '../../helpers/agentChecks';
import type { AgentSettings } from '../../helpers/agentChecks';
import { checkCallingWindow, checkHolidayRegion, parseClockTime, resolveTimeZone } from '../../helpers/callingWindow';
import type { CallingWindow, Weekday } from '../../helpers/callingWindow';
import { maskNumber } from '../../helpers/idempotency';
import { backoffMs, pause, rateDelayMs } from '../../helpers/pacing';
import { parseCandidatePhone } from '../../helpers/phone';
import { dial, dialError } from './dial';
import type { DialRequest, DialResult, MachineDetection } from './dial';
import { ElevenLabsLookups, setupError } from './lookups';
import { readCandidate, text } from '../candidate';
import type { CandidateOptions } from '../candidate';

export { description } from './place.description';

interface PlaceOptions extends CandidateOptions {
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
}

interface WindowOptions {
	timeZone?: string;
	holidayCountry?: string;
	holidayState?: string;
	skipHolidays?: boolean;
}

const CONCURRENCY_POLL_MS = 1000;

/** State shared by the items of one execution: lookups and the pacing clock. */
class Execution {
	readonly lookups: ElevenLabsLookups;
	lastDialAt?: number;

	constructor(readonly ctx: IExecuteFunctions) {
		this.lookups = new ElevenLabsLookups(ctx);
	}
}

function callingWindow(ctx: IExecuteFunctions, item: INodeExecutionData, i: number, country: string | undefined): CallingWindow {
	const days = (ctx.getNodeParameter('callingDays', i, [1, 2, 3, 4, 5]) as Array<number | string>).map(Number) as Weekday[];
	const start = parseClockTime(ctx.getNodeParameter('windowStart', i, '09:00') as string, 'earliest time');
	if (!start.ok) throw setupError(ctx, start, i);
	const end = parseClockTime(ctx.getNodeParameter('windowEnd', i, '18:00') as string, 'latest time');
	if (!end.ok) throw setupError(ctx, end, i);
	if (end.value <= start.value) {
		throw setupError(ctx, {
			message: 'The calling window ends before it starts',
			hint: 'Set "Latest Local Time" after "Earliest Local Time" (windows over midnight are not supported).',
		}, i);
	}
	if (!days.length) {
		throw setupError(ctx, { message: 'No calling days are chosen', hint: 'Choose at least one day under "Calling Days".' }, i);
	}
	const options = ctx.getNodeParameter('windowOptions', i, {}) as WindowOptions;
	const zone = resolveTimeZone(text(options.timeZone) || item.json.timezone, country, new Date());
	if (!zone.ok) throw setupError(ctx, zone, i);
	let holidays: CallingWindow['holidays'];
	if (options.skipHolidays !== false) {
		const holidayCountry = text(options.holidayCountry) || country;
		if (!holidayCountry) {
			throw setupError(ctx, {
				message: 'The country for public holidays cannot be told from this number',
				hint: 'Set "Holiday Country" in the calling window options, or switch off "Skip Public Holidays".',
			}, i);
		}
		const region = checkHolidayRegion(holidayCountry, text(options.holidayState));
		if (!region.ok) throw setupError(ctx, region, i);
		holidays = region.value;
	}
	return { days, startMinute: start.value, endMinute: end.value, zone: zone.value, holidays };
}

/** Everything about one item that can be known without calling anybody. */
async function prepare(run: Execution, item: INodeExecutionData, i: number) {
	const { ctx, lookups } = run;
	const options = ctx.getNodeParameter('options', i, {}) as PlaceOptions;
	const agentId = ctx.getNodeParameter('agentId', i, '', { extractValue: true }) as string;
	if (!agentId) throw setupError(ctx, { message: 'No agent is chosen', hint: 'Pick the agent under "Agent".' }, i);
	const transport = ctx.getNodeParameter('transport', i, 'elevenLabs') as 'elevenLabs' | 'ownTwilio';

	const { phone, key, overrides, clientData } = readCandidate(ctx, item, i, options);

	// Pre-flight against the account: the agent (once per execution) and the number.
	const agent: AgentSettings = await lookups.agent(agentId, i);
	const blocked = overridesNotAllowed(agent, overrides);
	if (blocked) throw setupError(ctx, blocked, i);
	const missing = missingVariables(agent, clientData);
	if (missing) throw setupError(ctx, missing, i);

	const machineDetection = options.machineDetection ?? 'off';
	const recording = options.recording === true;
	const request: DialRequest = {
		agentId,
		toNumber: phone.e164,
		clientData,
		recording,
		ringingTimeout: options.ringingTimeout,
		machineDetection,
		timeoutSeconds: options.requestTimeout,
	};
	if (transport === 'ownTwilio') {
		const from = parseCandidatePhone(ctx.getNodeParameter('fromNumber', i, ''), options.defaultRegion || 'DE');
		if (!from.ok) {
			throw setupError(ctx, {
				message: `The caller number is not usable: ${from.message}`,
				hint: 'Enter a voice number of your Twilio account in international format, e.g. +4930123456789.',
			}, i);
		}
		request.ownTwilio = { fromNumber: from.e164, statusCallbackUrl: text(options.statusCallbackUrl) || undefined };
	} else {
		const phoneNumberId = ctx.getNodeParameter('phoneNumberId', i, '', { extractValue: true }) as string;
		if (!phoneNumberId) {
			throw setupError(ctx, { message: 'No agent phone number is chosen', hint: 'Pick the number the agent calls from under "Agent Phone Number".' }, i);
		}
		const number = await lookups.phoneNumber(phoneNumberId, i);
		const label = `${number.phoneNumber}${number.label ? ` (${number.label})` : ''}`;
		if (number.provider !== 'twilio' && number.provider !== 'sip_trunk') {
			throw setupError(ctx, {
				message: `The phone number ${label} is a ${number.provider} number, which this node cannot call with`,
				hint: 'Choose a Twilio or SIP trunk number.',
			}, i);
		}
		if (number.supportsOutbound === false || number.hasOutboundTrunk === false) {
			throw setupError(ctx, {
				message: `The phone number ${label} cannot make outgoing calls`,
				hint:
					number.provider === 'sip_trunk'
						? 'In ElevenLabs → Phone Numbers, give the SIP trunk number an outbound trunk (address and credentials), or choose another number.'
						: 'In ElevenLabs → Phone Numbers, choose a number that supports outbound calls (a purchased Twilio number or a verified caller ID).',
			}, i);
		}
		if (number.provider === 'sip_trunk' && (recording || machineDetection !== 'off')) {
			const which = [recording ? '"Record Call (Twilio)"' : '', machineDetection !== 'off' ? '"Answering Machine Detection"' : '']
				.filter(Boolean)
				.join(' and ');
			throw setupError(ctx, {
				message: `${which} work${which.includes(' and ') ? '' : 's'} only with Twilio numbers, and ${label} is a SIP trunk number`,
				hint: `Remove ${which} from the options, or choose a Twilio number.`,
			}, i);
		}
		request.agentNumber = number;
	}
	return { agent, agentId, phone, key, request, options };
}

/** Waits while the agent is at its concurrency limit; nothing is dialled meanwhile. */
async function waitForFreeLine(run: Execution, agentId: string, limit: number, deadline: number, i: number, masked: string) {
	const signal = run.ctx.getExecutionCancelSignal?.();
	for (;;) {
		const running = await run.lookups.runningCalls(agentId, i);
		if (running < limit) return;
		if (Date.now() >= deadline) {
			throw setupError(run.ctx, {
				message: `The agent stayed at its limit of ${limit} simultaneous calls, so ${masked} was not called`,
				hint: 'Nobody was called for this item. Raise "Max Wait (Seconds)", lower "Calls per Minute", or run the rest later.',
			}, i);
		}
		run.ctx.logger.debug(`Place Agent Call: item ${i}: ${running}/${limit} calls running, waiting for a free line`);
		await pause(CONCURRENCY_POLL_MS, signal);
	}
}

async function placeOne(run: Execution, item: INodeExecutionData, i: number): Promise<IDataObject> {
	const { ctx } = run;
	const { agent, agentId, phone, key, request, options } = await prepare(run, item, i);
	const masked = maskNumber(phone.e164);
	const base: IDataObject = { ...item.json, toNumber: phone.e164, idempotencyKey: key };

	if (ctx.getNodeParameter('useCallingWindow', i, true)) {
		const window = checkCallingWindow(callingWindow(ctx, item, i, phone.country), new Date());
		if (!window.open) {
			ctx.logger.info(`Place Agent Call: item ${i}: ${masked} not called, outside the calling window`);
			return { ...base, status: 'outside_window', reason: window.reason, nextWindowStart: window.nextWindowStart || null };
		}
	}

	if (ctx.getNodeParameter('skipIfAlreadyCalled', i, true)) {
		const since = Math.floor(Date.now() / 1000) - (options.lookBackDays ?? 90) * 86400;
		const previous = await run.lookups.previousCall(agentId, key, since, i);
		if (previous) {
			ctx.logger.info(`Place Agent Call: item ${i}: ${masked} already called (${previous.conversationId})`);
			return {
				...base,
				status: 'already_called',
				conversationId: previous.conversationId,
				previousCallStatus: previous.status,
				placedAt: previous.startedAt,
			};
		}
	}

	const signal = ctx.getExecutionCancelSignal?.();
	const deadline = Date.now() + (options.maxWaitSeconds ?? 600) * 1000;
	const limit = options.concurrencyGuard === false ? undefined : options.maxConcurrentCalls || agentConcurrencyLimit(agent);
	const retries = options.busyRetries ?? 5;
	let result: DialResult | undefined;
	for (let attempt = 0; !result; attempt++) {
		await pause(rateDelayMs(run.lastDialAt, Date.now(), options.callsPerMinute ?? 20), signal);
		if (limit) await waitForFreeLine(run, agentId, limit, deadline, i, masked);
		run.lastDialAt = Date.now();
		const outcome = await dial(ctx, run.lookups, request, i);
		if (outcome.ok) {
			result = outcome;
			break;
		}
		const wait = backoffMs(attempt, outcome.failure.retryAfterSeconds);
		if (outcome.kind === 'busy' && attempt < retries && Date.now() + wait < deadline) {
			ctx.logger.info(`Place Agent Call: item ${i}: refused as busy (429), nobody called; retry ${attempt + 1} in ${Math.ceil(wait / 1000)} s`);
			await pause(wait, signal);
			continue;
		}
		const nodeError = dialError(ctx.getNode(), outcome, i, phone.e164);
		if (outcome.kind === 'unknown') {
			ctx.logger.warn(`Place Agent Call: item ${i}: outcome of the call to ${masked} unknown; not retried`);
			// Continue-on-fail output keeps what is known: the candidate may have been called.
			Object.assign(nodeError, { itemFields: { toNumber: phone.e164, idempotencyKey: key, status: 'unknown' } });
		}
		throw nodeError;
	}
	ctx.logger.info(`Place Agent Call: item ${i}: called ${masked} (${result.transport}, ${result.conversationId ?? result.callSid ?? ''})`);
	return {
		...base,
		status: 'initiated',
		conversationId: result.conversationId ?? null,
		...(result.callSid !== undefined ? { callSid: result.callSid } : {}),
		...(result.sipCallId !== undefined ? { sipCallId: result.sipCallId } : {}),
		transport: result.transport,
		agentId,
		placedAt: new Date(run.lastDialAt ?? Date.now()).toISOString(),
	};
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const run = new Execution(this);
	return await mapItems(this, async (item, i) => await placeOne(run, item, i));
}
