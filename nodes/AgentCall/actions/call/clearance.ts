/** Call → Place: holds a candidate outside the calling window; finds an earlier call */
import type { IDataObject } from 'n8n-workflow';

import { toNodeError } from '../../../shared/n8n/problems';
import { maskNumber } from '../../helpers/idempotency';
import { windowNow } from '../common/windowSettings';
import type { EarlierCall } from '../common/ledgerClaim';
import type { CallRun } from './callRun';
import type { PreparedCall } from './preflight';

const DEFAULT_LOOK_BACK_DAYS = 90;

/** Why a candidate is not dialled now: the fields of an item that is not an error. */
export type Held = IDataObject & { status: 'outside_window' };

/** Whether a prepared candidate may be called now by the calling window; why not, or undefined. */
export function outsideCallingWindow(run: CallRun, call: PreparedCall): Held | undefined {
	if (!call.window) return undefined;
	const { phone } = call.candidate;
	const i = call.itemIndex;
	const closed = windowNow(call.window, {
		timezoneField: call.item.json.timezone,
		country: phone.country,
	});
	if (!closed.ok) throw toNodeError(run.ctx.getNode(), closed, i);
	if (!closed.value) return undefined;
	const masked = maskNumber(phone.e164);
	run.ctx.logger.info(
		`Place Agent Call: item ${i}: ${masked} not called, outside the calling window`,
	);
	return {
		status: 'outside_window',
		reason: closed.value.reason,
		nextWindowStart: closed.value.nextWindowStart || null,
	};
}

/** The candidate's latest call in ElevenLabs' history with the same idempotency key, if any. */
export async function historyCall(
	{ lookups }: CallRun,
	call: PreparedCall,
): Promise<EarlierCall | undefined> {
	const lookBackDays = call.options.lookBackDays ?? DEFAULT_LOOK_BACK_DAYS;
	const since = Math.floor(Date.now() / 1000) - lookBackDays * 86400;
	const i = call.itemIndex;
	const previous = await lookups.previousCall(call.agentId, call.candidate.key, since, i);
	return (
		previous && {
			conversationId: previous.conversationId,
			startedAt: Date.parse(previous.startedAt),
		}
	);
}
