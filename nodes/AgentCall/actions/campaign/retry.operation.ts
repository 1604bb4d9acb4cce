/** Campaign → Retry: calls a campaign's failed recipients again, each cleared by the ledger */
import { updateDisplayOptions } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { getBatchCall } from '../../../shared/vendors/elevenLabsApi';
import { mapItems } from '../../../shared/n8n/items';
import type { OutputField } from '../../../shared/n8n/outputFields';
import type { CallLedger } from '../../../shared/ledger/callLedger';
import { withHeldClaims } from '../../../shared/ledger/heldClaims';
import { ProblemError, toNodeError } from '../../../shared/n8n/problems';
import { ledgerUnavailable, openItemLedger } from '../../../shared/ledger/itemLedger';
import { attemptOptions, ledgerProperties } from '../../../shared/ledger/ledgerParameters';
import { parseCandidatePhone } from '../../helpers/phone';
import { candidateWindow, windowRules } from '../../helpers/windowRules';
import type { WindowRules } from '../../helpers/windowRules';
import { callingHoursProperties, callingWindowOptions } from '../common/callingHours.description';
import { ElevenLabsLookups } from '../common/lookups';
import { readRetryRequest } from './campaignRequest';
import { campaignIdProperty } from './campaignId.description';
import { campaignOutputFields } from './output';
import { batchSettings } from './campaignSettings';
import { clearRecipients } from './clearance';
import type { Recipient } from './recipients';
import { failedRecipients, retryRecipients } from './retryRecipients';
import { releaseFailed, reportSubmit, settleClaims, submitBatch } from './submitBatch';
import type { BatchWording } from './submitBatch';

const SUBMITTED = 'a new campaign was submitted';

/**
 * One item per campaign retried: the new campaign's fields and who was held back. When nobody
 * passes: `campaignId` null, `status` `nothing_to_submit`, and no other campaign field.
 */
export const outputFields: OutputField[] = [
	...campaignOutputFields.map((field): OutputField => {
		if (field.name === 'campaignId')
			return { ...field, description: "The new campaign's batch call id (null: none)" };
		if (field.name === 'status') return field;
		return { ...field, when: SUBMITTED };
	}),
	{ name: 'recipients', type: 'number', description: 'How many are dialled again' },
	{
		name: 'alreadyCalled',
		type: 'object[]',
		description: 'Recipients the call ledger says were called already, as in Submit',
	},
	{
		name: 'heldBack',
		type: 'object[]',
		description:
			'Left out by the call ledger, as in Submit: `itemIndex`, `toNumber`, `idempotencyKey`, `status` (`do_not_call`, `too_soon` with `nextAttemptAfter`, `attempts_exhausted`)',
	},
	{
		name: 'outsideWindow',
		type: 'object[]',
		description: 'Outside their own calling window now, with `nextWindowStart`; nobody is claimed',
	},
	{ name: 'retriedFrom', type: 'string', description: 'The campaign retried' },
];

const show = { resource: ['campaign'], operation: ['retry'] };

const NEW_BATCH: BatchWording = {
	action: 'submit the retry as a new campaign',
	happened: 'The new campaign of the retried recipients may have been created',
	log: 'Retry Campaign',
};

export const description: INodeProperties[] = [
	campaignIdProperty('retry'),
	...updateDisplayOptions({ show }, [
		...ledgerProperties({}),
		{
			displayName: 'Respect Calling Window',
			name: 'useCallingWindow',
			type: 'boolean',
			default: true,
			description:
				'Whether to call each recipient again only on the chosen days and hours in their own local time (the number’s country, or the "timezone" variable the first round carried), and not on public holidays. Recipients outside their window now are left out and listed in outsideWindow; nobody is claimed for them.',
		},
		...callingHoursProperties({}, 'the recipient’s time zone'),
		callingWindowOptions({}),
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			description:
				'The attempt budget, as in Submit. A Retry right after the campaign holds everybody back as "too_soon" until Hours Between Attempts (4 by default) have passed since their failed call; set it to 0 to call them again at once.',
			options: attemptOptions,
		},
	]),
];

