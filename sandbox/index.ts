/**
 * A local simulator of the ElevenLabs Agents API and the Twilio REST API parts this package uses.
 * `startSandbox()` starts it in-process (tests); `npm run sandbox` runs it on its own (cli.ts).
 */
import type { FastifyInstance } from 'fastify';

import { Clock } from './clock';
import { createRouteContext } from './context';
import type { NetworkSettings } from './context';
import { n8nCredentialsFile, sandboxCredentials } from './credentials';
import type { CredentialOptions, N8nCredentialExport, SandboxCredentials } from './credentials';
import { FaultInjector } from './faults';
import { RequestLog } from './requestLog';
import type { AdminControls, SandboxInfo } from './routes/admin';
import { SCENARIOS } from './scenarios';
import type { CallLengths } from './scenarios';
import { createSeedState, SEED_IDS, SEED_NUMBERS, SEED_SECRETS } from './seed';
import type { SeedIds } from './seed';
import { buildServer } from './server';
import type { SandboxState } from './state';
import { WebhookSender } from './webhooks';
import type { WebhookConfig } from './webhooks';

export interface SandboxOptions {
	/** 0 (default) picks a free port. */
	port?: number;
	/** Default 127.0.0.1. */
	host?: string;
	/** Post-call webhook target; `secret` defaults to the seed webhook secret. */
	webhook?: Partial<WebhookConfig> & { url: string };
	/** Simulated time: start moment and speed (simulated ms per real ms, default 1). */
	clock?: { start?: Date | number; speed?: number };
	/** The URL clients should use, when it differs from the listening address (proxy, container). */
	publicUrl?: string;
	/** A fixed delay on every vendor API request, in real milliseconds (default 0), as real round trips take. */
	latencyMs?: number;
	/** Answered calls last between `minSecs` and `maxSecs` (simulated), each number its own seeded length. */
	callLengths?: CallLengths;
}

export interface SandboxTwilioCredentials {
	accountSid: string;
	authToken: string;
	/** Main API key of the main account. */
	apiKeySid: string;
	apiKeySecret: string;
	/** Standard API key: may not read /Accounts (20003), may use everything else. */
	standardApiKeySid: string;
	standardApiKeySecret: string;
	/** Trial account: calls to numbers not in `trialVerifiedNumbers` fail with 21219. */
	trialAccountSid: string;
	trialAuthToken: string;
	trialVerifiedNumbers: string[];
}

