/** Twilio SMS Trigger node: a candidate's text starts a workflow; STOP lists the number */
import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { maskNumber } from '../AgentCall/helpers/idempotency';
import { parseCandidatePhone } from '../AgentCall/helpers/phone';
import { callLedgerConnection } from '../shared/ledger/credentialTest';
import type { OutputField } from '../shared/n8n/outputFields';
import { webhookEmbeddedLedgerFolder } from '../shared/ledger/embeddedLedgerFolder';
import { embeddedLedger } from '../shared/ledger/openLedger';
import { openTriggerLedger } from '../shared/ledger/triggerLedger';
import { TWILIO_CREDENTIAL } from '../shared/vendors/twilioClient';
import { optOutKeyword } from './helpers/optOut';
import { pointSmsUrlHere, restoreSmsUrl, smsUrlIsOurs } from './helpers/smsUrl';

const SIGNATURE_HEADER = 'x-twilio-signature';
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';
const LEDGER_RETENTION_DAYS = 180;

const EMITTED_OPT_OUT = 'an opt-out, with *Emit Opt-Outs* or when it could not be recorded';

/** The item a reply starts the workflow with (an opt-out only when emitted). */
export const outputFields: OutputField[] = [
	{ name: 'from', type: 'string', description: "The candidate's number" },
	{ name: 'to', type: 'string', description: 'Your Twilio number the reply went to' },
	{ name: 'body', type: 'string', description: 'The text of the reply' },
	{ name: 'messageSid', type: 'string', description: "Twilio's message SID" },
	{ name: 'receivedAt', type: 'string', description: 'ISO time the trigger received it' },
	{ name: 'optOut', type: 'boolean', description: 'Whether it is an opt-out word (STOP, STOPP…)' },
	{
		name: 'optOutRecorded',
		type: 'boolean',
		description: 'Whether the number went onto the do-not-call list',
		when: EMITTED_OPT_OUT,
	},
	{
		name: 'error',
		type: 'string',
		description: 'Why the opt-out could not be recorded',
		when: 'an opt-out that could not be recorded',
	},
];

/** Answers Twilio: TwiML (empty, or the opt-out confirmation), as Twilio expects from an SmsUrl. */
function answer(ctx: IWebhookFunctions, status: number, twiml = EMPTY_TWIML) {
	ctx.getResponseObject().status(status).type('text/xml').send(twiml);
}

