/** Builds the Twilio SDK client from the checked credential, never retrying a call creation */
import type { Twilio } from 'twilio';

import type { CredentialContext } from './elevenLabsClient';
import { problem, toNodeError } from '../n8n/problems';
import type { Checked } from '../n8n/problems';
import { TWILIO_API_URL, normaliseBaseUrl } from './regions';

export const TWILIO_CREDENTIAL = 'twilioCallsApi';
const TIMEOUT_MS = 30_000;
const ACCOUNT_SID = /^AC[0-9a-fA-F]{32}$/;
const API_KEY_SID = /^SK[0-9a-fA-F]{32}$/;

export interface TwilioConnection {
	client: Twilio;
	/** The secrets of this credential, for redacting messages. */
	secrets: string[];
}

export interface TwilioFields {
	accountSid: string;
	username: string;
	password: string;
	baseUrl: string;
}

/** Validates the credential's fields and returns what the SDK needs, without loading it. */
export function twilioCredentialFields(
	credentials: Record<string, unknown>,
): Checked<TwilioFields> {
	const accountSid = String(credentials.accountSid ?? '').trim();
	if (!ACCOUNT_SID.test(accountSid)) {
		return problem(
			'The Twilio Account SID must start with "AC" followed by 32 hexadecimal characters',
			'Copy the Account SID from the Twilio Console dashboard. API key SIDs ("SK…") go into the API Key SID field.',
		);
	}
	const useApiKey = credentials.authType === 'apiKey';
	const username = useApiKey ? String(credentials.apiKeySid ?? '').trim() : accountSid;
	const password = String(
		(useApiKey ? credentials.apiKeySecret : credentials.authToken) ?? '',
	).trim();
	if (useApiKey && !API_KEY_SID.test(username)) {
		return problem(
			'The Twilio API Key SID must start with "SK" followed by 32 hexadecimal characters',
			'Create an API key under Account → API keys & tokens and copy its SID.',
		);
	}
	if (!password) {
		return problem(
			useApiKey ? 'The Twilio API key secret is empty' : 'The Twilio Auth Token is empty',
			'Open the "Twilio Calls API" credential and fill it in.',
		);
	}
	let baseUrl = TWILIO_API_URL;
	if (String(credentials.baseUrl ?? '').trim()) {
		const custom = normaliseBaseUrl(credentials.baseUrl, 'Custom API Base URL');
		if (!custom.ok) return custom;
		baseUrl = custom.value;
	}
	return { ok: true, value: { accountSid, username, password, baseUrl } };
}

/**
 * The one place that builds the Twilio SDK client from the credential. Automatic retries stay
 * off (the SDK default): a retried call creation can ring a person twice.
 */
export async function twilioClient(
	ctx: CredentialContext,
	itemIndex?: number,
): Promise<TwilioConnection> {
	const credentials = await ctx.getCredentials(TWILIO_CREDENTIAL, itemIndex);
	const checked = twilioCredentialFields(credentials);
	if (!checked.ok) throw toNodeError(ctx.getNode(), checked, itemIndex);
	const fields = checked.value;
	const { default: twilio } = await import('twilio');
	const httpClient = new twilio.RequestClient({ timeout: TIMEOUT_MS, autoRetry: false });
	if (fields.baseUrl !== TWILIO_API_URL) {
		// The SDK has no base-URL option; every request carries an absolute api.twilio.com URI.
		const target = new URL(fields.baseUrl);
		const send = httpClient.request.bind(httpClient);
		httpClient.request = async (opts) => {
			const uri = new URL(opts.uri);
			uri.protocol = target.protocol;
			uri.host = target.host;
			uri.pathname = `${target.pathname.replace(/\/$/, '')}${uri.pathname}`;
			return await send({ ...opts, uri: uri.toString() });
		};
	}
	const client = twilio(fields.username, fields.password, {
		accountSid: fields.accountSid,
		httpClient,
		autoRetry: false,
		// Keep TWILIO_EDGE / TWILIO_REGION of the n8n host out of it: the credential decides.
		env: {},
	});
	// The HTTP Basic credentials as sent (base64 of "sid:secret"), which a failing proxy may echo.
	const basic = Buffer.from(`${fields.username}:${fields.password}`, 'utf8').toString('base64');
	return { client, secrets: [fields.password, basic] };
}
