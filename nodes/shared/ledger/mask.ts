// The form of a number the ledger stores for people who read it: the last two digits, no more.

/**
 * "+491711234567" → "•••67". A dump of the ledger must not narrow a number down to a few
 * thousand candidates (a mobile number with 4 visible digits and a known prefix is 10^4 hashes
 * away); two digits tell the entries of one list apart and nothing more.
 */
export function ledgerMask(e164: string): string {
	const digits = e164.replace(/\D/g, '');
	return digits.length > 6 ? `•••${digits.slice(-2)}` : '•••';
}
