/**
 * Deliveries the trigger has started a workflow for, by event type and conversation, in the
 * node's static data. With webhook retries on, ElevenLabs can send the same post-call event
 * again; within the signature tolerance a repeat is acknowledged and starts nothing. Older
 * entries are dropped: a delivery that old fails the signature check anyway.
 */
import type { IDataObject } from 'n8n-workflow';

import { MAX_AGE_SECONDS } from '../../shared/webhookSignature';

const KEY = 'deliveries';
const TOLERANCE_MS = MAX_AGE_SECONDS * 1000;

const deliveryKey = (type: string, conversationId: string) => `${type}:${conversationId}`;

function recent(staticData: IDataObject, nowMs: number): Record<string, number> {
	const stored = staticData[KEY];
	const entries =
		stored && typeof stored === 'object' ? Object.entries(stored as Record<string, number>) : [];
	return Object.fromEntries(
		entries.filter(([, at]) => typeof at === 'number' && nowMs - at < TOLERANCE_MS),
	);
}

/** Whether this event of this conversation already started a workflow within the tolerance. */
export function isRepeatDelivery(
	staticData: IDataObject,
	type: string,
	conversationId: string,
	nowMs: number,
): boolean {
	return deliveryKey(type, conversationId) in recent(staticData, nowMs);
}

/** Records that this event of this conversation starts a workflow now. */
export function rememberDelivery(
	staticData: IDataObject,
	type: string,
	conversationId: string,
	nowMs: number,
): void {
	staticData[KEY] = { ...recent(staticData, nowMs), [deliveryKey(type, conversationId)]: nowMs };
}
