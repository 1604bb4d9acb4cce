/** Campaign → Submit: the settings that hold for the whole campaign, read once from item 0 */
import type { ElevenLabs } from '@elevenlabs/elevenlabs-js';
import type { IExecuteFunctions } from 'n8n-workflow';

import { readCheckedOptions } from '../../../shared/n8n/numberParameters';
import { toNodeError } from '../../../shared/n8n/problems';
import { text } from '../common/candidate';
import type { CandidateOptions } from '../common/candidate';
import { readAgentId, readPhoneNumberId } from '../common/chosenIds';
import { description } from './submit.description';

export interface SubmitOptions extends CandidateOptions {
	concurrencyLimit?: number;
	invalidNumbers?: 'fail' | 'report';
	lookBackDays?: number;
	ringingTimeout?: number;
	scheduledTime?: string;
	/** The calling window's zone for every recipient, and the zone ElevenLabs shows the campaign in. */
	timeZone?: string;
	/** How long a call holds a line, for the calling-window plan. */
	typicalCallMinutes?: number;
	maxAttempts?: number;
	hoursBetweenAttempts?: number;
	ledgerRetentionDays?: number;
}

/** What holds for the whole campaign, read once (item 0). */
export interface CampaignSettings {
	callName: string;
	agentId: string;
	phoneNumberId: string;
	options: SubmitOptions;
	/** The time the user scheduled the campaign for, if any. */
	scheduled?: Date;
}

export function readCampaignSettings(ctx: IExecuteFunctions): CampaignSettings {
	const node = ctx.getNode();
	const callName = text(ctx.getNodeParameter('callName', 0, ''));
	if (!callName)
		throw toNodeError(
			node,
			{ message: 'The campaign has no name', hint: 'Enter a "Campaign Name".' },
			0,
		);
	const agentId = readAgentId(ctx, 0);
	const phoneNumberId = readPhoneNumberId(ctx, 0);
	const options = readCheckedOptions<SubmitOptions>(ctx, description, 'options', 0);
	const scheduledTime = text(options.scheduledTime);
	const scheduled = scheduledTime ? new Date(scheduledTime) : undefined;
	if (scheduled && !Number.isFinite(scheduled.getTime())) {
		const notATime = {
			message: `"${scheduledTime}" is not a time`,
			hint: 'Pick a date and time for "Scheduled Time".',
		};
		throw toNodeError(node, notATime, 0);
	}
	return { callName, agentId, phoneNumberId, options, scheduled };
}

/** A submitted batch's own settings, read back, for a new batch of some of its recipients. */
export function batchSettings(
	batch: ElevenLabs.BatchCallDetailedResponse,
	options: SubmitOptions = {},
): CampaignSettings {
	return {
		callName: batch.name,
		agentId: batch.agentId,
		phoneNumberId: batch.phoneNumberId ?? '',
		options: {
			...options,
			timeZone: batch.timezone,
			concurrencyLimit: batch.targetConcurrencyLimit,
			ringingTimeout: batch.telephonyCallConfig?.ringingTimeoutSecs,
		},
	};
}
