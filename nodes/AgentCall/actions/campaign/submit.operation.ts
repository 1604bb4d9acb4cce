import { NodeApiError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { agentLocator, phoneNumberLocator } from '../../../shared/descriptions';
import { elevenLabsFailure, vendorApiError } from '../../../shared/errors';
import { missingVariables, overridesNotAllowed } from '../../helpers/agentChecks';
import { checkCallingWindow, checkHolidayRegion, parseClockTime } from '../../helpers/callingWindow';
import type { CallingWindow, Weekday } from '../../helpers/callingWindow';
import { callingHoursProperties } from '../callingHours.description';
import { candidateProperties } from '../candidate.description';
import { text, tryReadCandidate } from '../candidate';
import type { Candidate, CandidateOptions } from '../candidate';
import { ElevenLabsLookups, setupError } from '../call/lookups';
import { campaignOutput } from './output';

const show = { resource: ['campaign'], operation: ['submit'] };

export const description: INodeProperties[] = [
	{ ...agentLocator, displayOptions: { show } },
	{ ...phoneNumberLocator, displayOptions: { show } },
	{
		displayName: 'Campaign Name',
		name: 'callName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'Warehouse staff Leipzig, March',
		description: 'Shown in ElevenLabs under Batch Calling',
		displayOptions: { show },
	},
	...candidateProperties(show),
	{
		displayName: 'Skip If Already Called',
		name: 'skipIfAlreadyCalled',
		type: 'boolean',
		default: true,
		description:
			'Whether to leave out candidates who are already recipients of an earlier campaign of this agent (same idempotency key) that was not cancelled for them',
		displayOptions: { show },
	},
	{
		displayName: 'Respect Calling Window',
		name: 'useCallingWindow',
		type: 'boolean',
		default: true,
		description:
			'Whether the campaign may only start on a calling day inside the local hours (in the campaign’s time zone). Without a scheduled time it is scheduled for the next allowed moment.',
		displayOptions: { show },
	},
	...callingHoursProperties(show, 'the campaign’s time zone'),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Concurrency Limit',
				name: 'concurrencyLimit',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 5,
				description: 'Most calls of this campaign at the same time',
			},
			{ displayName: 'Default Phone Region', name: 'defaultRegion', type: 'string', default: 'DE', description: 'Country for numbers without country code' },
			{ displayName: 'First Message', name: 'firstMessage', type: 'string', default: '', description: 'Replaces the first message for every recipient. The agent must allow it.' },
			{
				displayName: 'Holiday Country',
				name: 'holidayCountry',
				type: 'string',
				default: 'DE',
				description: 'The campaign does not start on public holidays of this country; empty for no holiday check',
			},
			{ displayName: 'Holiday State', name: 'holidayState', type: 'string', default: '', placeholder: 'BY' },
			{
				displayName: 'Invalid Numbers',
				name: 'invalidNumbers',
				type: 'options',
				options: [
					{ name: 'Stop, Submit Nothing', value: 'fail' },
					{ name: 'Leave Out and List Them', value: 'report' },
				],
				default: 'fail',
				description: 'What to do when some candidates’ numbers cannot be called',
			},
			{ displayName: 'Language', name: 'language', type: 'string', default: '', description: 'Replaces the conversation language. The agent must allow it.' },
			{ displayName: 'Look Back (Days)', name: 'lookBackDays', type: 'number', typeOptions: { minValue: 1 }, default: 90, description: 'How far back "Skip If Already Called" searches' },
			{ displayName: 'Ringing Timeout (Seconds)', name: 'ringingTimeout', type: 'number', typeOptions: { minValue: 5, maxValue: 600 }, default: 60 },
			{ displayName: 'Scheduled Time', name: 'scheduledTime', type: 'dateTime', default: '', description: 'When the campaign starts; empty for now (or the next allowed moment)' },
			{ displayName: 'System Prompt', name: 'systemPrompt', type: 'string', typeOptions: { rows: 4 }, default: '', description: 'Replaces the system prompt for every recipient. The agent must allow it.' },
			{ displayName: 'Time Zone', name: 'timeZone', type: 'string', default: 'Europe/Berlin', description: 'Time zone of the calling window and the scheduled time (IANA name)' },
		],
	},
];

