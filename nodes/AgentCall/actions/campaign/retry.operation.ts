import { updateDisplayOptions } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { elevenLabsRequest } from '../../../shared/vendors/elevenLabsTransport';
import { mapItems } from '../../../shared/n8n/items';
import type { CallLedger } from '../../../shared/ledger/callLedger';
import { withHeldClaims } from '../../../shared/ledger/heldClaims';
import { readCheckedOptions } from '../../../shared/n8n/numberParameters';
import { problemError } from '../../../shared/n8n/problems';
import { itemLedger, ledgerUnavailable } from '../../../shared/ledger/itemLedger';
import { attemptOptions, ledgerProperties } from '../../../shared/ledger/ledgerParameters';
import { parseCandidatePhone } from '../../helpers/phone';
import { candidateWindow } from '../../helpers/windowRules';
import type { WindowRules } from '../../helpers/windowRules';
import { callingHoursProperties, callingWindowOptions } from '../common/callingHours.description';
import { attemptPolicy } from '../common/ledgerClaim';
import { ElevenLabsLookups } from '../common/lookups';
import { windowRulesIfRespected } from '../common/windowSettings';
import { campaignIdOf } from './campaignCommand';
import { campaignIdProperty } from './campaignId.description';
import { batchSettings } from './campaignSettings';
import type { SubmitOptions } from './campaignSettings';
import { clearRecipients } from './clearance';
import type { Recipient } from './recipients';
import { failedRecipients, retryRecipients } from './retryRecipients';
import { releaseFailed, reportSubmit, settleClaims, submitBatch } from './submitBatch';
import type { BatchWording } from './submitBatch';

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
	const unknown = {
		message: `${ledger.label} has no record of campaign ${campaignId}, so nobody was called`,
		hint: 'Retry checks every recipient against the call ledger that Submit recorded them in: choose the same Call Ledger as the Submit. A campaign submitted elsewhere cannot be retried here; submit its recipients with Submit instead.',
	};
	throw problemError(ctx.getNode(), unknown, i);
}

/** Each recipient's own calling window, from their number's country or their timezone variable. */
function withWindows(
	ctx: IExecuteFunctions,
	recipients: Recipient[],
	rules: WindowRules | undefined,
	i: number,
): Recipient[] {
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
		if (!window.ok) throw problemError(ctx.getNode(), window, i);
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
	const campaignId = campaignIdOf(ctx, i);
	const context = { action: 'read the campaign', itemIndex: i };
	const batch = await elevenLabsRequest(ctx.getNode(), await lookups.reader(i), context, (client) =>
		client.conversationalAi.batchCalls.get(campaignId),
	);
	if (batch.status === 'cancelled') {
		const cancelled = {
			message: `Campaign ${campaignId} was cancelled, so it cannot be retried`,
			hint: 'Submit its recipients again: Submit leaves out everyone who was already called.',
		};
		throw problemError(ctx.getNode(), cancelled, i);
	}
	const options = readCheckedOptions<SubmitOptions>(ctx, description, 'options', i);
	const settings = batchSettings(batch, options);
	const ledger = await itemLedger(ctx, i);
	const attempts = await recordedAttempts(ctx, ledger, campaignId, i);
	const failed = failedRecipients(batch);
	const rules = windowRulesIfRespected(ctx, i, 'windowOptions');
	const recipients = withWindows(ctx, retryRecipients(ledger, attempts, failed, i), rules, i);
	const policy = attemptPolicy(options);
	return await withHeldClaims(releaseFailed(ctx), async (held) => {
		const { toDial, alreadyCalled, heldBack, outsideWindow } = await clearRecipients(
			ctx,
			lookups,
			ledger,
			settings,
			recipients,
			new Date(),
			policy,
			held,
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
