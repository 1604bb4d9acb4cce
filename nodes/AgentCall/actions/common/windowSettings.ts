import type { IExecuteFunctions } from 'n8n-workflow';

import { toNodeError } from '../../../shared/n8n/problems';
import type { Checked } from '../../../shared/n8n/problems';
import { checkCallingWindow } from '../../helpers/callingWindow';
import type { WindowCheck } from '../../helpers/callingWindow';
import { candidateWindow, windowRules } from '../../helpers/windowRules';
import type { WindowCandidate, WindowRules } from '../../helpers/windowRules';
import { text } from './candidate';

/** The options that say whose time zone and holidays count (Place: windowOptions; Submit: options). */
interface WindowOptions {
	timeZone?: string;
	holidayCountry?: string;
	holidayState?: string;
	skipHolidays?: boolean;
}

/**
 * The calling window's parameters, read the same way for a call and for a campaign: the days
 * and hours of callingHoursProperties, and the zone and holiday options of `collection`.
 */
export function readWindowRules(
	ctx: IExecuteFunctions,
	itemIndex: number,
	collection: 'windowOptions' | 'options',
): Checked<WindowRules> {
	const options = ctx.getNodeParameter(collection, itemIndex, {}) as WindowOptions;
	return windowRules(
		{
			days: ctx.getNodeParameter('callingDays', itemIndex, [1, 2, 3, 4, 5]),
			start: ctx.getNodeParameter('windowStart', itemIndex, '09:00'),
			end: ctx.getNodeParameter('windowEnd', itemIndex, '18:00'),
			timeZone: text(options.timeZone),
			holidayCountry: text(options.holidayCountry),
			holidayState: text(options.holidayState),
			skipHolidays: options.skipHolidays !== false,
		},
		new Date(),
	);
}

/**
 * The window of `windowOptions` for one candidate, checked now (when Respect Calling Window is
 * on): why it is closed and when it opens, or undefined when the candidate may be reached now.
 */
export function closedWindow(
	ctx: IExecuteFunctions,
	itemIndex: number,
	candidate: WindowCandidate,
): Exclude<WindowCheck, { open: true }> | undefined {
	if (!ctx.getNodeParameter('useCallingWindow', itemIndex, true)) return undefined;
	const now = new Date();
	const rules = readWindowRules(ctx, itemIndex, 'windowOptions');
	if (!rules.ok) throw toNodeError(ctx.getNode(), rules, itemIndex);
	const window = candidateWindow(rules.value, candidate, now);
	if (!window.ok) throw toNodeError(ctx.getNode(), window, itemIndex);
	const check = checkCallingWindow(window.value, now);
	return check.open ? undefined : check;
}

/** The calling-window rules when the node respects the window (campaigns: the first item's). */
export function windowRulesIfRespected(
	ctx: IExecuteFunctions,
	itemIndex: number,
	collection: 'windowOptions' | 'options',
): WindowRules | undefined {
	if (!ctx.getNodeParameter('useCallingWindow', itemIndex, true)) return undefined;
	const rules = readWindowRules(ctx, itemIndex, collection);
	if (!rules.ok) throw toNodeError(ctx.getNode(), rules, itemIndex);
	return rules.value;
}
