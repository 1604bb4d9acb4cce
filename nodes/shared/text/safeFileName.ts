/**
 * A file name built from a vendor's id (a conversation id from a webhook, say): letters, digits,
 * "-" and "_" only, so that "../../etc/passwd" cannot become a path, at most 100 characters.
 */
export function safeFileName(id: string, extension: string): string {
	const base = id
		.replace(/[^A-Za-z0-9_-]+/g, '_')
		.replace(/^_+|_+$/g, '')
		.slice(0, 100);
	return `${base || 'file'}.${extension}`;
}
