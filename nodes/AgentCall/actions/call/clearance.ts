import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { problemError } from '../../../shared/problems';
import { checkCallingWindow } from '../../helpers/callingWindow';
import { maskNumber } from '../../helpers/idempotency';
import { candidateWindow } from '../../helpers/windowRules';
import type { ElevenLabsLookups } from '../lookups';
import { readWindowRules } from '../windowSettings';
import type { EarlierCall } from '../ledgerClaim';
import type { PreparedCall } from './preflight';

const DEFAULT_LOOK_BACK_DAYS = 90;

/** Why a candidate is not dialled now: the fields of an item that is not an error. */
export type Held = IDataObject & { status: 'outside_window' };

/** Outside the calling window in the candidate's own time zone, with the next allowed moment. */
function outsideWindow(
	ctx: IExecuteFunctions,
	call: PreparedCall,
	item: INodeExecutionData,
	i: number,
) {
	if (!ctx.getNodeParameter('useCallingWindow', i, true)) return undefined;
	const now = new Date();
	const rules = readWindowRules(ctx, i, 'windowOptions');
	if (!rules.ok) throw problemError(ctx.getNode(), rules, i);
	const { phone } = call.candidate;
	const window = candidateWindow(
		rules.value,
		{ timezoneField: item.json.timezone, country: phone.country },
		now,
	);
	if (!window.ok) throw problemError(ctx.getNode(), window, i);
	const check = checkCallingWindow(window.value, now);
	return check.open ? undefined : check;
}

/** Whether a prepared candidate may be called now by the calling window; why not, or undefined. */
export function outsideCallingWindow(
	ctx: IExecuteFunctions,
	call: PreparedCall,
	item: INodeExecutionData,
	i: number,
): Held | undefined {
	const closed = outsideWindow(ctx, call, item, i);
	if (!closed) return undefined;
	const masked = maskNumber(call.candidate.phone.e164);
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
