/** The idempotency key of a candidate in a campaign, and phone numbers masked for logs */
import { createHash } from 'node:crypto';

/**
 * The key that marks "this candidate in this campaign" on the conversation (`user_id`). Derived
 * from stable inputs only, so every worker and every re-run computes the same key; hashed, so
 * the phone number is not copied into yet another field.
 */
export function idempotencyKey(input: {
	explicit?: string;
	campaign: string;
	candidateId?: string;
	e164: string;
}): string {
	const explicit = input.explicit?.trim();
	if (explicit) return explicit;
	const who = input.candidateId?.trim() ? `id:${input.candidateId.trim()}` : `tel:${input.e164}`;
	const digest = createHash('sha256').update(`${input.campaign.trim()}\n${who}`).digest('hex');
	return `vr1_${digest.slice(0, 32)}`;
}

/** "+491711234567" → "+49171•••4567": enough to tell calls apart in logs, not enough to dial. */
export function maskNumber(e164: string): string {
	return e164.length > 9 ? `${e164.slice(0, 6)}•••${e164.slice(-4)}` : '•••';
}
