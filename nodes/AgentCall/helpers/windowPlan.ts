/**
 * Which recipients of a campaign can be called before their calling window closes. ElevenLabs'
 * batch calling has no window: it dials until the batch is done or cancelled. So the node
 * submits only those the batch will reach in time, and names the moment to cancel it.
 */
import { DateTime } from 'luxon';

import { checkCallingWindow, windowClosesAt } from './callingWindow';
import type { CallingWindow } from './callingWindow';

export interface PlanSettings {
	/** When the batch starts dialling. */
	startAt: Date;
	/** How many calls the batch runs at once. */
	lines: number;
	/** A typical call, from dialling until the line is free again. */
	callMs: number;
}

export interface Waiting<T> {
	recipient: T;
	reason: string;
	/** ISO time of the next moment the recipient may be called (empty when the window never opens). */
	nextWindowStart: string;
}

export interface WindowPlan<T> {
	/** In dispatch order, each with the moment its call is expected to start. */
	submit: Array<{ recipient: T; expectedStartAt: Date }>;
	/** Who would not be reached in time: for the next run. */
	wait: Array<Waiting<T>>;
	/** The earliest window end of those submitted: the batch must not dial after it. */
	closesAt?: Date;
}

const clock = (at: Date, zone: string) => DateTime.fromJSDate(at, { zone }).toFormat('HH:mm');

/**
 * Goes through the recipients in the order the batch dials them: the n-th submitted one starts
 * when the calls before it have freed a line (n ÷ lines typical calls after the start) and must
 * finish before its own window closes and before the batch's cut-off (the earliest close of
 * those submitted, where the batch is cancelled). Recipients without a window always fit.
 */
export function planWithinWindows<T extends { window?: CallingWindow }>(
	recipients: T[],
	settings: PlanSettings,
): WindowPlan<T> {
	const { startAt, lines, callMs } = settings;
	const plan: WindowPlan<T> = { submit: [], wait: [] };
	let cutOff: Date | undefined;
	for (const recipient of recipients) {
		const expectedStartAt = new Date(
			startAt.getTime() + Math.floor(plan.submit.length / lines) * callMs,
		);
		const { window } = recipient;
		if (!window) {
			plan.submit.push({ recipient, expectedStartAt });
			continue;
		}
		const closes = windowClosesAt(window, startAt);
		if (!closes) {
			const closed = checkCallingWindow(window, startAt);
			const { reason, nextWindowStart } = closed.open
				? { reason: '', nextWindowStart: '' }
				: closed;
			plan.wait.push({ recipient, reason, nextWindowStart });
			continue;
		}
		const limit = cutOff && cutOff < closes ? cutOff : closes;
		if (expectedStartAt.getTime() + callMs <= limit.getTime()) {
			plan.submit.push({ recipient, expectedStartAt });
			cutOff = limit;
			continue;
		}
		const ahead = plan.submit.length;
		const why = `${ahead} call${ahead === 1 ? '' : 's'} ahead on ${lines} line${lines === 1 ? '' : 's'}`;
		if (limit < closes) {
			// Their own window is still open when the batch stops: the next run may call them then.
			plan.wait.push({
				recipient,
				reason: `Would not be reached before the campaign stops at ${clock(limit, window.zone)} (${window.zone}), when another recipient's calling window closes (${why})`,
				nextWindowStart: DateTime.fromJSDate(limit, { zone: window.zone }).toISO()!,
			});
			continue;
		}
		const next = checkCallingWindow(window, closes);
		plan.wait.push({
			recipient,
			reason: `Would not be reached before the calling window closes at ${clock(closes, window.zone)} in ${window.zone} (${why})`,
			nextWindowStart: next.open ? '' : next.nextWindowStart,
		});
	}
	if (cutOff) plan.closesAt = cutOff;
	return plan;
}
