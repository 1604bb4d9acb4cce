import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { problemError } from '../../../shared/problems';
import { checkCallingWindow } from '../../helpers/callingWindow';
import { maskNumber } from '../../helpers/idempotency';
import { candidateWindow } from '../../helpers/windowRules';
import type { ElevenLabsLookups } from '../lookups';
import { readWindowRules } from '../windowSettings';
import type { PreparedCall } from './preflight';

const DEFAULT_LOOK_BACK_DAYS = 90;

/** Why a candidate is not dialled now: the fields of an item that is not an error. */
export type Held = IDataObject & { status: 'outside_window' | 'already_called' };

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

/**
 * Decides whether a prepared candidate may be dialled now: inside the calling window, and not
 * called before with the same idempotency key. Returns why not, or undefined to dial.
 */
export async function holdBack(
	ctx: IExecuteFunctions,
	lookups: ElevenLabsLookups,
	call: PreparedCall,
	item: INodeExecutionData,
	i: number,
): Promise<Held | undefined> {
	const masked = maskNumber(call.candidate.phone.e164);
	const closed = outsideWindow(ctx, call, item, i);
	if (closed) {
		ctx.logger.info(
			`Place Agent Call: item ${i}: ${masked} not called, outside the calling window`,
		);
		return {
			status: 'outside_window',
			reason: closed.reason,
			nextWindowStart: closed.nextWindowStart || null,
		};
	}
	if (!ctx.getNodeParameter('skipIfAlreadyCalled', i, true)) return undefined;
	const lookBackDays = call.options.lookBackDays ?? DEFAULT_LOOK_BACK_DAYS;
	const since = Math.floor(Date.now() / 1000) - lookBackDays * 86400;
	const previous = await lookups.previousCall(call.agentId, call.candidate.key, since, i);
	if (!previous) return undefined;
	ctx.logger.info(
		`Place Agent Call: item ${i}: ${masked} already called (${previous.conversationId})`,
	);
	return {
		status: 'already_called',
		conversationId: previous.conversationId,
		previousCallStatus: previous.status,
		placedAt: previous.startedAt,
	};
}