function escapeXml(text: string): string {
	return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Whether the request carries Twilio's signature over this trigger's URL and the posted fields. */
async function signedByTwilio(ctx: IWebhookFunctions): Promise<boolean> {
	const credentials = await ctx.getCredentials(TWILIO_CREDENTIAL);
	// Twilio signs with the account's auth token, also for requests to API-key accounts.
	const authToken = String(credentials.authToken ?? '').trim();
	const signature = ctx.getHeaderData()[SIGNATURE_HEADER];
	if (!authToken || typeof signature !== 'string') return false;
	const { default: twilio } = await import('twilio');
	const url = ctx.getNodeWebhookUrl('default') ?? '';
	return twilio.validateRequest(authToken, signature, url, ctx.getBodyData());
}

/** Puts the number on the ledger's do-not-call list: true, or why it could not. */
async function recordOptOut(
	ctx: IWebhookFunctions,
	e164: string,
	keyword: string,
): Promise<true | string> {
	const masked = maskNumber(e164);
	try {
		// The ledger Place Agent Call uses, so that the opt-out holds for its calls.
		const ledger = await openTriggerLedger(
			ctx,
			embeddedLedger(webhookEmbeddedLedgerFolder()),
			LEDGER_RETENTION_DAYS,
		);
		if (!ledger.ok) return `${ledger.message}. ${ledger.hint}`;
		await ledger.value.addDoNotCall(e164, masked, `Replied ${keyword} by SMS`);
	} catch (error) {
		return `the call ledger could not be reached (${error instanceof Error ? error.message : String(error)})`;
	}
	ctx.logger.info(`Twilio SMS Trigger: ${masked} replied ${keyword}: on the do-not-call list`);
	return true;
}

export class TwilioSmsTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Twilio SMS Trigger',
		name: 'twilioSmsTrigger',
		icon: {
			light: 'file:../../icons/twilioSmsTrigger.svg',
			dark: 'file:../../icons/twilioSmsTrigger.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		subtitle: '={{ $parameter["phoneNumber"] }}',
		description:
			'Starts the workflow when a candidate texts your Twilio number; STOP and STOPP put the number on the do-not-call list',
		defaults: { name: 'Twilio SMS Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: TWILIO_CREDENTIAL, required: true },
			{
				name: 'callLedgerPostgresApi',
				required: true,
				testedBy: 'callLedgerConnection',
				displayOptions: { show: { ledger: ['postgres'] } },
			},
		],
		webhooks: [
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'twilio-sms' },
		],
		properties: [
			{
				displayName:
					'On activation the trigger points the Twilio number\'s incoming messages ("A message comes in") at this node\'s Production URL, and puts back what was there on deactivation. The credential needs the Auth Token: Twilio signs its requests with it.',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Twilio Number',
				name: 'phoneNumber',
				type: 'string',
				required: true,
				default: '',
				placeholder: '+4930123456789',
				description:
					'The number of your Twilio account that sends the texts, in international format',
			},
			{
				displayName: 'Call Ledger',
				name: 'ledger',
				type: 'options',
				options: [
					{
						name: 'Embedded',
						value: 'embedded',
						description: 'The one Place Agent Call uses by default',
					},
					{ name: 'Postgres (Queue Mode)', value: 'postgres' },
				],
				default: 'embedded',
				description:
					'The ledger whose do-not-call list a STOP reply joins: the one your Place Agent Call nodes use',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Opt-Out Confirmation',
						name: 'optOutReply',
						type: 'string',
						default: 'Sie erhalten keine Anrufe und SMS mehr von uns.',
						description: 'The answer to a STOP reply. Empty: no answer.',
					},
					{
						displayName: 'Start Workflow on Opt-Out',
						name: 'emitOptOuts',
						type: 'boolean',
						default: false,
						description:
							'Whether a STOP reply starts the workflow too (with optOut: true), e.g. to mark the row in the sheet',
					},
				],
			},
		],
	};

	methods = { credentialTest: { callLedgerConnection } };

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return await smsUrlIsOurs(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return await pointSmsUrlHere(this);
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return await restoreSmsUrl(this);
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		if (!(await signedByTwilio(this))) {
			this.logger.warn('Twilio SMS Trigger answered 401: the request is not signed by Twilio');
			answer(this, 401);
			return { noWebhookResponse: true };
		}
		const body = this.getBodyData();
		const from = String(body.From ?? '');
		const text = String(body.Body ?? '');
		const options = this.getNodeParameter('options', {}) as {
			optOutReply?: string;
			emitOptOuts?: boolean;
		};
		const keyword = optOutKeyword(text);
		const item = {
			from,
			to: String(body.To ?? ''),
			body: text,
			messageSid: String(body.MessageSid ?? ''),
			receivedAt: new Date().toISOString(),
			optOut: keyword !== undefined,
		};
		if (!keyword) {
			answer(this, 200);
			return { workflowData: [[{ json: item }]], noWebhookResponse: true };
		}
		const phone = parseCandidatePhone(from, 'DE', { nonGeographic: true });
		const recorded = phone.ok ? await recordOptOut(this, phone.value.e164, keyword) : phone.message;
		if (recorded !== true) {
			// Twilio does not retry: the opt-out goes to the workflow, so that it is not lost.
			const why = recorded;
			this.logger.error(`Twilio SMS Trigger: ${keyword} not recorded: ${why}`);
			answer(this, 200);
			return {
				workflowData: [[{ json: { ...item, optOutRecorded: false, error: why } }]],
				noWebhookResponse: true,
			};
		}
		const reply = options.optOutReply ?? 'Sie erhalten keine Anrufe und SMS mehr von uns.';
		answer(
			this,
			200,
			reply.trim()
				? `<?xml version="1.0" encoding="UTF-8"?><Response><Message>${escapeXml(reply.trim())}</Message></Response>`
				: EMPTY_TWIML,
		);
		if (!options.emitOptOuts) return { noWebhookResponse: true };
		return {
			workflowData: [[{ json: { ...item, optOutRecorded: true } }]],
			noWebhookResponse: true,
		};
	}
}