interface SubmitOptions extends CandidateOptions {
	concurrencyLimit?: number;
	holidayCountry?: string;
	holidayState?: string;
	invalidNumbers?: 'fail' | 'report';
	lookBackDays?: number;
	ringingTimeout?: number;
	scheduledTime?: string;
	timeZone?: string;
}

/** Idempotency keys of recipients of this agent's earlier campaigns that were (or will be) called. */
async function earlierRecipients(ctx: IExecuteFunctions, lookups: ElevenLabsLookups, agentId: string, sinceUnix: number) {
	const { client, secrets } = await lookups.reader(0);
	const keys = new Map<string, string>();
	try {
		let lastDoc: string | undefined;
		for (let page = 0; page < 100; page++) {
			const list = await client.conversationalAi.batchCalls.list({ agentId, limit: 100, lastDoc });
			for (const batch of list.batchCalls) {
				if (batch.agentId !== agentId || batch.createdAtUnix < sinceUnix) continue;
				const detail = await client.conversationalAi.batchCalls.get(batch.id);
				for (const r of detail.recipients) {
					const key = r.conversationInitiationClientData?.userId;
					if (key && r.status !== 'cancelled') keys.set(key, batch.id);
				}
			}
			if (!list.hasMore || !list.nextDoc) break;
			lastDoc = list.nextDoc;
		}
	} catch (error) {
		throw vendorApiError(ctx.getNode(), 'ElevenLabs', elevenLabsFailure(error, secrets), {
			action: "read the agent's earlier campaigns",
			itemIndex: 0,
		});
	}
	return keys;
}