export interface Sandbox {
	/** Base URL, e.g. http://127.0.0.1:40123 (no trailing slash). */
	readonly url: string;
	/** `xi-api-key` of the main workspace. */
	readonly apiKey: string;
	/** `xi-api-key` of another workspace: main-workspace ids answer 404 with it. */
	readonly otherWorkspaceApiKey: string;
	/** `xi-api-key` of the main workspace without write permission: writes answer 403. */
	readonly readOnlyApiKey: string;
	readonly twilio: SandboxTwilioCredentials;
	/** Seed ids (agents, phone numbers, Twilio SIDs). */
	readonly ids: SeedIds;
	/** Seed phone numbers in E.164. */
	readonly numbers: typeof SEED_NUMBERS;
	/** Dialled number → call outcome table (see scenarios.ts). */
	readonly scenarios: typeof SCENARIOS;
	/** The in-memory store (reset() refills this same object). */
	readonly state: SandboxState;
	readonly requests: RequestLog;
	readonly faults: FaultInjector;
	readonly webhooks: WebhookSender;
	readonly clock: Clock;
	/** The fastify app, for `inject()` or adding a route in a test. */
	readonly app: FastifyInstance;
	/** Sets the post-call webhook target (secret defaults to the seed webhook secret). */
	setWebhook(config: Partial<WebhookConfig> & { url: string }): void;
	/** n8n credential data objects for this sandbox. */
	credentials(options?: CredentialOptions): SandboxCredentials;
	/** The credentials as an `n8n import:credentials` file. */
	n8nCredentials(options?: CredentialOptions): N8nCredentialExport[];
	/** Everything a separate process needs (as `GET /_sandbox/info`). */
	info(): SandboxInfo;
	/** Back to the seed: state, request log, faults, webhook deliveries, clock timers. */
	reset(): void;
	/** The fixed delay on every vendor request from now on (real milliseconds, 0 for none). */
	setLatency(ms: number): void;
	close(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	const state = createSeedState();
	const clock = new Clock(options.clock);
	const requests = new RequestLog();
	const faults = new FaultInjector();
	const webhooks = new WebhookSender(clock);
	let url = '';

	const setWebhook = (config: Partial<WebhookConfig> & { url: string }) =>
		webhooks.configure({
			url: config.url,
			secret: config.secret ?? SEED_SECRETS.webhookSecret,
			events: config.events,
		});
	if (options.webhook) setWebhook(options.webhook);
	const initialWebhook = webhooks.config;

	const credentials = (credentialOptions: CredentialOptions = {}) =>
		sandboxCredentials(url, { webhookSecret: webhooks.config?.secret, ...credentialOptions });

	const twilio: SandboxTwilioCredentials = {
		accountSid: SEED_IDS.twilio.accountSid,
		authToken: SEED_SECRETS.twilioAuthToken,
		apiKeySid: SEED_IDS.twilio.apiKeySid,
		apiKeySecret: SEED_SECRETS.twilioApiKeySecret,
		standardApiKeySid: SEED_IDS.twilio.standardApiKeySid,
		standardApiKeySecret: SEED_SECRETS.twilioStandardApiKeySecret,
		trialAccountSid: SEED_IDS.twilio.trialAccountSid,
		trialAuthToken: SEED_SECRETS.twilioTrialAuthToken,
		trialVerifiedNumbers: [SEED_NUMBERS.trialVerified],
	};

	const info = (): SandboxInfo => ({
		url,
		ids: SEED_IDS,
		numbers: SEED_NUMBERS,
		scenarios: SCENARIOS,
		apiKey: SEED_SECRETS.apiKey,
		otherWorkspaceApiKey: SEED_SECRETS.otherWorkspaceApiKey,
		readOnlyApiKey: SEED_SECRETS.readOnlyApiKey,
		twilio,
		webhook: webhooks.config ?? null,
		credentials: credentials(),
		n8nCredentials: n8nCredentialsFile(credentials()),
	});

	const resetListeners = new Set<() => void>();
	const reset = () => {
		clock.clearTimers();
		// Same state object, new collections: a module keying its data on a collection starts afresh.
		Object.assign(state, createSeedState());
		requests.clear();
		faults.clear();
		webhooks.clear();
		webhooks.configure(initialWebhook);
		for (const listener of resetListeners) listener();
	};

	const admin: AdminControls = {
		info,
		reset,
		setWebhook,
		clearWebhook: () => webhooks.configure(undefined),
	};
	const ctx = createRouteContext({
		getState: () => state,
		getUrl: () => url,
		seed: SEED_IDS,
		clock,
		webhooks,
		requests,
		faults,
		callLengths: options.callLengths,
		onReset(listener) {
			resetListeners.add(listener);
			return () => resetListeners.delete(listener);
		},
	});
	const network: NetworkSettings = { latencyMs: options.latencyMs ?? 0 };
	const app = buildServer(ctx, admin, network);
	const host = options.host ?? '127.0.0.1';
	await app.listen({ port: options.port ?? 0, host });
	const address = app.server.address();
	const port = typeof address === 'object' && address ? address.port : options.port;
	url = (options.publicUrl ?? `http://${host.includes(':') ? `[${host}]` : host}:${port}`).replace(
		/\/+$/,
		'',
	);

	return {
		get url() {
			return url;
		},
		apiKey: SEED_SECRETS.apiKey,
		otherWorkspaceApiKey: SEED_SECRETS.otherWorkspaceApiKey,
		readOnlyApiKey: SEED_SECRETS.readOnlyApiKey,
		twilio,
		ids: SEED_IDS,
		numbers: SEED_NUMBERS,
		scenarios: SCENARIOS,
		state,
		requests,
		faults,
		webhooks,
		clock,
		app,
		setWebhook,
		credentials,
		n8nCredentials: (credentialOptions) => n8nCredentialsFile(credentials(credentialOptions)),
		info,
		reset,
		setLatency(ms: number) {
			network.latencyMs = ms;
		},
		async close() {
			clock.clearTimers();
			await app.close();
		},
	};
}

export { Clock } from './clock';
export type { ClockTimer } from './clock';
export type { RouteContext, RouteModule } from './context';
export {
	N8N_CREDENTIAL_IDS,
	n8nCredentialsFile,
	n8nCredentialsForUrl,
	sandboxCredentials,
} from './credentials';
export type { CredentialOptions, N8nCredentialExport, SandboxCredentials } from './credentials';
export { elevenLabsErrors, HttpError, twilioErrors } from './errors';
export type { FastApiError } from './errors';
export type { ArmedFault, FaultInjector, FaultKind, FaultSpec } from './faults';
export type { LoggedRequest, PathMatcher, RequestLog } from './requestLog';
export type { AdminControls, SandboxInfo } from './routes/admin';
export { DEFAULT_SCENARIO_KEY, normaliseNumber, SCENARIOS, scenarioForNumber } from './scenarios';
export type { CallLengths, CallScenario, CandidateBehaviour, ScenarioKey } from './scenarios';
export { SEED_IDS, SEED_NUMBERS } from './seed';
export type { SeedIds } from './seed';
export type { SandboxState } from './state';
export { buildSignedWebhook, SIGNATURE_HEADER, signElevenLabsWebhook } from './webhooks';
export type {
	SignedWebhook,
	WebhookConfig,
	WebhookDelivery,
	WebhookPayloadType,
	WebhookSender,
} from './webhooks';
