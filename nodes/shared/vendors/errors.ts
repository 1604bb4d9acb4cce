/** Vendor failures as plain, redacted values, and the errors that say what to do next */
import { NodeApiError } from 'n8n-workflow';
import type { INode, JsonObject } from 'n8n-workflow';

import { redact } from './redact';

export type Vendor = 'ElevenLabs' | 'Twilio';

/** What went wrong with a vendor request, in plain values (no SDK classes, no secrets). */
export interface VendorFailure {
	/** HTTP status, or undefined when no answer arrived (timeout, connection lost). */
	status?: number;
	/** The vendor's error code: ElevenLabs `detail.status`, Twilio's numeric code. */
	code?: string;
	/** The vendor's own message, redacted. */
	detail: string;
	/** Seconds to wait, from Retry-After, when the vendor sent one. */
	retryAfterSeconds?: number;
	/** No answer: timed out, reset, or unreadable. The request may still have been carried out. */
	noAnswer: boolean;
	timedOut: boolean;
}

/** One request's outcome: the answer, or what went wrong, for callers that decide by it. */
export type Attempt<T> = { ok: true; value: T } | { ok: false; failure: VendorFailure };

/** Runs a request and keeps its failure as plain values, read by the vendor's reader. */
export async function attempt<T>(
	request: () => Promise<T>,
	readFailure: (error: unknown) => VendorFailure,
): Promise<Attempt<T>> {
	try {
		return { ok: true, value: await request() };
	} catch (error) {
		return { ok: false, failure: readFailure(error) };
	}
}

interface SdkErrorLike {
	name?: string;
	message?: string;
	statusCode?: number;
	body?: unknown;
	rawResponse?: { headers?: { get?(name: string): string | null } };
	status?: number;
	code?: number | string;
	moreInfo?: string;
}

function asText(value: unknown): string {
	if (value === undefined || value === null) return '';
	if (typeof value === 'string') return value;
	try {
		return JSON.stringify(value);
	} catch {
		return String(value);
	}
}

/** FastAPI validation detail → "body.to_number: Field required; …". */
function validationText(detail: unknown[]): string {
	return detail
		.map((entry) => {
			const e = entry as { loc?: unknown[]; msg?: string };
			const where = Array.isArray(e.loc) ? e.loc.join('.') : '';
			return where ? `${where}: ${e.msg ?? 'invalid'}` : (e.msg ?? asText(entry));
		})
		.join('; ');
}

function retryAfter(headers: SdkErrorLike['rawResponse']): number | undefined {
	const raw = headers?.headers?.get?.('retry-after');
	if (!raw) return undefined;
	const seconds = Number(raw);
	if (Number.isFinite(seconds)) return Math.max(0, seconds);
	const date = Date.parse(raw);
	return Number.isFinite(date) ? Math.max(0, (date - Date.now()) / 1000) : undefined;
}

/** Reads an ElevenLabs SDK error (or any thrown value) into plain values. */
export function elevenLabsFailure(
	error: unknown,
	secrets: Array<string | undefined>,
): VendorFailure {
	const e = (error ?? {}) as SdkErrorLike;
	// The SDK's fetcher can also surface its own timeout as a plain ElevenLabsError("timeout").
	const timedOut =
		e.name === 'ElevenLabsTimeoutError' ||
		/timeout/i.test(e.name ?? '') ||
		(typeof e.statusCode !== 'number' && /^timeout$|timed? ?out/i.test(e.message ?? ''));
	if (typeof e.statusCode !== 'number' || timedOut) {
		return {
			detail: redact(e.message ?? asText(error), secrets),
			noAnswer: true,
			timedOut,
		};
	}
	let code: string | undefined;
	let detail = '';
	const body = e.body as { detail?: unknown } | string | undefined;
	if (body && typeof body === 'object' && 'detail' in body) {
		const d = body.detail;
		if (Array.isArray(d)) detail = validationText(d);
		else if (d && typeof d === 'object') {
			const obj = d as { status?: string; code?: string; message?: string };
			code = obj.status ?? obj.code;
			detail = obj.message ?? asText(d);
		} else detail = asText(d);
	} else detail = asText(body);
	// A 2xx that the SDK could not read (truncated or malformed JSON) counts as no answer.
	const unreadable = e.statusCode >= 200 && e.statusCode < 300;
	return {
		status: e.statusCode,
		code,
		detail: redact(detail, secrets),
		retryAfterSeconds: retryAfter(e.rawResponse),
		noAnswer: unreadable,
		timedOut: false,
	};
}

/** Reads a Twilio RestException (or a transport error) into plain values. */
export function twilioFailure(error: unknown, secrets: Array<string | undefined>): VendorFailure {
	const e = (error ?? {}) as SdkErrorLike;
	if (typeof e.status !== 'number') {
		const text = e.message ?? asText(error);
		return { detail: redact(text, secrets), noAnswer: true, timedOut: /timeout/i.test(text) };
	}
	return {
		status: e.status,
		code: e.code === undefined ? undefined : String(e.code),
		detail: redact(e.message ?? '', secrets),
		noAnswer: false,
		timedOut: false,
	};
}

export interface FailureContext {
	/** What the node was doing, e.g. "load the agent". */
	action: string;
	itemIndex?: number;
	/** Hints per vendor error code that override the generic advice. */
	hints?: Record<string, string>;
	/** Hints per HTTP status, before the built-in code hints (e.g. 404: which id was not found). */
	statusHints?: Record<number, string>;
}

