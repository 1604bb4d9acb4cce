/** Every API request the sandbox received, so tests can assert exactly what was sent. */

export type PathMatcher = string | RegExp;

/** How a logged request ended. */
export type RequestOutcome =
	| 'pending'
	/** A response was sent completely. */
	| 'responded'
	/** The connection closed before a full response (client gave up, or a fault reset it). */
	| 'closed';

export interface LoggedRequest {
	/** 1, 2, 3… in arrival order. */
	seq: number;
	method: string;
	/** Path without the query string. */
	path: string;
	query: Record<string, string | string[]>;
	/** Request headers with credentials replaced by "[redacted]". */
	headers: Record<string, string | string[]>;
	/** Parsed JSON or form body (undefined when there is none). */
	body: unknown;
	/** Who authenticated: ElevenLabs key label ("main", "other", "readOnly") or Twilio SID. */
	principal?: string;
	/** Status code sent (or that would have been sent when the connection was cut). */
	status?: number;
	outcome: RequestOutcome;
	/** Fault applied to this request, if any. */
	fault?: string;
	/** Whether the route handler ran (and its side effects happened). */
	handled: boolean;
	receivedAt: Date;
	durationMs?: number;
}

const SECRET_HEADERS = new Set(['xi-api-key', 'authorization', 'cookie', 'proxy-authorization']);

export function redactHeaders(
	headers: Record<string, string | string[] | undefined>,
): Record<string, string | string[]> {
	const out: Record<string, string | string[]> = {};
	for (const [name, value] of Object.entries(headers)) {
		if (value === undefined) continue;
		out[name] = SECRET_HEADERS.has(name.toLowerCase()) ? '[redacted]' : value;
	}
	return out;
}

export function pathMatches(path: string, matcher: PathMatcher): boolean {
	return typeof matcher === 'string' ? path.startsWith(matcher) : matcher.test(path);
}

export class RequestLog {
	private entries: LoggedRequest[] = [];
	private seq = 0;

	/** Oldest entries are dropped beyond this, so a sandbox left running for days stays small. */
	constructor(private readonly maxEntries = 10_000) {}

	/** Called by the server for each request; returns the live entry to complete later. */
	start(entry: Omit<LoggedRequest, 'seq' | 'outcome' | 'handled' | 'body'>): LoggedRequest {
		const logged: LoggedRequest = {
			...entry,
			seq: ++this.seq,
			outcome: 'pending',
			handled: false,
			body: undefined,
		};
		this.entries.push(logged);
		if (this.entries.length > this.maxEntries)
			this.entries.splice(0, this.entries.length - this.maxEntries);
		return logged;
	}

	/** All requests in arrival order (copies of the array, entries are live). */
	all(): LoggedRequest[] {
		return [...this.entries];
	}

	/** Requests with this method (or any, with "*") whose path starts with / matches `path`. */
	filter(method: string, path?: PathMatcher): LoggedRequest[] {
		return this.entries.filter(
			(entry) =>
				(method === '*' || entry.method === method.toUpperCase()) &&
				(path === undefined || pathMatches(entry.path, path)),
		);
	}

	count(method: string, path?: PathMatcher): number {
		return this.filter(method, path).length;
	}

	/** The most recent matching request. */
	last(method = '*', path?: PathMatcher): LoggedRequest | undefined {
		const matching = this.filter(method, path);
		return matching[matching.length - 1];
	}

	clear(): void {
		this.entries = [];
	}
}
