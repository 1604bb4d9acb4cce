/**
 * What every route module receives: the store, the seed ids, the clock, the webhook sender and
 * the helpers that make a route behave like the real vendor API (SDK-schema validation, vendor
 * error shapes, workspace / account scoping).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';

import type { Clock } from './clock';
import { elevenLabsErrors, twilioErrors } from './errors';
import type { FaultInjector, FaultSpec } from './faults';
import { newId } from './ids';
import type { LoggedRequest, RequestLog } from './requestLog';
import { scenarioForNumber, withCallLength } from './scenarios';
import type { CallLengths } from './scenarios';
import type { SeedIds } from './seed';
import type {
	ApiKeyRecord,
	Permission,
	SandboxState,
	StoredAgent,
	StoredPhoneNumber,
	TwilioAccount,
} from './state';
import type { TwilioPrincipal } from './auth';
import { firstValue, parseForm, twilioDate, twilioPage } from './twilioFormat';
import { parseBody, parseQuery, toWire } from './validation';
import type { ParsedQuery, QuerySpec, WireSchema } from './validation';
import type { WebhookSender } from './webhooks';

/** Per-request bookkeeping, set by the server's hooks. */
export interface RequestInfo {
	entry?: LoggedRequest;
	fault?: FaultSpec;
	apiKey?: ApiKeyRecord;
	twilio?: TwilioPrincipal;
}

declare module 'fastify' {
	interface FastifyRequest {
		sandbox: RequestInfo;
	}
	interface FastifyContextConfig {
		/** ElevenLabs key permission the route needs (default: convai_read for GET, else convai_write). */
		permission?: Permission;
	}
}

/** Anything with an owning workspace (agents, phone numbers, conversations, …). */
export interface WorkspaceOwned {
	workspaceId: string;
}

export interface ElevenLabsHelpers {
	errors: typeof elevenLabsErrors;
	/** The JSON body, validated with an SDK request schema (422 otherwise), as the SDK's camelCase type. */
	body<Parsed>(request: FastifyRequest, schema: WireSchema<unknown, Parsed>): Parsed;
	/** The query parameters a route declares (see `query` in validation.ts), 422 when invalid. */
	query<S extends QuerySpec>(request: FastifyRequest, spec: S): ParsedQuery<S>;
	/** A camelCase value serialised with an SDK response schema: return this from the handler. */
	wire<Raw>(schema: WireSchema<Raw, unknown>, value: unknown): Raw;
	/** The authenticated key (set by the server before any /v1 handler runs). */
	apiKey(request: FastifyRequest): ApiKeyRecord;
	workspaceId(request: FastifyRequest): string;
	/**
	 * A record of the caller's workspace, or 404 `document_not_found`: an id of another
	 * workspace looks exactly like an unknown id, as at ElevenLabs.
	 */
	owned<T extends WorkspaceOwned>(
		request: FastifyRequest,
		collection: Map<string, T>,
		id: string,
		what: string,
	): T;
	agent(request: FastifyRequest, agentId: string): StoredAgent;
	phoneNumber(request: FastifyRequest, phoneNumberId: string): StoredPhoneNumber;
}

export interface TwilioHelpers {
	errors: typeof twilioErrors;
	/**
	 * The account named by the path's `:AccountSid`, after checking the credentials belong to it
	 * (Twilio answers 20003 for another account's resources).
	 */
	account(request: FastifyRequest): TwilioAccount;
	/** The form-encoded body as key → value (arrays for repeated keys). */
	form(request: FastifyRequest): Record<string, string | string[]>;
	page: typeof twilioPage;
	date: typeof twilioDate;
	firstValue: typeof firstValue;
	parseForm: typeof parseForm;
}