const TWILIO_HINTS: Record<string, string> = {
	'20003':
		'Twilio rejected the credential. Check the Account SID and the Auth Token (or API key SID and secret).',
	'20404':
		'Twilio does not know this resource. Check the SID, or whether it belongs to another Twilio account.',
	'21210':
		'The caller number is not a number of this Twilio account or a verified caller ID. Choose one of your numbers.',
	'21211': "Twilio says the candidate's number is invalid. Check the number.",
	'21215':
		"The destination country is not enabled for calls. Enable it in Twilio's Voice geographic permissions (Console → Voice → Settings → Geo permissions).",
	'21219':
		'A Twilio trial account can only call verified numbers. Verify the number in the Twilio Console or upgrade the account.',
	'20429': 'Twilio is rate limiting call creation. Lower the calls per minute.',
};

const ELEVENLABS_HINTS: Record<string, string> = {
	invalid_api_key:
		'Copy the API key again from ElevenLabs (Settings → API Keys) into the "ElevenLabs Agents API" credential, and check its region.',
	detected_unusual_activity:
		'ElevenLabs blocked the free tier for unusual activity. The key is valid: use a paid plan or contact ElevenLabs support.',
	quota_exceeded: 'The workspace has used up its credits. Top up or upgrade the ElevenLabs plan.',
	too_many_concurrent_requests:
		'The workspace is at its limit of simultaneous calls. Lower the pacing or wait for running calls to end.',
	system_busy: 'ElevenLabs is under heavy load. Try again in a few minutes.',
	document_not_found:
		'Check the id. If it is right, the API key probably belongs to another ElevenLabs workspace than the agent.',
	invalid_provider_config:
		'The phone number is not set up for this transport in ElevenLabs. Check the number under Phone Numbers.',
};

const VENDOR_HINTS: Record<Vendor, Record<string, string>> = {
	ElevenLabs: ELEVENLABS_HINTS,
	Twilio: TWILIO_HINTS,
};

function genericAdvice(f: VendorFailure, vendor: string): string {
	if (f.noAnswer) {
		return f.timedOut
			? `${vendor} did not answer in time.`
			: `${vendor} sent no readable answer (the connection was lost or the answer was malformed).`;
	}
	switch (f.status) {
		case 401:
			return `${vendor} rejected the credential. Check the key or token in the credential.`;
		case 403:
			return `The credential is valid but lacks permission for this. Give the API key the needed access in ${vendor}.`;
		case 404:
			return 'Check the id. If it is right, the credential probably belongs to another workspace or account.';
		case 409:
			return 'The resource is in a state that does not allow this right now.';
		case 422:
			return `${vendor} rejected the request as invalid: ${f.detail}`;
		case 429:
			return `${vendor} is rate limiting these requests${
				f.retryAfterSeconds !== undefined
					? ` (retry after ${Math.ceil(f.retryAfterSeconds)} s)`
					: ''
			}. Lower the pacing or try later.`;
		default:
			return f.status && f.status >= 500
				? `${vendor} had a server error. Try again later.`
				: `${vendor} answered with HTTP ${f.status}.`;
	}
}

/**
 * Builds the NodeApiError for a failed vendor request. The message says what failed and what
 * to do, in words n8n does not rewrite (no Node error codes such as ECONNRESET in it: n8n
 * replaces such messages); vendor detail goes into the description.
 */
export function vendorApiError(
	node: INode,
	vendor: Vendor,
	failure: VendorFailure,
	context: FailureContext,
): NodeApiError {
	const hint =
		(failure.code && context.hints?.[failure.code]) ||
		(failure.status !== undefined && context.statusHints?.[failure.status]) ||
		(failure.code && VENDOR_HINTS[vendor][failure.code]) ||
		genericAdvice(failure, vendor);
	const what = failure.status
		? `${vendor} refused to ${context.action}`
		: `Could not ${context.action}`;
	const message = `${what}: ${hint}`;
	const description = [
		failure.status
			? `HTTP ${failure.status}`
			: failure.timedOut
				? 'No answer before the timeout'
				: 'No answer',
		failure.code ? `code ${failure.code}` : '',
		failure.detail,
	]
		.filter(Boolean)
		.join(' · ');
	const response: JsonObject = { vendor, detail: failure.detail };
	if (failure.code) response.vendorCode = failure.code;
	return new NodeApiError(node, response, {
		message,
		description,
		httpCode: failure.status ? String(failure.status) : undefined,
		itemIndex: context.itemIndex,
	});
}

/** What a request that may have been carried out despite the failure was meant to do. */
export interface UnclearOutcome {
	/** What may have happened, e.g. "The call to +49… may have been placed". */
	happened: string;
	/** What to check before trying again, e.g. where the call history is. */
	check: string;
	itemIndex: number;
}

/**
 * The error for a request that was sent but got no clear answer (no answer, an unreadable one,
 * or a server error): it may have been carried out, so the node does not send it again.
 */
export function mayHaveHappenedError(
	node: INode,
	vendor: Vendor,
	failure: VendorFailure,
	outcome: UnclearOutcome,
): NodeApiError {
	const what = failure.noAnswer
		? failure.timedOut
			? `${vendor} did not answer in time`
			: `the connection to ${vendor} broke or its answer was unreadable`
		: `${vendor} had a server error (HTTP ${failure.status})`;
	const answer = failure.status ? `HTTP ${failure.status}` : 'No answer';
	const transport = failure.detail ? `${answer} · ${failure.detail}` : answer;
	return new NodeApiError(
		node,
		{ vendor, detail: failure.detail },
		{
			message: `${outcome.happened}: ${what} after the request was sent`,
			description: `${outcome.check} ${transport}`,
			httpCode: failure.status ? String(failure.status) : undefined,
			itemIndex: outcome.itemIndex,
		},
	);
}
