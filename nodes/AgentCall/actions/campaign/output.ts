/** Campaign: an ElevenLabs batch call as the output fields a recruiter needs */
import type { IDataObject } from 'n8n-workflow';

import type { OutputField } from '../../../shared/n8n/outputFields';

/** The fields of ElevenLabs' batch call (BatchCallResponse) a recruiter needs, in our names. */
export interface BatchLike {
	id: string;
	name: string;
	agentId: string;
	status: string;
	phoneNumberId?: string;
	phoneProvider?: string;
	createdAtUnix: number;
	scheduledTimeUnix: number;
	timezone?: string;
	totalCallsDispatched: number;
	totalCallsScheduled: number;
	totalCallsFinished: number;
	retryCount: number;
	targetConcurrencyLimit?: number;
}

/** The fields campaignOutput writes, as the node page shows them. */
export const campaignOutputFields: OutputField[] = [
	{ name: 'campaignId', type: 'string', description: "ElevenLabs' batch call id" },
	{ name: 'name', type: 'string', description: 'The campaign name (ElevenLabs → Batch Calling)' },
	{ name: 'agentId', type: 'string', description: 'The agent that calls' },
	{ name: 'status', type: 'string', description: "The batch call's status at ElevenLabs" },
	{ name: 'phoneNumberId', type: 'string or null', description: 'The agent phone number' },
	{ name: 'phoneProvider', type: 'string or null', description: '`twilio` or `sip_trunk`' },
	{ name: 'createdAt', type: 'string or null', description: 'ISO time the campaign was created' },
	{ name: 'scheduledAt', type: 'string or null', description: 'ISO time the campaign starts' },
	{ name: 'timezone', type: 'string or null', description: 'The time zone ElevenLabs shows it in' },
	{ name: 'callsScheduled', type: 'number', description: 'Calls scheduled' },
	{ name: 'callsDispatched', type: 'number', description: 'Calls dialled so far' },
	{ name: 'callsFinished', type: 'number', description: 'Calls ended so far' },
	{ name: 'retryCount', type: 'number', description: "ElevenLabs' retries of the batch" },
	{
		name: 'concurrencyLimit',
		type: 'number or null',
		description: 'Lines the campaign may use at once (null: a share of the workspace).',
	},
];

const iso = (unix: number | undefined) => (unix ? new Date(unix * 1000).toISOString() : null);

export function campaignOutput(batch: BatchLike): IDataObject {
	return {
		campaignId: batch.id,
		name: batch.name,
		agentId: batch.agentId,
		status: batch.status,
		phoneNumberId: batch.phoneNumberId ?? null,
		phoneProvider: batch.phoneProvider ?? null,
		createdAt: iso(batch.createdAtUnix),
		scheduledAt: iso(batch.scheduledTimeUnix),
		timezone: batch.timezone ?? null,
		callsScheduled: batch.totalCallsScheduled,
		callsDispatched: batch.totalCallsDispatched,
		callsFinished: batch.totalCallsFinished,
		retryCount: batch.retryCount,
		concurrencyLimit: batch.targetConcurrencyLimit ?? null,
	};
}
