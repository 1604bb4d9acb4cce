/**
 * Keeps secrets out of every message built from a vendor's answer. A vendor may echo a key in
 * another form than it was sent: in other letter case, base64, or only its beginning (an HTTP
 * Basic header, base64 of "sid:token", is passed by the Twilio client as a secret of its own). Each form is
 * replaced; a secret too short to find safely (under 4 characters) withholds the whole text.
 */

const REDACTED = '[redacted]';
export const WITHHELD =
	'(the vendor’s message is left out: the credential holds a secret too short to hide in it)';

/** The shortest secret that is looked for; a shorter one could be any word of the text. */
const MIN_SECRET_LENGTH = 4;
/** A beginning this long of a longer secret counts as the secret (a key shown as "sk_abc…"). */
const PREFIX_LENGTH = 12;

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Every form of a secret worth looking for, longest first. */
function forms(secret: string): string[] {
	const base64 = Buffer.from(secret, 'utf8').toString('base64');
	const all = [
		secret,
		base64,
		base64.replace(/=+$/, ''),
		Buffer.from(secret, 'utf8').toString('base64url'),
	];
	return [...new Set(all)].sort((a, b) => b.length - a.length);
}

/** Replaces every occurrence of the given secrets (and their echoed forms) in a text. */
export function redact(text: string, secrets: Array<string | undefined>): string {
	const given = secrets.filter(
		(secret): secret is string => typeof secret === 'string' && secret !== '',
	);
	for (const secret of given) {
		if (secret.length < MIN_SECRET_LENGTH && text.toLowerCase().includes(secret.toLowerCase()))
			return WITHHELD;
	}
	const long = given.filter((secret) => secret.length >= MIN_SECRET_LENGTH);
	// Longest first over all secrets: one secret's form can be part of another's (base64 aligns).
	const patterns = [
		...long.flatMap(forms).map((form) => ({ length: form.length, pattern: escape(form) })),
		// The beginning of a key and whatever of it follows: "sk_live_abcdef12…" is the key too.
		...long
			.filter((secret) => secret.length > PREFIX_LENGTH)
			.map((secret) => ({
				length: PREFIX_LENGTH,
				pattern: `${escape(secret.slice(0, PREFIX_LENGTH))}[A-Za-z0-9_\\-+/=]*`,
			})),
	].sort((a, b) => b.length - a.length);
	let out = text;
	for (const { pattern } of patterns) out = out.replace(new RegExp(pattern, 'gi'), REDACTED);
	return out;
}
