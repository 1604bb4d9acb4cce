/**
 * The admin API under `/_sandbox/` (no auth, never logged, never faulted), for tests, the demo and
 * the n8n end-to-end runner when the sandbox runs in another process.
 */
import type { FastifyInstance } from 'fastify';

import type { NetworkSettings, RouteContext } from '../context';
import type { SandboxCredentials, N8nCredentialExport } from '../credentials';
import { faultFromJson, faultToJson } from '../faults';
import type { SCENARIOS } from '../scenarios';
import type { SEED_NUMBERS, SeedIds } from '../seed';
import type { WebhookConfig } from '../webhooks';

export const ADMIN_PREFIX = '/_sandbox';

/** What `GET /_sandbox/info` returns (secrets included: it is a local test server). */
export interface SandboxInfo {
	url: string;
	ids: SeedIds;
	numbers: typeof SEED_NUMBERS;
	scenarios: typeof SCENARIOS;
	apiKey: string;
	otherWorkspaceApiKey: string;
	readOnlyApiKey: string;
	twilio: {
		accountSid: string;
		authToken: string;
		apiKeySid: string;
		apiKeySecret: string;
		standardApiKeySid: string;
		standardApiKeySecret: string;
		trialAccountSid: string;
		trialAuthToken: string;
		trialVerifiedNumbers: string[];
	};
	webhook: WebhookConfig | null;
	credentials: SandboxCredentials;
	n8nCredentials: N8nCredentialExport[];
}

export interface AdminControls {
	info(): SandboxInfo;
	reset(): void;
	setWebhook(config: Partial<WebhookConfig> & { url: string }): void;
	clearWebhook(): void;
}

function badRequest(message: string) {
	return { statusCode: 400, error: 'Bad Request', message };
}

export function registerAdminRoutes(
	app: FastifyInstance,
	ctx: RouteContext,
	controls: AdminControls,
	network: NetworkSettings,
): void {
	app.get(`${ADMIN_PREFIX}/info`, async () => controls.info());

	app.get<{ Querystring: { method?: string; path?: string; pathRegex?: string } }>(
		`${ADMIN_PREFIX}/requests`,
		async (request) => {
			const { method = '*', path, pathRegex } = request.query;
			return { requests: ctx.requests.filter(method, pathRegex ? new RegExp(pathRegex) : path) };
		},
	);

	app.delete(`${ADMIN_PREFIX}/requests`, async (_request, reply) => {
		ctx.requests.clear();
		return reply.code(204).send();
	});

	app.get(`${ADMIN_PREFIX}/faults`, async () => ({ faults: ctx.faults.list().map(faultToJson) }));

	app.post(`${ADMIN_PREFIX}/faults`, async (request, reply) => {
		try {
			const fault = ctx.faults.add(faultFromJson(request.body));
			return reply.code(201).send(faultToJson(fault));
		} catch (error) {
			return reply
				.code(400)
				.send(badRequest(error instanceof Error ? error.message : String(error)));
		}
	});

	app.delete(`${ADMIN_PREFIX}/faults`, async (_request, reply) => {
		ctx.faults.clear();
		return reply.code(204).send();
	});

	app.post(`${ADMIN_PREFIX}/webhook`, async (request, reply) => {
		const body = (request.body ?? {}) as Partial<WebhookConfig>;
		if (typeof body.url !== 'string')
			return reply.code(400).send(badRequest('Give the webhook "url"'));
		try {
			controls.setWebhook({ url: body.url, secret: body.secret, events: body.events });
		} catch (error) {
			return reply
				.code(400)
				.send(badRequest(error instanceof Error ? error.message : String(error)));
		}
		return { webhook: ctx.webhooks.config };
	});

	app.delete(`${ADMIN_PREFIX}/webhook`, async (_request, reply) => {
		controls.clearWebhook();
		return reply.code(204).send();
	});

	app.get(`${ADMIN_PREFIX}/webhook/deliveries`, async () => ({
		deliveries: ctx.webhooks.deliveries(),
	}));

	app.post(`${ADMIN_PREFIX}/clock`, async (request, reply) => {
		const body = (request.body ?? {}) as { advanceMs?: unknown; speed?: unknown };
		try {
			if (body.speed !== undefined) ctx.clock.setSpeed(Number(body.speed));
			if (body.advanceMs !== undefined) ctx.clock.advance(Number(body.advanceMs));
		} catch (error) {
			return reply
				.code(400)
				.send(badRequest(error instanceof Error ? error.message : String(error)));
		}
		return { now: ctx.clock.date().toISOString(), speed: ctx.clock.speed };
	});

	app.post<{ Body: { ms?: unknown } }>(`${ADMIN_PREFIX}/latency`, async (request, reply) => {
		const ms = Number(request.body?.ms);
		if (!Number.isFinite(ms) || ms < 0)
			return reply.code(400).send(badRequest('Give "ms", a delay of 0 or more milliseconds'));
		network.latencyMs = ms;
		return { latencyMs: ms };
	});

	app.post(`${ADMIN_PREFIX}/reset`, async (_request, reply) => {
		controls.reset();
		return reply.code(204).send();
	});
}