function startWindow(ctx: IExecuteFunctions, options: SubmitOptions): CallingWindow {
	const start = parseClockTime(ctx.getNodeParameter('windowStart', 0, '09:00') as string, 'earliest time');
	if (!start.ok) throw setupError(ctx, start, 0);
	const end = parseClockTime(ctx.getNodeParameter('windowEnd', 0, '18:00') as string, 'latest time');
	if (!end.ok) throw setupError(ctx, end, 0);
	const country = text(options.holidayCountry ?? 'DE');
	let holidays: CallingWindow['holidays'];
	if (country) {
		const region = checkHolidayRegion(country, text(options.holidayState));
		if (!region.ok) throw setupError(ctx, region, 0);
		holidays = region.value;
	}
	const days = (ctx.getNodeParameter('callingDays', 0, [1, 2, 3, 4, 5]) as Array<number | string>).map(Number) as Weekday[];
	return { days, startMinute: start.value, endMinute: end.value, zone: options.timeZone || 'Europe/Berlin', holidays };
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const options = this.getNodeParameter('options', 0, {}) as SubmitOptions;
	const agentId = this.getNodeParameter('agentId', 0, '', { extractValue: true }) as string;
	const phoneNumberId = this.getNodeParameter('phoneNumberId', 0, '', { extractValue: true }) as string;
	const callName = text(this.getNodeParameter('callName', 0, ''));
	if (!callName) throw setupError(this, { message: 'The campaign has no name', hint: 'Enter a "Campaign Name".' }, 0);
	const lookups = new ElevenLabsLookups(this);

	// Every candidate first: numbers, keys, variables. Nothing is submitted unless all are understood.
	const invalid: IDataObject[] = [];
	const candidates: Array<{ index: number; candidate: Candidate }> = [];
	for (let i = 0; i < items.length; i++) {
		const read = tryReadCandidate(this, items[i], i, options);
		if (read.ok) candidates.push({ index: i, candidate: read.candidate });
		else if (options.invalidNumbers === 'report') invalid.push({ itemIndex: i, phone: items[i].json.phone ?? null, error: read.error.message });
		else throw read.error;
	}

	const agent = await lookups.agent(agentId, 0);
	const number = await lookups.phoneNumber(phoneNumberId, 0);
	if (number.supportsOutbound === false || number.hasOutboundTrunk === false) {
		throw setupError(this, {
			message: `The phone number ${number.phoneNumber} cannot make outgoing calls`,
			hint: 'In ElevenLabs → Phone Numbers, choose a number that supports outbound calls.',
		}, 0);
	}
	for (const { index, candidate } of candidates) {
		const problem = overridesNotAllowed(agent, candidate.overrides) ?? missingVariables(agent, candidate.clientData);
		if (problem) throw setupError(this, problem, index);
	}

	let scheduledUnix: number | undefined;
	const scheduled = text(options.scheduledTime);
	if (scheduled) {
		scheduledUnix = Math.floor(new Date(scheduled).getTime() / 1000);
		if (!Number.isFinite(scheduledUnix)) throw setupError(this, { message: `"${scheduled}" is not a time`, hint: 'Pick a date and time for "Scheduled Time".' }, 0);
	}
	let scheduledBecause: string | undefined;
	if (this.getNodeParameter('useCallingWindow', 0, true)) {
		const window = checkCallingWindow(startWindow(this, options), scheduledUnix ? new Date(scheduledUnix * 1000) : new Date());
		if (!window.open) {
			if (scheduledUnix || !window.nextWindowStart) {
				throw setupError(this, {
					message: `The campaign would start outside the calling window: ${window.reason}`,
					hint: window.nextWindowStart
						? `Schedule it for ${window.nextWindowStart} or later, or leave "Scheduled Time" empty to start at the next allowed moment.`
						: 'The window never opens: check the calling days and hours.',
				}, 0);
			}
			scheduledUnix = Math.floor(new Date(window.nextWindowStart).getTime() / 1000);
			scheduledBecause = window.reason;
		}
	}

	// Each candidate once: not twice in this list, not again after an earlier campaign.
	const earlier = this.getNodeParameter('skipIfAlreadyCalled', 0, true)
		? await earlierRecipients(this, lookups, agentId, Math.floor(Date.now() / 1000) - (options.lookBackDays ?? 90) * 86400)
		: new Map<string, string>();
	const alreadyCalled: IDataObject[] = [];
	const seen = new Set<string>();
	const recipients = [];
	for (const { index, candidate } of candidates) {
		const previous = earlier.get(candidate.key);
		if (previous || seen.has(candidate.key)) {
			alreadyCalled.push({ itemIndex: index, toNumber: candidate.phone.e164, idempotencyKey: candidate.key, campaignId: previous ?? null });
			continue;
		}
		seen.add(candidate.key);
		recipients.push({ id: `item-${index}`, phoneNumber: candidate.phone.e164, conversationInitiationClientData: candidate.clientData });
	}

	const pairedItem = items.map((_, item) => ({ item }));
	const report = { recipients: recipients.length, alreadyCalled, invalid, ...(scheduledBecause ? { scheduledBecause } : {}) };
	if (!recipients.length) {
		this.logger.info(`Submit Campaign: nobody left to call (${alreadyCalled.length} already called, ${invalid.length} invalid)`);
		return [{ json: { campaignId: null, status: 'nothing_to_submit', ...report }, pairedItem }];
	}
	// Retries off: a repeated submit would start a second campaign for the same people.
	const { client, secrets } = await lookups.dialer(0);
	try {
		const batch = await client.conversationalAi.batchCalls.create({
			callName,
			agentId,
			agentPhoneNumberId: phoneNumberId,
			recipients,
			...(scheduledUnix ? { scheduledTimeUnix: scheduledUnix } : {}),
			timezone: options.timeZone || 'Europe/Berlin',
			...(options.concurrencyLimit ? { targetConcurrencyLimit: options.concurrencyLimit } : {}),
			...(options.ringingTimeout ? { telephonyCallConfig: { ringingTimeoutSecs: options.ringingTimeout } } : {}),
		});
		this.logger.info(`Submit Campaign: ${batch.id} with ${recipients.length} recipients`);
		return [{ json: { ...campaignOutput(batch), ...report }, pairedItem }];
	} catch (error) {
		const failure = elevenLabsFailure(error, secrets);
		if (failure.noAnswer || (failure.status ?? 0) >= 500) {
			throw new NodeApiError(this.getNode(), { vendor: 'ElevenLabs', detail: failure.detail }, {
				message: 'The campaign may have been created: ElevenLabs gave no clear answer',
				description:
					'The node does not submit again. Check ElevenLabs → Batch Calling; a re-run with "Skip If Already Called" leaves out everyone who is in a campaign already.',
				httpCode: failure.status ? String(failure.status) : undefined,
				itemIndex: 0,
			});
		}
		throw vendorApiError(this.getNode(), 'ElevenLabs', failure, { action: 'submit the campaign', itemIndex: 0 });
	}
}

