/** Real vendor SDK clients pointed at the sandbox (no mocks: requests go over HTTP). */
import { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import twilio from 'twilio';
import type { Twilio } from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';

import type { Sandbox } from '../../sandbox';

/** The ElevenLabs SDK with the sandbox as base URL; retries off unless asked for. */
export function elevenLabs(
	sandbox: Sandbox,
	apiKey = sandbox.apiKey,
	maxRetries = 0,
): ElevenLabsClient {
	return new ElevenLabsClient({ apiKey, baseUrl: sandbox.url, maxRetries, timeoutInSeconds: 10 });
}

/** Twilio's own RequestClient, with api.twilio.com swapped for the sandbox (the SDK has no base-URL option). */
class SandboxRequestClient extends twilio.RequestClient {
	constructor(private readonly baseUrl: string) {
		super({ autoRetry: false });
	}

	request<TData>(opts: RequestClient.RequestOptions<TData>) {
		const uri = new URL(opts.uri);
		return super.request({ ...opts, uri: `${this.baseUrl}${uri.pathname}${uri.search}` });
	}
}

/** The Twilio SDK against the sandbox, as `twilio(username, password, { accountSid })`. */
export function twilioClient(
	sandbox: Sandbox,
	username: string,
	password: string,
	accountSid?: string,
): Twilio {
	return twilio(username, password, {
		accountSid: accountSid ?? (username.startsWith('AC') ? username : sandbox.twilio.accountSid),
		httpClient: new SandboxRequestClient(sandbox.url),
		env: {},
	});
}

/** Plain fetch of a sandbox path with the main key, for requests the SDK would never send. */
export function rawFetch(
	sandbox: Sandbox,
	path: string,
	init: RequestInit & { apiKey?: string | null } = {},
) {
	const { apiKey = sandbox.apiKey, headers, ...rest } = init;
	return fetch(`${sandbox.url}${path}`, {
		...rest,
		headers: {
			...(apiKey === null ? {} : { 'xi-api-key': apiKey }),
			...(headers as Record<string, string>),
		},
	});
}
