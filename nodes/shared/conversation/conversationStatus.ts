/** The states an ElevenLabs conversation passes through, in order, named once for every node. */
export const CONVERSATION_STATUSES = [
	'initiated',
	'in-progress',
	'processing',
	'done',
	'failed',
] as const;

export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

/** Nothing changes any more: the transcript, analysis and audio are final. */
export const FINISHED_STATUSES: readonly ConversationStatus[] = ['done', 'failed'];

export function isFinished(status: string): boolean {
	return (FINISHED_STATUSES as readonly string[]).includes(status);
}

/** The API filters by the statuses to leave out; users pick the ones they want (none: no filter). */
export function excludedStatuses(
	wanted: readonly string[] | undefined,
): ConversationStatus[] | undefined {
	if (!wanted?.length) return undefined;
	return CONVERSATION_STATUSES.filter((status) => !wanted.includes(status));
}
