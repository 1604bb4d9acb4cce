/** The Content-Security-Policy of the interview and notice pages: hashes of their static inline code. */
import { createHash } from 'node:crypto';

/** The hashes of a page template's inline `<script>` and `<style>` elements (data blocks aside). */
export interface InlineHashes {
	scripts: string[];
	styles: string[];
}

const INLINE = /<(script|style)>([\s\S]*?)<\/\1>/g;

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/**
 * Hashes the inline code of a page template. The code must be static (no `{{`), so that the
 * rendered page carries exactly the hashed text; data goes into a JSON block, which browsers
 * never run and CSP does not cover.
 */
export function inlineHashes(template: string): InlineHashes {
	const hashes: InlineHashes = { scripts: [], styles: [] };
	for (const [, kind, code] of template.matchAll(INLINE)) {
		if (code.includes('{{')) throw new Error(`The page's inline ${kind} must be static`);
		(kind === 'script' ? hashes.scripts : hashes.styles).push(sha256(code));
	}
	return hashes;
}

/** Where a page loads from or connects to, as a CSP source: the page's own origin for a relative URL. */
export function sourceOf(url: string): string {
	try {
		const { protocol, host } = new URL(url);
		return `${protocol}//${host}`;
	} catch {
		return "'self'";
	}
}

export interface PolicySources {
	/** Where the page's external scripts (and the client's worklets) come from. */
	scripts: string[];
	/** Where the page's client connects (WebSocket, LiveKit). */
	connect: string[];
}

/**
 * The policy: nothing but the hashed inline code and the named sources. frame-ancestors is not
 * valid in a <meta> policy, so framing is refused by the X-Frame-Options header instead (and by
 * a frame-ancestors header where a proxy sets one; see docs/interview-page-security.md).
 */
export function contentSecurityPolicy(hashes: InlineHashes, sources?: PolicySources): string {
	const unique = (list: string[]) => [...new Set(list)].join(' ');
	const directives = [
		"default-src 'none'",
		`style-src ${unique(hashes.styles)}`,
		"base-uri 'none'",
		"form-action 'none'",
	];
	if (sources) {
		// blob:: the client builds its audio worklets from text at run time.
		directives.push(
			`script-src ${unique([...hashes.scripts, ...sources.scripts])} blob:`,
			`connect-src ${unique(sources.connect)}`,
			'media-src blob: mediastream:',
		);
	}
	return directives.join('; ');
}
