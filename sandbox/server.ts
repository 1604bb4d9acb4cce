/**
 * The HTTP server: one fastify app with the route modules, plus the cross-cutting behaviour every
 * route gets without writing it: request log, fault injection, vendor auth, body parsing and the
 * vendors' error / not-found / method-not-allowed shapes.
 */
import Fastify from 'fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';

import { authenticateElevenLabs, authenticateTwilio, requiredPermission } from './auth';
import { attachConvaiSockets } from './convaiSocket';
import type { NetworkSettings, RouteContext, RouteModule } from './context';
import { elevenLabsErrors, HttpError, twilioErrors } from './errors';
import { carriesOut, DEFAULT_HOLD_MS, defaultFaultResponse } from './faults';
import type { FaultResponse, FaultSpec } from './faults';
import { redactHeaders } from './requestLog';
import { ADMIN_PREFIX, registerAdminRoutes } from './routes/admin';
import type { AdminControls } from './routes/admin';
import { agentRoutes } from './routes/agents';
import { analyticsRoutes } from './routes/analytics';
import { batchCallRoutes } from './routes/batchCalls';
import { conversationRoutes } from './routes/conversations';
import { conversationTokenRoutes } from './routes/conversationTokens';
import { inboundCallRoutes } from './routes/inboundCalls';
import { knowledgeBaseRoutes } from './routes/knowledgeBase';
import { outboundCallRoutes } from './routes/outboundCalls';
import { phoneNumberRoutes } from './routes/phoneNumbers';
import { mailboxRoutes } from './mailbox';
import { twilioAccountRoutes } from './routes/twilioAccounts';
import { twilioCallRoutes } from './routes/twilioCalls';
import { twilioMessageRoutes } from './routes/twilioMessages';
import { workspaceWebhookRoutes } from './routes/workspaceWebhooks';
import { parseForm, TWILIO_API_PREFIX } from './twilioFormat';

/** Every vendor route module, in one list. Add yours here (see README.md). */
export const ROUTE_MODULES: RouteModule[] = [
	agentRoutes,
	phoneNumberRoutes,
	twilioAccountRoutes,
	outboundCallRoutes,
	twilioCallRoutes,
	batchCallRoutes,
	conversationRoutes,
	conversationTokenRoutes,
	knowledgeBaseRoutes,
	analyticsRoutes,
	workspaceWebhookRoutes,
	mailboxRoutes,
	twilioMessageRoutes,
	inboundCallRoutes,
];

const ELEVENLABS_PREFIX = '/v1/';
const BODY_LIMIT = 20 * 1024 * 1024;

type Vendor = 'elevenlabs' | 'twilio' | 'admin' | 'other';

function vendorOf(path: string): Vendor {
	if (path.startsWith(ELEVENLABS_PREFIX)) return 'elevenlabs';
	if (path.startsWith(`${TWILIO_API_PREFIX}/`)) return 'twilio';
	if (path.startsWith(`${ADMIN_PREFIX}/`)) return 'admin';
	return 'other';
}

const pathOf = (url: string) => url.split('?')[0];

