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

export type ElevenLabsRegion = keyof typeof ELEVENLABS_REGION_URLS | 'custom';

export const TWILIO_API_URL = 'https://api.twilio.com';

export class CredentialSetupError extends Error {
	constructor(
		message: string,
		readonly hint: string,
	) {
		super(message);
		this.name = 'CredentialSetupError';
	}
}

/** A base URL with scheme and host, no trailing slash; throws with a hint on anything else. */
export function normaliseBaseUrl(raw: unknown, field: string): string {
	const text = typeof raw === 'string' ? raw.trim() : '';
	if (!text) {
		throw new CredentialSetupError(
			`The credential's ${field} is empty`,
			`Enter a URL such as https://api.elevenlabs.io, or pick a region instead of "Custom".`,
		);
	}
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		throw new CredentialSetupError(
			`The credential's ${field} "${text}" is not a valid URL`,
			'Enter the full address including http:// or https://, for example http://localhost:8790.',
		);
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw new CredentialSetupError(
			`The credential's ${field} must start with http:// or https://`,
			`"${url.protocol}" is not supported.`,
		);
	}
	if (url.search || url.hash || url.username || url.password) {
		throw new CredentialSetupError(
			`The credential's ${field} must not contain a query, fragment or user name`,
			'Enter only scheme, host, port and (optionally) a path prefix.',
		);
	}
	return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** The ElevenLabs host for a credential's region (or its custom base URL). */
export function elevenLabsBaseUrl(region: unknown, baseUrl: unknown): string {
	if (region === 'custom') return normaliseBaseUrl(baseUrl, 'Base URL');
	const known = ELEVENLABS_REGION_URLS[(region ?? 'global') as keyof typeof ELEVENLABS_REGION_URLS];
	if (!known) {
		throw new CredentialSetupError(
			`Unknown ElevenLabs region "${String(region)}"`,
			`Choose one of: ${Object.keys(ELEVENLABS_REGION_URLS).join(', ')}, or "custom" with a base URL.`,
		);
	}
	return known;
}

/**
 * The same mapping as an n8n expression, for the credential's declarative test request
 * (which n8n resolves itself, without our code).
 */
export const ELEVENLABS_BASE_URL_EXPRESSION = `={{ $credentials.region === 'custom' ? String($credentials.baseUrl || '').trim().replace(/\\/+$/, '') : (${JSON.stringify(
	ELEVENLABS_REGION_URLS,
)})[$credentials.region || 'global'] }}`;
