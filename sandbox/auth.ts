/**
 * Who is calling: the `xi-api-key` of an ElevenLabs workspace, or Twilio HTTP Basic auth
 * (Account SID + Auth Token, or API Key SID + secret).
 */
import { createHash, timingSafeEqual } from 'node:crypto';

import { elevenLabsErrors, twilioErrors } from './errors';
import type { HttpError } from './errors';
import type { ApiKeyRecord, Permission, SandboxState } from './state';

/** Constant-time string comparison (hashing first makes the lengths equal). */
export function secretEquals(a: string, b: string): boolean {
	const digest = (value: string) => createHash('sha256').update(value).digest();
	return timingSafeEqual(digest(a), digest(b));
}

export function authenticateElevenLabs(
	state: SandboxState,
	header: string | string[] | undefined,
): ApiKeyRecord | HttpError {
	const key = Array.isArray(header) ? header[0] : header;
	if (!key) return elevenLabsErrors.needsAuthorization();
	for (const record of state.apiKeys.values()) {
		if (secretEquals(record.key, key)) return record;
	}
	return elevenLabsErrors.invalidApiKey();
}

/** GET reads, everything else writes, unless a route says otherwise (`config.permission`). */
export function requiredPermission(method: string, configured?: Permission): Permission {
	if (configured) return configured;
	return method === 'GET' || method === 'HEAD' ? 'convai_read' : 'convai_write';
}

export interface TwilioPrincipal {
	/** The account the credentials belong to. */
	accountSid: string;
	/** The Basic-auth user name: the Account SID or an API Key SID ("SK…"). */
	username: string;
	/** How they authenticated. */
	via: 'authToken' | 'mainApiKey' | 'standardApiKey';
}

export function authenticateTwilio(
	state: SandboxState,
	header: string | undefined,
): TwilioPrincipal | HttpError {
	const match = /^Basic\s+(.+)$/i.exec(header ?? '');
	if (!match) return twilioErrors.authenticate();
	const decoded = Buffer.from(match[1], 'base64').toString('utf8');
	const colon = decoded.indexOf(':');
	if (colon < 0) return twilioErrors.authenticate();
	const username = decoded.slice(0, colon);
	const password = decoded.slice(colon + 1);
	const account = state.twilio.accounts.get(username);
	if (account && account.status !== 'closed' && secretEquals(account.authToken, password)) {
		return { accountSid: account.sid, username, via: 'authToken' };
	}
	const apiKey = state.twilio.apiKeys.get(username);
	if (apiKey && secretEquals(apiKey.secret, password)) {
		return {
			accountSid: apiKey.accountSid,
			username,
			via: apiKey.keyType === 'main' ? 'mainApiKey' : 'standardApiKey',
		};
	}
	return twilioErrors.authenticate();
}
