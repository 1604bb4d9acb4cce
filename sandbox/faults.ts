/**
 * Fault injection: the next N requests that match a method and path misbehave the way networks
 * and gateways do. Kinds that "carry out" let the route handler run first (a call really is
 * placed, its state persists) and only then spoil the response, which is exactly the case where
 * a client must not retry blindly.
 */
import { elevenLabsErrors, twilioErrors } from './errors';
import { pathMatches } from './requestLog';
import type { PathMatcher } from './requestLog';

interface FaultTarget {
	/** HTTP method, or "*" (the default) for any. */
	method?: string;
	/** Path prefix (string) or pattern (RegExp), matched against the path without query. */
	path: PathMatcher;
	/** How many matching requests this applies to (default 1). */
	times?: number;
	/** How many matching requests pass unharmed before it applies (default 0): "the third request fails". */
	skip?: number;
}

export type FaultSpec = FaultTarget &
	(
		| {
				/** Answer at once with this status, body and headers; nothing is carried out. */
				kind: 'status';
				status: number;
				/** Default: the vendor's error shape for the status (ElevenLabs or Twilio, by path). */
				body?: unknown;
				headers?: Record<string, string>;
		  }
		| {
				/** Carry out the request, then answer 502/503/504 (default 502) like a failing gateway. */
				kind: 'status5xxAfter';
				status?: number;
				body?: unknown;
		  }
		| {
				/** Never answer; keep the connection open until the client gives up (or `holdMs`). */
				kind: 'timeout';
				/** Run the handler anyway (default true: the client timed out but the call was placed). */
				carryOut?: boolean;
				/** Longest hold before the sandbox itself closes the connection (default 5 minutes). */
				holdMs?: number;
		  }
		| {
				/** Reset the TCP connection (RST). */
				kind: 'reset';
				/** Run the handler first (default false). */
				carryOut?: boolean;
		  }
		| {
				/** Carry out, then send 200 with a truncated JSON body. */
				kind: 'malformedJson';
		  }
	);

export type FaultKind = FaultSpec['kind'];

export interface ArmedFault {
	id: number;
	spec: FaultSpec;
	remaining: number;
	/** Requests it has been applied to so far. */
	hits: number;
	/** Matching requests still to let through before it applies. */
	skipLeft: number;
}

export const DEFAULT_HOLD_MS = 5 * 60 * 1000;

/** Whether the route handler runs (and its side effects persist) under this fault. */
export function carriesOut(spec: FaultSpec): boolean {
	switch (spec.kind) {
		case 'status':
			return false;
		case 'timeout':
			return spec.carryOut ?? true;
		case 'reset':
			return spec.carryOut ?? false;
		default:
			return true;
	}
}

export class FaultInjector {
	private armed: ArmedFault[] = [];
	private nextId = 1;

	add(spec: FaultSpec): ArmedFault {
		const times = spec.times ?? 1;
		if (!Number.isInteger(times) || times < 1)
			throw new Error('Fault "times" must be a positive integer');
		const skip = spec.skip ?? 0;
		if (!Number.isInteger(skip) || skip < 0)
			throw new Error('Fault "skip" must be a whole number of 0 or more');
		const fault: ArmedFault = {
			id: this.nextId++,
			spec,
			remaining: times,
			hits: 0,
			skipLeft: skip,
		};
		this.armed.push(fault);
		return fault;
	}

	/** Faults still armed (first added wins when several match). */
	list(): ArmedFault[] {
		return this.armed.filter((fault) => fault.remaining > 0);
	}

	clear(): void {
		this.armed = [];
	}

	/** Consumes one use of the first fault matching this request (one still skipping lets it pass). */
	take(method: string, path: string): FaultSpec | undefined {
		const fault = this.armed.find((candidate) => {
			const matches =
				candidate.remaining > 0 &&
				(candidate.spec.method === undefined ||
					candidate.spec.method === '*' ||
					candidate.spec.method.toUpperCase() === method.toUpperCase()) &&
				pathMatches(path, candidate.spec.path);
			if (matches && candidate.skipLeft > 0) {
				candidate.skipLeft--;
				return false;
			}
			return matches;
		});
		if (!fault) return undefined;
		fault.remaining--;
		fault.hits++;
		this.armed = this.armed.filter((candidate) => candidate.remaining > 0);
		return fault.spec;
	}
}

const KINDS: FaultKind[] = ['status', 'status5xxAfter', 'timeout', 'reset', 'malformedJson'];

/**
 * A fault from JSON (the admin API): like `FaultSpec`, with the pattern as `pathRegex` (a string)
 * instead of a RegExp. Throws a readable error for anything malformed.
 */
export function faultFromJson(input: unknown): FaultSpec {
	if (input === null || typeof input !== 'object' || Array.isArray(input))
		throw new Error('Send a JSON object');
	const raw = input as Record<string, unknown>;
	if (!KINDS.includes(raw.kind as FaultKind))
		throw new Error(`"kind" must be one of ${KINDS.join(', ')}`);
	let path: PathMatcher;
	if (typeof raw.pathRegex === 'string') path = new RegExp(raw.pathRegex);
	else if (typeof raw.path === 'string') path = raw.path;
	else throw new Error('Give "path" (a prefix) or "pathRegex" (a regular expression)');
	if (raw.kind === 'status' && typeof raw.status !== 'number')
		throw new Error('A "status" fault needs "status"');
	const rest = { ...raw };
	delete rest.pathRegex;
	return { ...rest, path } as FaultSpec;
}

/** How a fault is shown in JSON (RegExps as their source). */
export function faultToJson(fault: ArmedFault): Record<string, unknown> {
	const { path, ...rest } = fault.spec;
	return {
		id: fault.id,
		remaining: fault.remaining,
		hits: fault.hits,
		...rest,
		...(typeof path === 'string' ? { path } : { pathRegex: path.source }),
	};
}

export interface FaultResponse {
	body: string;
	contentType: string;
}

const GATEWAY_TEXT: Record<number, string> = {
	502: 'Bad Gateway',
	503: 'Service Temporarily Unavailable',
	504: 'Gateway Time-out',
};

/**
 * What a fault answers when the test gives no body: gateway failures (502/503/504) are the
 * load balancer's HTML page, as in real life; anything else is the vendor's own error shape.
 */
export function defaultFaultResponse(status: number, path: string): FaultResponse {
	const gateway = GATEWAY_TEXT[status];
	if (gateway) {
		const title = `${status} ${gateway}`;
		return {
			body: `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n</body>\r\n</html>\r\n`,
			contentType: 'text/html',
		};
	}
	if (path.startsWith('/2010-04-01/')) {
		const code = status === 401 ? 20003 : 20000 + status;
		return {
			body: JSON.stringify(twilioErrors.error(status, code, 'Injected fault').body),
			contentType: 'application/json',
		};
	}
	const error =
		status === 429
			? elevenLabsErrors.tooManyConcurrentRequests()
			: status >= 500
				? elevenLabsErrors.detail(
						status,
						'internal_server_error',
						'An internal server error occurred.',
					)
				: elevenLabsErrors.detail(status, 'injected_fault', `Injected fault with status ${status}`);
	return { body: JSON.stringify(error.body), contentType: 'application/json' };
}
