/** Campaign: an ElevenLabs batch call as the output fields a recruiter needs */
import type { IDataObject } from 'n8n-workflow';

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