export interface RouteContext {
	/** The store (collections are swapped on reset: read them at request time). */
	readonly state: SandboxState;
	readonly seed: SeedIds;
	readonly clock: Clock;
	readonly webhooks: WebhookSender;
	readonly requests: RequestLog;
	readonly faults: FaultInjector;
	/** The sandbox's base URL (valid once it listens). */
	readonly url: string;
	readonly scenarioForNumber: typeof scenarioForNumber;
	readonly newId: typeof newId;
	readonly elevenLabs: ElevenLabsHelpers;
	readonly twilio: TwilioHelpers;
	/**
	 * A store the calling module owns, created on first use and started afresh by every reset:
	 * `const calls = ctx.moduleState('twilioCalls', () => new Map<string, TwilioCall>())`.
	 * Call it at request time, not once at registration.
	 */
	moduleState<T>(name: string, create: () => T): T;
	/** Runs after every reset (the seed is back, module stores are empty); returns an unsubscribe. */
	onReset(listener: () => void): () => void;
}

/** A route module: registers its routes on the app. Listed in server.ts `ROUTE_MODULES`. */
export type RouteModule = (app: FastifyInstance, ctx: RouteContext) => void;

/** What the network between client and API adds: a fixed delay on every vendor request. */
export interface NetworkSettings {
	latencyMs: number;
}

export interface ContextParts {
	getState: () => SandboxState;
	getUrl: () => string;
	seed: SeedIds;
	clock: Clock;
	webhooks: WebhookSender;
	requests: RequestLog;
	faults: FaultInjector;
	/** Answered calls of varying length instead of each scenario's fixed one. */
	callLengths?: CallLengths;
	onReset(listener: () => void): () => void;
}

function elevenLabsHelpers(getState: () => SandboxState): ElevenLabsHelpers {
	const helpers: ElevenLabsHelpers = {
		errors: elevenLabsErrors,
		body: (request, schema) => parseBody(schema, request.body),
		query: (request, spec) => parseQuery(request.query, spec),
		wire: (schema, value) => toWire(schema, value),
		apiKey(request) {
			const key = request.sandbox.apiKey;
			if (!key)
				throw new Error(
					`${request.method} ${request.url} is not an authenticated ElevenLabs route`,
				);
			return key;
		},
		workspaceId: (request) => helpers.apiKey(request).workspaceId,
		owned(request, collection, id, what) {
			const record = collection.get(id);
			if (!record || record.workspaceId !== helpers.workspaceId(request))
				throw elevenLabsErrors.notFound(what, id);
			return record;
		},
		agent: (request, agentId) => helpers.owned(request, getState().agents, agentId, 'Agent'),
		phoneNumber: (request, id) =>
			helpers.owned(request, getState().phoneNumbers, id, 'Phone number'),
	};
	return helpers;
}

function twilioHelpers(getState: () => SandboxState): TwilioHelpers {
	return {
		errors: twilioErrors,
		account(request) {
			const principal = request.sandbox.twilio;
			if (!principal)
				throw new Error(`${request.method} ${request.url} is not an authenticated Twilio route`);
			const { AccountSid } = request.params as { AccountSid?: string };
			if (!AccountSid || AccountSid !== principal.accountSid) throw twilioErrors.authenticate();
			const account = getState().twilio.accounts.get(AccountSid);
			if (!account) throw twilioErrors.authenticate();
			return account;
		},
		form(request) {
			const body = request.body;
			return body !== null && typeof body === 'object'
				? (body as Record<string, string | string[]>)
				: {};
		},
		page: twilioPage,
		date: twilioDate,
		firstValue,
		parseForm,
	};
}

export function createRouteContext(parts: ContextParts): RouteContext {
	return {
		get state() {
			return parts.getState();
		},
		get url() {
			return parts.getUrl();
		},
		seed: parts.seed,
		clock: parts.clock,
		webhooks: parts.webhooks,
		requests: parts.requests,
		faults: parts.faults,
		scenarioForNumber: parts.callLengths
			? (number: string) => withCallLength(scenarioForNumber(number), parts.callLengths!)
			: scenarioForNumber,
		newId,
		elevenLabs: elevenLabsHelpers(parts.getState),
		twilio: twilioHelpers(parts.getState),
		moduleState<T>(name: string, create: () => T): T {
			const modules = parts.getState().modules;
			if (!modules.has(name)) modules.set(name, create());
			return modules.get(name) as T;
		},
		onReset: parts.onReset,
	};
}
