/**
 * Whether bytes that a vendor calls a recording are an MP3 at all: a 200 can carry a JSON error,
 * an HTML page or a few stray bytes, which n8n would otherwise store as ".mp3". Used for Download
 * Audio's answer and the trigger's base64 audio.
 */

/** Shorter than any call recording (a quarter second at the lowest bit rate ElevenLabs uses). */
export const MIN_AUDIO_BYTES = 1024;

/** How many first bytes the check needs. */
export const AUDIO_HEAD_BYTES = MIN_AUDIO_BYTES;

/** An ID3 tag ("ID3") or an MPEG audio frame sync (11 bits set) at the start. */
function hasMp3Signature(head: Buffer): boolean {
	if (head.length >= 3 && head.toString('latin1', 0, 3) === 'ID3') return true;
	return head.length >= 2 && head[0] === 0xff && (head[1] & 0xe0) === 0xe0;
}

/**
 * What is wrong with an answer as a recording, or undefined when it is one: its content type
 * (audio/*, or octet-stream / none, then the bytes decide), size and MPEG/ID3 signature.
 * `head` holds the first bytes (at least AUDIO_HEAD_BYTES unless the body is shorter).
 */
export function audioProblem(
	contentType: string | null | undefined,
	head: Buffer,
): string | undefined {
	const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
	if (
		type &&
		!type.startsWith('audio/') &&
		type !== 'application/octet-stream' &&
		type !== 'binary/octet-stream'
	) {
		return `it is ${type.slice(0, 60)} (${head.length < AUDIO_HEAD_BYTES ? `${head.length} bytes` : 'not audio'}), not an MP3 recording`;
	}
	if (head.length < MIN_AUDIO_BYTES)
		return `it has only ${head.length} bytes, too short for a recording`;
	if (!hasMp3Signature(head))
		return 'it does not begin like an MP3 file (no ID3 tag or MPEG frame)';
	return undefined;
}
