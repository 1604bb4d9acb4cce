/** Get Many without details: list entries named like Get, and date filters as Unix seconds */
import type { ElevenLabs } from '@elevenlabs/elevenlabs-js';

/** One line of Get Many without details: what the list endpoint itself returns, named like Get. */
export type ConversationSummary = {
	conversationId: string;
	agentId: string;
	agentName: string | null;
	status: string;
	callSuccessful: string | null;
	startedAt: string | null;
	durationSecs: number;
	messageCount: number;
	summary: string | null;
	title: string | null;
	language: string | null;
	direction: string | null;
	terminationReason: string | null;
};

export function conversationSummary(
	summary: ElevenLabs.ConversationSummaryResponseModel,
): ConversationSummary {
	return {
		conversationId: summary.conversationId,
		agentId: summary.agentId,
		agentName: summary.agentName ?? null,
		status: summary.status,
		callSuccessful: summary.callSuccessful ?? null,
		startedAt: Number.isFinite(summary.startTimeUnixSecs)
			? new Date(summary.startTimeUnixSecs * 1000).toISOString()
			: null,
		durationSecs: summary.callDurationSecs,
		messageCount: summary.messageCount,
		summary: summary.transcriptSummary ?? null,
		title: summary.callSummaryTitle ?? null,
		language: summary.mainLanguage ?? null,
		direction: summary.direction ?? null,
		terminationReason: summary.terminationReason ?? null,
	};
}

/**
 * A date filter as Unix seconds: an ISO string (what n8n's date picker stores), a Luxon
 * DateTime or JS Date from an expression, or a number (seconds, or milliseconds when huge).
 */
export function unixSeconds(value: unknown): number | undefined | 'invalid' {
	if (value === undefined || value === null || value === '') return undefined;
	let ms: number;
	if (typeof value === 'number') ms = value > 1e11 ? value : value * 1000;
	else if (typeof value === 'string') ms = Date.parse(value);
	else if (value instanceof Date) ms = value.getTime();
	else if (typeof (value as { toMillis?: unknown }).toMillis === 'function')
		ms = (value as { toMillis(): number }).toMillis();
	else return 'invalid';
	return Number.isFinite(ms) ? Math.floor(ms / 1000) : 'invalid';
}