/** The batch's attempts in the ledger: the campaigns Retry claims in, or an error saying why not. */
async function recordedAttempts(
	ctx: IExecuteFunctions,
	ledger: CallLedger,
	campaignId: string,
	i: number,
) {
	const attempts = await ledger.batchAttempts(campaignId).catch((error: unknown) => {
		throw ledgerUnavailable(ctx, ledger.label, error, i);
	});
	if (attempts.length) return attempts;
	throw new ProblemError(
		`${ledger.label} has no record of campaign ${campaignId}, so nobody was called`,
		'Retry checks every recipient against the call ledger that Submit recorded them in: choose the same Call Ledger as the Submit. A campaign submitted elsewhere cannot be retried here; submit its recipients with Submit instead.',
	);
}

/** Each recipient's own calling window, from their number's country or their timezone variable. */
function withWindows(recipients: Recipient[], rules: WindowRules | undefined): Recipient[] {
	if (!rules) return recipients;
	const now = new Date();
	return recipients.map((recipient) => {
		const { phone, clientData } = recipient.candidate;
		const parsed = parseCandidatePhone(phone.e164, 'DE');
		const where = {
			timezoneField: clientData.dynamicVariables?.timezone,
			country: parsed.ok ? parsed.value.country : undefined,
		};
		const window = candidateWindow(rules, where, now);
		if (!window.ok) throw new ProblemError(window.message, window.hint);
		return { ...recipient, window: window.value };
	});
}

/**
 * Calls the batch's failed recipients again, each through the ledger as Submit does (do-not-call
 * list, attempt budget, pause, one claim per attempt); those who pass go into a new batch, each
 * with the attempt number it claimed (`call_attempt`). ElevenLabs' own retry is not used: it
 * re-dials every failed recipient with the first round's data, so its calls could not say that
 * they are a further attempt (reachedVia would read first_call). The ones held back are listed.
 */
async function retryCampaign(
	ctx: IExecuteFunctions,
	lookups: ElevenLabsLookups,
	i: number,
): Promise<IDataObject> {
	const request = readRetryRequest(ctx, description, i);
	const { campaignId } = request;
	const at = { node: ctx.getNode(), itemIndex: i, purpose: { action: 'read the campaign' } };
	const batch = await getBatchCall(await lookups.reader(i), at, campaignId);
	if (batch.status === 'cancelled') {
		const cancelled = {
			message: `Campaign ${campaignId} was cancelled, so it cannot be retried`,
			hint: 'Submit its recipients again: Submit leaves out everyone who was already called.',
		};
		throw new ProblemError(cancelled.message, cancelled.hint);
	}
	const settings = batchSettings(batch, request.options);
	const ledger = await openItemLedger(ctx, request.ledger, i);
	const attempts = await recordedAttempts(ctx, ledger, campaignId, i);
	const failed = failedRecipients(batch);
	const rules = request.window && windowRules(request.window, new Date());
	if (rules && !rules.ok) throw toNodeError(ctx.getNode(), rules, i);
	const recipients = withWindows(retryRecipients(ledger, attempts, failed, i), rules?.value);
	return await withHeldClaims(releaseFailed(ctx), async (held) => {
		const { policy, skipIfAlreadyCalled } = request;
		const claims = { ctx, lookups, ledger, held, settings, policy, skipIfAlreadyCalled };
		const { toDial, alreadyCalled, heldBack, outsideWindow } = await clearRecipients(
			claims,
			recipients,
			new Date(),
		);
		const report = {
			recipients: toDial.length,
			alreadyCalled,
			heldBack,
			outsideWindow,
			retriedFrom: campaignId,
		};
		if (!toDial.length) return { campaignId: null, status: 'nothing_to_submit', ...report };
		const outcome = await submitBatch(lookups, settings, toDial, undefined);
		await settleClaims(ctx, toDial, outcome);
		return reportSubmit(ctx, outcome, report, NEW_BATCH);
	});
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const lookups = new ElevenLabsLookups(this);
	return await mapItems(this, async (_item, i) => await retryCampaign(this, lookups, i));
}
