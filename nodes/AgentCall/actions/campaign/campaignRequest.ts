/** What Submit and Retry Campaign ask for, as plain data: their parameters, read once at the top. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { AttemptPolicy } from '../../../shared/ledger/decideAttempt';
import { readLedgerChoice } from '../../../shared/ledger/itemLedger';
import type { LedgerChoice } from '../../../shared/ledger/itemLedger';
import { readCheckedOptions } from '../../../shared/n8n/numberParameters';
import type { WindowRules, WindowSettings } from '../../helpers/windowRules';
import { attemptPolicy } from '../common/ledgerClaim';
import { readWindowSettings, windowRulesIfRespected } from '../common/windowSettings';
import { campaignIdOf } from './campaignCommand';
import { readCampaignSettings } from './campaignSettings';
import type { CampaignSettings, SubmitOptions } from './campaignSettings';
import { readRecipients } from './recipients';
import type { Recipient } from './recipients';

/** The ledger and budget a campaign's recipients are claimed under. */
export interface CampaignLedger {
	ledger: LedgerChoice;
	policy: AttemptPolicy;
	/** Skip If Already Called (the first item's). */
	skipIfAlreadyCalled: boolean;
}

/** One Submit: the batch, its calling-window rules, every recipient, the ledger and budget. */
export interface SubmitRequest extends CampaignLedger {
	settings: CampaignSettings;
	/** None when the node does not respect the calling window. */
	rules?: WindowRules;
	recipients: Recipient[];
	/** Items that cannot be called, each with what is wrong (when Invalid Numbers is "report"). */
	invalid: IDataObject[];
}

/** One item of Retry: which campaign, the window as set, the ledger and budget. */
export interface RetryRequest extends CampaignLedger {
	itemIndex: number;
	campaignId: string;
	options: SubmitOptions;
	/** The calling window as set, when Respect Calling Window is on (checked after the batch is read). */
	window?: WindowSettings;
}

function readCampaignLedger(
	ctx: IExecuteFunctions,
	options: SubmitOptions,
	i: number,
): CampaignLedger {
	return {
		ledger: readLedgerChoice(ctx, i),
		policy: attemptPolicy(options),
		skipIfAlreadyCalled: ctx.getNodeParameter('skipIfAlreadyCalled', 0, true) as boolean,
	};
}

/** Reads the campaign (item 0) and every item as a recipient; throws on a problem. */
export function readSubmitRequest(ctx: IExecuteFunctions): SubmitRequest {
	const settings = readCampaignSettings(ctx);
	const rules = windowRulesIfRespected(ctx, 0, 'options');
	const { recipients, invalid } = readRecipients(ctx, settings.options, rules);
	const ledger = readCampaignLedger(ctx, settings.options, 0);
	return { settings, rules, recipients, invalid, ...ledger };
}

/** Reads one item of Retry; throws the item's error on a problem. */
export function readRetryRequest(
	ctx: IExecuteFunctions,
	description: INodeProperties[],
	i: number,
): RetryRequest {
	const campaignId = campaignIdOf(ctx, i);
	const options = readCheckedOptions<SubmitOptions>(ctx, description, 'options', i);
	const useWindow = ctx.getNodeParameter('useCallingWindow', i, true);
	return {
		itemIndex: i,
		campaignId,
		options,
		window: useWindow ? readWindowSettings(ctx, i, 'windowOptions') : undefined,
		...readCampaignLedger(ctx, options, i),
	};
}
