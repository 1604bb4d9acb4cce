/** Replaces every occurrence of the given secrets in a text, so no message can echo a key. */
export function redact(text: string, secrets: Array<string | undefined>): string {
	let out = text;
	for (const secret of secrets) {
		if (typeof secret === 'string' && secret.length >= 4) out = out.split(secret).join('[redacted]');
	}
	return out;
}
