/**
 * Text Message → Send: a text to a candidate through the team's own Twilio account, with a call's
 * guarantees: the number checked as for calls, only inside the window, the do-not-call list
 * honoured, and the text claimed in the call ledger so that no delivery pattern sends it twice.
 */
import { updateDisplayOptions } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { mapItems } from '../../../shared/n8n/items';
import type { OutputField } from '../../../shared/n8n/outputFields';
import { ProblemError } from '../../../shared/n8n/problems';
import { twilioClient } from '../../../shared/vendors/twilioClient';
import type { TwilioConnection } from '../../../shared/vendors/twilioClient';
import { maskNumber } from '../../helpers/idempotency';
import { parseCandidatePhone } from '../../helpers/phone';
import type { CandidateNumber } from '../../helpers/phone';
import { composeText, textSegments } from '../../helpers/smsTexts';
import type { TextKind, TextLanguage } from '../../helpers/smsTexts';
import { callingHoursProperties, callingWindowOptions } from '../common/callingHours.description';
import { text } from '../common/candidate';
import { itemLedger } from '../../../shared/ledger/itemLedger';
import { ledgerProperties } from '../../../shared/ledger/ledgerParameters';
import { closedWindow } from '../common/windowSettings';
import { claimText } from './textClaim';
import { sendText } from './sendText';

const show = { resource: ['textMessage'], operation: ['send'] };

const SENT_OR_BEFORE = '`sent`, `already_sent`';

/** The fields Send adds to each input item, by its `status`. */
export const outputFields: OutputField[] = [
	{
		name: 'status',
		type: 'string',
		description:
			'`sent`, `already_sent` (sent once before for this person, campaign and key), `outside_window`, `do_not_call`: nothing sent unless `sent`',
	},
	{ name: 'toNumber', type: 'string', description: 'The number in E.164' },
	{
		name: 'messageKey',
		type: 'string',
		description: 'Which message this is, for "once per person" (*Options → Message Key*)',
	},
	{ name: 'encoding', type: 'string', description: '`GSM-7` or `UCS-2`' },
	{ name: 'segments', type: 'number', description: 'SMS segments the text takes' },
	{
		name: 'messageSid',
		type: 'string or null',
		description: "Twilio's message SID",
		when: SENT_OR_BEFORE,
	},
	{
		name: 'sentAt',
		type: 'string',
		description: 'ISO time it was sent (`already_sent`: claimed)',
		when: SENT_OR_BEFORE,
	},
	{ name: 'text', type: 'string', description: 'The text as sent', when: '`sent`' },
	{
		name: 'previousStatus',
		type: 'string',
		description: 'How the earlier send ended (`sent`, or `unknown`: it may have gone out)',
		when: '`already_sent`',
	},
	{
		name: 'reason',
		type: 'string',
		description: 'Why the window is closed now',
		when: '`outside_window`',
	},
	{
		name: 'nextWindowStart',
		type: 'string or null',
		description: 'ISO time the window opens next',
		when: '`outside_window`',
	},
	{
		name: 'doNotCallSince',
		type: 'string',
		description: 'ISO time the number was listed',
		when: '`do_not_call`',
	},
	{
		name: 'doNotCallReason',
		type: 'string',
		description: 'Why it was listed',
		when: '`do_not_call`',
	},
];

const properties: INodeProperties[] = [
	{
		displayName: 'Sender Number',
		name: 'fromNumber',
		type: 'string',
		required: true,
		default: '',
		placeholder: '+4930123456789',
		description:
			'An SMS-capable number of your Twilio account, in international format. Replies to it reach the Twilio SMS Trigger.',
	},
	{
		displayName: 'Candidate Phone Number',
		name: 'phone',
		type: 'string',
		required: true,
		default: '={{ $json.phone }}',
		placeholder: '0171 1234567',
		description:
			'The number to text, read as for calls (Germany unless changed under Options), so 0171 1234567 works',
	},
	{
		displayName: 'Campaign',
		name: 'campaign',
		type: 'string',
		default: '={{ $workflow.id }}',
		description:
			'Name of the campaign. Each person gets each message once per campaign, however often the item arrives.',
	},
	{
		displayName: 'Candidate ID',
		name: 'candidateId',
		type: 'string',
		default: '={{ $json.candidateId }}',
		description: 'Your ID of the candidate. When empty, the phone number identifies the candidate.',
	},
	{
		displayName: 'Message',
		name: 'message',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Announcement',
				value: 'announcement',
				description: 'Before a call: who will call, and when; STOP stops calls and texts',
			},
			{
				name: 'Follow-Up',
				value: 'followUp',
				description:
					'After the last unanswered attempt: the browser interview link and the number to call back',
			},
			{ name: 'Custom', value: 'custom', description: 'Your own text' },
		],
		default: 'announcement',
	},
	{
		displayName: 'Language',
		name: 'language',
		type: 'options',
		options: [
			{ name: 'German', value: 'de' },
			{ name: 'English', value: 'en' },
		],
		default: 'de',
		displayOptions: { show: { message: ['announcement', 'followUp'] } },
	},
	{
		displayName: 'Company',
		name: 'company',
		type: 'string',
		default: '={{ $json.company }}',
		description: 'The name the text begins with, so the candidate knows who writes',
		displayOptions: { show: { message: ['announcement', 'followUp'] } },
	},
	{
		displayName: 'Call Time',
		name: 'callTime',
		type: 'string',
		default: '',
		placeholder: 'heute zwischen 10 und 11 Uhr',
		description: 'When the call comes, as it reads in the sentence',
		displayOptions: { show: { message: ['announcement'] } },
	},
	{
		displayName: 'Interview Link',
		name: 'interviewLink',
		type: 'string',
		default: '={{ $json.interviewUrl }}',
		description: 'The page of the browser interview (served with Fetch WebRTC Token)',
		displayOptions: { show: { message: ['followUp'] } },
	},
	{
		displayName: 'Callback Number',
		name: 'callbackNumber',
		type: 'string',
		default: '',
		placeholder: '+49 30 12345670',
		description:
			'The number the candidate can call back (the agent’s number). Empty: the sender number.',
		displayOptions: { show: { message: ['followUp'] } },
	},
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		description:
			'The text as it is sent. Say who writes and how to opt out (e.g. "Keine SMS mehr? STOPP").',
		displayOptions: { show: { message: ['custom'] } },
	},
	...ledgerProperties({}),
	{
		displayName: 'Respect Calling Window',
		name: 'useCallingWindow',
		type: 'boolean',
		default: true,
		description:
			'Whether to text only on the chosen days and hours in the candidate’s local time, and not on public holidays (the text’s quiet hours). Items outside come out with status "outside_window" and the next allowed time.',
	},
	...callingHoursProperties({}, 'the candidate’s time zone'),
	callingWindowOptions({}),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Default Phone Region',
				name: 'defaultRegion',
				type: 'string',
				default: 'DE',
				description: 'Country for numbers without country code',
			},
			{
				displayName: 'Message Key',
				name: 'messageKey',
				type: 'string',
				default: '',
				placeholder: 'announcement-2026-12-07',
				description:
					'Which message this is, for "once per person": each key is sent once per person and campaign. Empty: the kind of message (announcement, followUp) or the custom text itself. Put the date in it to announce again on another day.',
			},
			{
				displayName: 'Status Callback URL',
				name: 'statusCallbackUrl',
				type: 'string',
				default: '',
				placeholder: 'https://n8n.example.com/webhook/sms-status',
				description: 'Twilio posts the delivery status (sent, delivered, undelivered) there',
			},
		],
	},
];

