/** Whether a reply opts out: Twilio's own opt-out keywords and the German STOPP, as the whole message. */

/** Twilio's standard opt-out words (its Advanced Opt-Out defaults) plus German STOPP. */
export const OPT_OUT_KEYWORDS = [
	'STOP',
	'STOPP',
	'STOPALL',
	'UNSUBSCRIBE',
	'CANCEL',
	'END',
	'QUIT',
] as const;

/** "Stop", " STOPP! ", "stop." opt out; "Stop calling at 9?" is a message for the workflow. */
export function optOutKeyword(body: string): string | undefined {
	const word = body
		.trim()
		.replace(/[\s.!]+$/u, '')
		.toUpperCase();
	return (OPT_OUT_KEYWORDS as readonly string[]).includes(word) ? word : undefined;
}
