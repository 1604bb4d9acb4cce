import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { maskNumber } from '../../helpers/idempotency';
import type { ElevenLabsLookups } from '../common/lookups';
import { closedWindow } from '../common/windowSettings';
import type { EarlierCall } from '../common/ledgerClaim';
import type { PreparedCall } from './preflight';

const DEFAULT_LOOK_BACK_DAYS = 90;

/** Why a candidate is not dialled now: the fields of an item that is not an error. */
export type Held = IDataObject & { status: 'outside_window' };

/** Whether a prepared candidate may be called now by the calling window; why not, or undefined. */
export function outsideCallingWindow(
	ctx: IExecuteFunctions,
	call: PreparedCall,
	item: INodeExecutionData,
	i: number,
): Held | undefined {
	const { phone } = call.candidate;
	const closed = closedWindow(ctx, i, {
		timezoneField: item.json.timezone,
		country: phone.country,
	});
	if (!closed) return undefined;
	const masked = maskNumber(phone.e164);
	ctx.logger.info(`Place Agent Call: item ${i}: ${masked} not called, outside the calling window`);
	return {
		status: 'outside_window',
		reason: closed.reason,
		nextWindowStart: closed.nextWindowStart || null,
	};
}

/** The candidate's latest call in ElevenLabs' history with the same idempotency key, if any. */
export async function historyCall(
	lookups: ElevenLabsLookups,
	call: PreparedCall,
	i: number,
): Promise<EarlierCall | undefined> {
	const lookBackDays = call.options.lookBackDays ?? DEFAULT_LOOK_BACK_DAYS;
	const since = Math.floor(Date.now() / 1000) - lookBackDays * 86400;
	const previous = await lookups.previousCall(call.agentId, call.candidate.key, since, i);
	return (
		previous && {
			conversationId: previous.conversationId,
			startedAt: Date.parse(previous.startedAt),
		}
	);
}