export const description = updateDisplayOptions({ show }, properties);

interface SendOptions {
	defaultRegion?: string;
	messageKey?: string;
	statusCallbackUrl?: string;
}

/** The item's number, checked as for calls; a landline cannot take a text. */
function readNumber(ctx: IExecuteFunctions, i: number, region: string): CandidateNumber {
	const parsed = parseCandidatePhone(ctx.getNodeParameter('phone', i, ''), region || 'DE');
	if (!parsed.ok) throw new ProblemError(parsed.message, parsed.hint);
	if (parsed.value.type === 'FIXED_LINE') {
		throw new ProblemError(
			`${parsed.value.e164} is a landline number, which cannot receive texts`,
			'Texts go to mobile numbers only. Use the candidate’s mobile number, or leave this candidate to the call. Nothing was sent.',
		);
	}
	return parsed.value;
}

/** Outside the text's window in the candidate's own time zone: the fields of the held item. */
function outsideWindow(
	ctx: IExecuteFunctions,
	item: INodeExecutionData,
	phone: CandidateNumber,
	i: number,
): IDataObject | undefined {
	const closed = closedWindow(ctx, i, {
		timezoneField: item.json.timezone,
		country: phone.country,
	});
	if (!closed) return undefined;
	ctx.logger.info(
		`Place Agent Call: item ${i}: no text to ${maskNumber(phone.e164)}, outside the window`,
	);
	return {
		status: 'outside_window',
		reason: closed.reason,
		nextWindowStart: closed.nextWindowStart || null,
	};
}

function readText(ctx: IExecuteFunctions, i: number, from: string) {
	const kind = ctx.getNodeParameter('message', i, 'announcement') as TextKind;
	const composed = composeText(kind, ctx.getNodeParameter('language', i, 'de') as TextLanguage, {
		company: text(ctx.getNodeParameter('company', i, '')),
		callTime: text(ctx.getNodeParameter('callTime', i, '')),
		interviewLink: text(ctx.getNodeParameter('interviewLink', i, '')),
		callbackNumber: text(ctx.getNodeParameter('callbackNumber', i, '')) || from,
		text: String(ctx.getNodeParameter('text', i, '') ?? ''),
	});
	if (!composed.ok) throw new ProblemError(composed.message, composed.hint);
	return { kind, body: composed.value };
}

/**
 * Sends each item's text: the number and the text first (nothing is claimed on a problem), the
 * window, then the claim in the ledger (do-not-call list included), then the one request to
 * Twilio, whose outcome settles the claim.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	let connection: Promise<TwilioConnection> | undefined;
	return await mapItems(this, async (item, i) => {
		const options = this.getNodeParameter('options', i, {}) as SendOptions;
		const from = text(this.getNodeParameter('fromNumber', i, ''));
		const phone = readNumber(this, i, text(options.defaultRegion));
		const { kind, body } = readText(this, i, from);
		const messageKey = text(options.messageKey) || (kind === 'custom' ? `custom:${body}` : kind);
		const base = { ...item.json, toNumber: phone.e164, messageKey, ...textSegments(body) };
		const closed = outsideWindow(this, item, phone, i);
		if (closed) return { ...base, ...closed };
		const ledger = await itemLedger(this, i);
		const subject = {
			e164: phone.e164,
			campaign: text(this.getNodeParameter('campaign', i, '')),
			candidateId: text(this.getNodeParameter('candidateId', i, '')),
			messageKey,
		};
		const cleared = await claimText(this, ledger, subject, i);
		if (cleared.kind === 'held') return { ...base, ...cleared.fields };
		connection ??= twilioClient(this, i);
		const sent = await sendText(this, await connection, ledger, {
			claim: cleared.claim,
			to: phone.e164,
			from,
			body,
			statusCallback: text(options.statusCallbackUrl),
			itemIndex: i,
		});
		return { ...base, ...sent, text: body };
	});
}