/** fastify route pattern → RegExp over concrete paths, for telling 404 from 405. */
function patternToRegExp(url: string): RegExp {
	const escaped = url
		.split(/(:[A-Za-z_][A-Za-z0-9_]*)/)
		.map((part) => (part.startsWith(':') ? '[^/]+?' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
		.join('');
	return new RegExp(`^${escaped}$`);
}

function resetConnection(request: FastifyRequest): void {
	const socket = request.raw.socket;
	// A real TCP RST (ECONNRESET at the client), not a polite FIN.
	if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
	else socket.destroy();
}

/** Keeps the connection open until the client gives up, or `holdMs`, then cuts it. */
function holdOpen(request: FastifyRequest, holdMs: number): Promise<void> {
	const socket = request.raw.socket;
	return new Promise((resolve) => {
		if (socket.destroyed) return resolve();
		const timer = setTimeout(() => socket.destroy(), holdMs);
		socket.once('close', () => {
			clearTimeout(timer);
			resolve();
		});
	});
}

function faultBody(status: number, path: string, body: unknown): FaultResponse {
	if (body === undefined) return defaultFaultResponse(status, path);
	return typeof body === 'string'
		? { body, contentType: 'text/plain' }
		: { body: JSON.stringify(body), contentType: 'application/json' };
}

/** Faults that replace the handler entirely (nothing is carried out). */
function applyFaultInstead(
	request: FastifyRequest,
	reply: FastifyReply,
	fault: FaultSpec,
): FastifyReply {
	const path = pathOf(request.url);
	switch (fault.kind) {
		case 'status': {
			const response = faultBody(fault.status, path, fault.body);
			return reply
				.code(fault.status)
				.headers(fault.headers ?? {})
				.type(response.contentType)
				.send(response.body);
		}
		case 'timeout':
			reply.hijack();
			void holdOpen(request, fault.holdMs ?? DEFAULT_HOLD_MS);
			return reply;
		case 'reset':
			reply.hijack();
			resetConnection(request);
			return reply;
		default:
			throw new Error(`Fault ${fault.kind} always carries out`);
	}
}

/** Faults that spoil the response after the handler ran (its side effects persist). */
async function applyFaultAfter(
	request: FastifyRequest,
	reply: FastifyReply,
	fault: FaultSpec,
	payload: unknown,
): Promise<unknown> {
	switch (fault.kind) {
		case 'status5xxAfter': {
			const status = fault.status ?? 502;
			const response = faultBody(status, pathOf(request.url), fault.body);
			reply.code(status).type(response.contentType);
			return response.body;
		}
		case 'malformedJson': {
			const text = typeof payload === 'string' && payload.length > 1 ? payload : '{"detail":null}';
			reply.code(200).type('application/json');
			// Half a document is never valid JSON.
			return text.slice(0, Math.ceil(text.length / 2));
		}
		case 'timeout':
			await holdOpen(request, fault.holdMs ?? DEFAULT_HOLD_MS);
			return payload;
		case 'reset':
			resetConnection(request);
			return payload;
		default:
			return payload;
	}
}

/** FastAPI's answer to a body that is not JSON. */
function jsonSyntaxError(text: string, error: unknown): HttpError {
	const message = error instanceof Error ? error.message : String(error);
	const position = Number(/position (\d+)/.exec(message)?.[1] ?? 0);
	return elevenLabsErrors.validation([
		{
			type: 'json_invalid',
			loc: ['body', position],
			msg: 'JSON decode error',
			input: {},
			ctx: { error: message },
		},
	]);
}

function vendorError(vendor: Vendor, status: number, message: string): HttpError {
	if (vendor === 'twilio')
		return twilioErrors.error(status, status === 401 ? 20003 : 20000 + status, message);
	const code = status >= 500 ? 'internal_server_error' : 'invalid_request';
	return elevenLabsErrors.detail(status, code, message);
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function buildServer(
	ctx: RouteContext,
	admin: AdminControls,
	network: NetworkSettings,
): FastifyInstance {
	// forceCloseConnections: close() must not wait for requests a fault holds open.
	const app = Fastify({ logger: false, forceCloseConnections: true, bodyLimit: BODY_LIMIT });
	const routes: Array<{ methods: string[]; pattern: RegExp }> = [];

	app.decorateRequest('sandbox', null as unknown as FastifyRequest['sandbox']);
	attachConvaiSockets(app, ctx);

	app.addHook('onRoute', (route) => {
		routes.push({ methods: [route.method].flat(), pattern: patternToRegExp(route.url) });
		const handler = route.handler as RouteHandlerMethod;
		route.handler = function wrapped(this: FastifyInstance, request, reply) {
			if (request.sandbox.entry) request.sandbox.entry.handled = true;
			return handler.call(this, request, reply);
		};
	});

	app.removeContentTypeParser('application/json');
	app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
		const text = String(body);
		if (text.trim() === '') return done(null, undefined);
		try {
			done(null, JSON.parse(text));
		} catch (error) {
			if (request.sandbox.entry) request.sandbox.entry.body = text;
			const vendor = vendorOf(pathOf(request.url));
			done(
				vendor === 'elevenlabs'
					? jsonSyntaxError(text, error)
					: vendorError(vendor, 400, 'Invalid JSON body'),
			);
		}
	});
	app.addContentTypeParser(
		'application/x-www-form-urlencoded',
		{ parseAs: 'string' },
		(_request, body, done) => done(null, parseForm(String(body))),
	);

	app.addHook('onRequest', async (request, reply) => {
		request.sandbox = {};
		const path = pathOf(request.url);
		if (vendorOf(path) === 'admin') return;
		const entry = ctx.requests.start({
			method: request.method,
			path,
			query: request.query as Record<string, string | string[]>,
			headers: redactHeaders(request.headers),
			receivedAt: new Date(),
		});
		request.sandbox.entry = entry;
		const started = Date.now();
		reply.raw.once('close', () => {
			entry.outcome = reply.raw.writableFinished ? 'responded' : 'closed';
			entry.durationMs = Date.now() - started;
		});
		const fault = ctx.faults.take(request.method, path);
		if (fault) {
			request.sandbox.fault = fault;
			entry.fault = fault.kind;
		}
		// Real time, not the sandbox clock: it stands for the round trip to the vendor's API.
		if (network.latencyMs > 0) await delay(network.latencyMs);
	});

	app.addHook('preHandler', async (request, reply) => {
		const { entry, fault } = request.sandbox;
		if (entry) entry.body = request.body;
		// Faults act like the network or a gateway in front of the API: before auth.
		if (fault && !carriesOut(fault)) return applyFaultInstead(request, reply, fault);
		// FastAPI routes before it authenticates: unknown paths are 404 even without a key.
		if (request.is404) return;
		const path = pathOf(request.url);
		const vendor = vendorOf(path);
		if (vendor === 'elevenlabs') {
			const key = authenticateElevenLabs(ctx.state, request.headers['xi-api-key']);
			if (key instanceof HttpError) throw key;
			if (entry) entry.principal = key.label;
			const needed = requiredPermission(request.method, request.routeOptions.config.permission);
			if (!key.permissions.includes(needed)) throw elevenLabsErrors.missingPermission(needed);
			request.sandbox.apiKey = key;
		} else if (vendor === 'twilio') {
			const principal = authenticateTwilio(ctx.state, request.headers.authorization);
			if (principal instanceof HttpError) throw principal;
			if (entry) entry.principal = principal.username;
			request.sandbox.twilio = principal;
		}
	});

	app.addHook('onSend', async (request, reply, payload) => {
		const { entry, fault } = request.sandbox;
		let out: unknown = payload;
		if (fault && carriesOut(fault)) out = await applyFaultAfter(request, reply, fault, payload);
		if (entry) entry.status = reply.statusCode;
		return out;
	});

	app.setErrorHandler((error, request, reply) => {
		if (error instanceof HttpError)
			return reply.code(error.status).headers(error.headers).send(error.body);
		const vendor = vendorOf(pathOf(request.url));
		const statusCode = (error as { statusCode?: unknown }).statusCode;
		const status =
			typeof statusCode === 'number' && statusCode >= 400 && statusCode < 600 ? statusCode : 500;
		const message = error instanceof Error ? error.message : String(error);
		if (status >= 500) {
			// A sandbox bug, not a simulated failure: make it visible.
			process.stderr.write(
				`sandbox: ${request.method} ${request.url} failed: ${error instanceof Error ? error.stack : message}\n`,
			);
		}
		const answer = vendorError(vendor, status, message);
		return reply.code(answer.status).send(answer.body);
	});

	app.setNotFoundHandler((request, reply) => {
		const path = pathOf(request.url);
		const vendor = vendorOf(path);
		const allowed = [
			...new Set(
				routes.filter((route) => route.pattern.test(path)).flatMap((route) => route.methods),
			),
		];
		if (allowed.length > 0) {
			reply.header('allow', allowed.join(', '));
			const error =
				vendor === 'twilio'
					? twilioErrors.error(405, 20004, 'Method not allowed')
					: elevenLabsErrors.methodNotAllowed();
			return reply.code(error.status).send(error.body);
		}
		const error =
			vendor === 'twilio' ? twilioErrors.notFound(path) : elevenLabsErrors.routeNotFound();
		return reply.code(error.status).send(error.body);
	});

	for (const register of ROUTE_MODULES) register(app, ctx);
	registerAdminRoutes(app, ctx, admin, network);
	return app;
}
