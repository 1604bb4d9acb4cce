/** The longest ids and keys the node sends to ElevenLabs, checked before any request. */
import { problem } from '../n8n/problems';
import type { Checked } from '../n8n/problems';

/**
 * The longest user id (idempotency key) sent: the conversation's `user_id` travels in request
 * bodies and in the `?user_id=` of the history lookup, where 100 kB ended in "HTTP 431" from the
 * vendor. The derived keys have 36 characters; 256 leaves room for any id a team uses.
 */
export const MAX_USER_ID_LENGTH = 256;

/**
 * The longest conversation id accepted: ElevenLabs' ids have 33 characters (`conv_` and 28).
 * An id goes into the URL path, and a segment over 100 characters is refused there (HTTP 414)
 * instead of looked up, so a longer text is refused here, with its length.
 */
export const MAX_CONVERSATION_ID_LENGTH = 100;

/** A user id or idempotency key within MAX_USER_ID_LENGTH, or what to change. */
export function checkUserIdLength(value: string, field: string): Checked<string> {
	if (value.length <= MAX_USER_ID_LENGTH) return { ok: true, value };
	return problem(
		`The ${field} has ${value.length.toLocaleString('en')} characters, more than the ${MAX_USER_ID_LENGTH} ElevenLabs takes`,
		`ElevenLabs stores it as the conversation's user ID. Map "${field}" to a short id (a candidate id, or leave it empty for the derived key), not to a text field.`,
	);
}
