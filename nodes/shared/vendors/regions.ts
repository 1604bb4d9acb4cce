/** ElevenLabs API hosts by credential region, the Twilio host, and custom base URLs checked */
import { problem } from '../n8n/problems';
import type { Checked } from '../n8n/problems';

/**
 * ElevenLabs API hosts by credential region. One table, used by the credential's own test
 * request and by the SDK client factory, so both always talk to the same host.
 */
export const ELEVENLABS_REGION_URLS = {
	global: 'https://api.elevenlabs.io',
	us: 'https://api.us.elevenlabs.io',
	eu: 'https://api.eu.residency.elevenlabs.io',
	in: 'https://api.in.residency.elevenlabs.io',
	sg: 'https://api.sg.residency.elevenlabs.io',
} as const;

export const TWILIO_API_URL = 'https://api.twilio.com';

/** A base URL with scheme and host, no trailing slash, or what is wrong with it. */
export function normaliseBaseUrl(raw: unknown, field: string): Checked<string> {
	const text = typeof raw === 'string' ? raw.trim() : '';
	if (!text) {
		return problem(
			`The credential's ${field} is empty`,
			`Enter a URL such as https://api.elevenlabs.io, or pick a region instead of "Custom".`,
		);
	}
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		return problem(
			`The credential's ${field} "${text}" is not a valid URL`,
			'Enter the full address including http:// or https://, for example http://localhost:8790.',
		);
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		return problem(
			`The credential's ${field} must start with http:// or https://`,
			`"${url.protocol}" is not supported.`,
		);
	}
	if (url.search || url.hash || url.username || url.password) {
		return problem(
			`The credential's ${field} must not contain a query, fragment or user name`,
			'Enter only scheme, host, port and (optionally) a path prefix.',
		);
	}
	return { ok: true, value: `${url.origin}${url.pathname.replace(/\/+$/, '')}` };
}

/** The ElevenLabs host for a credential's region (or its custom base URL). */
export function elevenLabsBaseUrl(region: unknown, baseUrl: unknown): Checked<string> {
	if (region === 'custom') return normaliseBaseUrl(baseUrl, 'Base URL');
	const key = String(region ?? 'global');
	if (!Object.hasOwn(ELEVENLABS_REGION_URLS, key)) {
		return problem(
			`Unknown ElevenLabs region "${String(region)}"`,
			`Choose one of: ${Object.keys(ELEVENLABS_REGION_URLS).join(', ')}, or "custom" with a base URL.`,
		);
	}
	return { ok: true, value: ELEVENLABS_REGION_URLS[key as keyof typeof ELEVENLABS_REGION_URLS] };
}

/**
 * The same mapping as an n8n expression, for the credential's declarative test request
 * (which n8n resolves itself, without our code).
 */
export const ELEVENLABS_BASE_URL_EXPRESSION = `={{ $credentials.region === 'custom' ? String($credentials.baseUrl || '').trim().replace(/\\/+$/, '') : (${JSON.stringify(
	ELEVENLABS_REGION_URLS,
)})[$credentials.region || 'global'] }}`;
