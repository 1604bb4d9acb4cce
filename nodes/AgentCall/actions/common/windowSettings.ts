/** Calling window parameters, read alike for call and campaign, checked for a candidate */
import type { IExecuteFunctions } from 'n8n-workflow';

import { toNodeError } from '../../../shared/n8n/problems';
import type { Checked } from '../../../shared/n8n/problems';
import { checkCallingWindow } from '../../helpers/callingWindow';
import type { WindowCheck } from '../../helpers/callingWindow';
import { candidateWindow, windowRules } from '../../helpers/windowRules';
import type { WindowCandidate, WindowRules, WindowSettings } from '../../helpers/windowRules';
import { text } from './candidate';

/** The options that say whose time zone and holidays count (Place: windowOptions; Submit: options). */
interface WindowOptions {
	timeZone?: string;
	holidayCountry?: string;
	holidayState?: string;
	skipHolidays?: boolean;
}

/**
 * The calling window's parameters as given, read the same way for a call and for a campaign:
 * the days and hours of callingHoursProperties, and the zone and holiday options of `collection`.
 */
export function readWindowSettings(
	ctx: IExecuteFunctions,
	itemIndex: number,
	collection: 'windowOptions' | 'options',
): WindowSettings {
	const options = ctx.getNodeParameter(collection, itemIndex, {}) as WindowOptions;
	return {
		days: ctx.getNodeParameter('callingDays', itemIndex, [1, 2, 3, 4, 5]),
		start: ctx.getNodeParameter('windowStart', itemIndex, '09:00'),
		end: ctx.getNodeParameter('windowEnd', itemIndex, '18:00'),
		timeZone: text(options.timeZone),
		holidayCountry: text(options.holidayCountry),
		holidayState: text(options.holidayState),
		skipHolidays: options.skipHolidays !== false,
	};
}

/** The calling window's parameters, checked. */
export function readWindowRules(
	ctx: IExecuteFunctions,
	itemIndex: number,
	collection: 'windowOptions' | 'options',
): Checked<WindowRules> {
	return windowRules(readWindowSettings(ctx, itemIndex, collection), new Date());
}

/** A window that is closed now: why, and when it opens. */
export type ClosedWindow = Exclude<WindowCheck, { open: true }>;

/**
 * The window of these settings for one candidate, checked now: why it is closed and when it
 * opens, undefined when the candidate may be reached now, or the problem with the settings.
 */
export function windowNow(
	settings: WindowSettings,
	candidate: WindowCandidate,
): Checked<ClosedWindow | undefined> {
	const now = new Date();
	const rules = windowRules(settings, new Date());
	if (!rules.ok) return rules;
	const window = candidateWindow(rules.value, candidate, now);
	if (!window.ok) return window;
	const check = checkCallingWindow(window.value, now);
	return { ok: true, value: check.open ? undefined : check };
}

/**
 * The window of `windowOptions` for one candidate, checked now (when Respect Calling Window is
 * on): why it is closed and when it opens, or undefined when the candidate may be reached now.
 */
export function closedWindow(
	ctx: IExecuteFunctions,
	itemIndex: number,
	candidate: WindowCandidate,
): ClosedWindow | undefined {
	if (!ctx.getNodeParameter('useCallingWindow', itemIndex, true)) return undefined;
	const closed = windowNow(readWindowSettings(ctx, itemIndex, 'windowOptions'), candidate);
	if (!closed.ok) throw toNodeError(ctx.getNode(), closed, itemIndex);
	return closed.value;
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
