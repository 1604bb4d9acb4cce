/**
 * Error responses in each vendor's real shape. Route handlers throw an `HttpError`; the server's
 * error handler sends it as is.
 */
export class HttpError extends Error {
	constructor(
		readonly status: number,
		readonly body: unknown,
		readonly headers: Record<string, string> = {},
	) {
		super(`HTTP ${status}`);
	}
}

/** One entry of a FastAPI / pydantic 422 answer (SDK type `ValidationError`). */
export interface FastApiError {
	type: string;
	loc: Array<string | number>;
	msg: string;
	input: unknown;
	ctx?: Record<string, unknown>;
}

/** ElevenLabs errors: `{"detail":{"status":"<code>","message":"…"}}` (the shape the real API answers with). */
export const elevenLabsErrors = {
	detail(
		status: number,
		code: string,
		message: string,
		headers?: Record<string, string>,
	): HttpError {
		return new HttpError(status, { detail: { status: code, message } }, headers);
	},
	/** 422 in FastAPI's shape. */
	validation(errors: FastApiError[]): HttpError {
		return new HttpError(422, { detail: errors });
	},
	needsAuthorization(): HttpError {
		return this.detail(
			401,
			'needs_authorization',
			'Neither authorization header nor xi-api-key received, please provide one.',
		);
	},
	invalidApiKey(): HttpError {
		return this.detail(401, 'invalid_api_key', 'Invalid API key');
	},
	missingPermission(permission: string): HttpError {
		return this.detail(
			403,
			'missing_permissions',
			`The API key you used is missing the permission ${permission} to execute this operation.`,
		);
	},
	/** What ElevenLabs answers for an unknown id, and for an id of another workspace. */
	notFound(what: string, id: string): HttpError {
		return this.detail(404, 'document_not_found', `${what} with id ${id} not found.`);
	},
	tooManyConcurrentRequests(retryAfterSeconds?: number): HttpError {
		return this.detail(
			429,
			'too_many_concurrent_requests',
			'You have too many concurrent requests. Please wait for ongoing requests to finish or upgrade your plan.',
			retryAfterSeconds === undefined ? undefined : { 'retry-after': String(retryAfterSeconds) },
		);
	},
	/** FastAPI's own answers for unknown paths and methods. */
	routeNotFound(): HttpError {
		return new HttpError(404, { detail: 'Not Found' });
	},
	methodNotAllowed(): HttpError {
		return new HttpError(405, { detail: 'Method Not Allowed' });
	},
};

/**
 * Twilio errors: `{"code":20404,"message":"…","more_info":"https://www.twilio.com/docs/errors/20404","status":404}`
 * (read by the SDK's `RestException`: `code`, `message`, `more_info`, `details`).
 */
export const twilioErrors = {
	error(
		status: number,
		code: number,
		message: string,
		extra: Record<string, unknown> = {},
	): HttpError {
		return new HttpError(status, {
			code,
			message,
			more_info: `https://www.twilio.com/docs/errors/${code}`,
			status,
			...extra,
		});
	},
	/** Wrong, missing or foreign credentials (Twilio's own body includes `detail`). */
	authenticate(): HttpError {
		const error = this.error(401, 20003, 'Authenticate', {
			detail: 'Your AccountSid or AuthToken was incorrect.',
		});
		return new HttpError(error.status, error.body, {
			'www-authenticate': 'Basic realm="Twilio API"',
		});
	},
	notFound(path: string): HttpError {
		return this.error(404, 20404, `The requested resource ${path} was not found`);
	},
	trialUnverifiedNumber(to: string): HttpError {
		return this.error(
			400,
			21219,
			`The number ${to} is unverified. Trial accounts may only make calls to verified numbers.`,
		);
	},
	tooManyRequests(): HttpError {
		return this.error(429, 20429, 'Too Many Requests');
	},
};
