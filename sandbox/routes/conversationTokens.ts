/**
 * Browser conversations: `GET /v1/convai/conversation/token` (conversations.getWebrtcToken, a
 * WebRTC conversation token) and `GET /v1/convai/conversation/get-signed-url`
 * (conversations.getSignedUrl, a signed WebSocket URL). Both are scoped to the key's workspace
 * (another workspace's agent is 404 `document_not_found`, like an unknown one). ElevenLabs'
 * answers carry no expiry; the documented lifetimes are 10 minutes for a token and 15 minutes for
 * a signed URL, and the sandbox records every issue with that expiry, so tests can check what a
 * page was handed (`browserSessions(sandbox).lookup(token)`).
 */
import * as schemas from '@elevenlabs/elevenlabs-js/serialization';
import { createHmac, randomBytes } from 'node:crypto';

import type { RouteContext, RouteModule } from '../context';
import type { SandboxState } from '../state';
import { query } from '../validation';

export const TOKEN_LIFETIME_MS = 10 * 60 * 1000;
export const SIGNED_URL_LIFETIME_MS = 15 * 60 * 1000;

export interface IssuedCredential {
	kind: 'token' | 'signedUrl';
	/** The conversation token, or the signed URL's `conversation_signature`. */
	secret: string;
	/** Only tokens name their conversation up front. */
	conversationId?: string;
	agentId: string;
	workspaceId: string;
	participantName?: string;
	branchId?: string;
	versionId?: string;
	/** As sent; ElevenLabs uses `production` when none is. */
	environment?: string;
	issuedAtMs: number;
	expiresAtMs: number;
}

export type CredentialStatus = 'valid' | 'expired' | 'unknown';

/** Everything the sandbox issued for browser conversations (one log per store generation). */
export class BrowserSessionLog {
	private readonly issued: IssuedCredential[] = [];

	constructor(private readonly now: () => number) {}

	record(credential: IssuedCredential): void {
		this.issued.push(credential);
	}

	/** All issues in order. */
	all(): IssuedCredential[] {
		return [...this.issued];
	}

	/** What was issued as this token, signed URL or signature. */
	lookup(tokenOrUrl: string): IssuedCredential | undefined {
		const secret = signatureOf(tokenOrUrl) ?? tokenOrUrl;
		return this.issued.find((credential) => credential.secret === secret);
	}

	/** Whether ElevenLabs would still accept it now (sandbox clock). */
	status(tokenOrUrl: string): CredentialStatus {
		const credential = this.lookup(tokenOrUrl);
		if (!credential) return 'unknown';
		return this.now() < credential.expiresAtMs ? 'valid' : 'expired';
	}
}

function signatureOf(value: string): string | undefined {
	if (!/^wss?:\/\//.test(value)) return undefined;
	return new URL(value).searchParams.get('conversation_signature') ?? undefined;
}

/**
 * The issue log of a sandbox (or of a route context), on its clock: a module store
 * (`ctx.moduleState`), so a reset starts a fresh one. Tests pass the sandbox itself.
 */
export function browserSessions(ctx: {
	readonly state: SandboxState;
	readonly clock: { now(): number };
}): BrowserSessionLog {
	const modules = ctx.state.modules;
	if (!modules.has('conversationTokens'))
		modules.set('conversationTokens', new BrowserSessionLog(() => ctx.clock.now()));
	return modules.get('conversationTokens') as BrowserSessionLog;
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * A token shaped like the LiveKit access token (a JWT) that ElevenLabs' browser client hands to
 * LiveKit: room, participant and expiry in the claims. Only the sandbox reads it.
 */
function conversationToken(claims: {
	conversationId: string;
	identity: string;
	name?: string;
	issuedAtMs: number;
	expiresAtMs: number;
}): string {
	const header = base64url({ alg: 'HS256', typ: 'JWT' });
	const payload = base64url({
		sub: claims.identity,
		name: claims.name,
		nbf: Math.floor(claims.issuedAtMs / 1000),
		exp: Math.floor(claims.expiresAtMs / 1000),
		video: {
			room: `room_${claims.conversationId}`,
			roomJoin: true,
			canPublish: true,
			canSubscribe: true,
		},
	});
	const signature = createHmac('sha256', randomBytes(32))
		.update(`${header}.${payload}`)
		.digest('base64url');
	return `${header}.${payload}.${signature}`;
}

const COMMON_QUERY = {
	agent_id: query.required(query.string()),
	branch_id: query.string(),
	version_id: query.string(),
	environment: query.string(),
	debug_events_request: query.bool(),
};

export const conversationTokenRoutes: RouteModule = (app, ctx: RouteContext) => {
	const el = ctx.elevenLabs;

	app.get('/v1/convai/conversation/token', async (request) => {
		const q = el.query(request, { ...COMMON_QUERY, participant_name: query.string() });
		const stored = el.agent(request, q.agent_id);
		const issuedAtMs = ctx.clock.now();
		const expiresAtMs = issuedAtMs + TOKEN_LIFETIME_MS;
		const conversationId = ctx.newId('conversation');
		const token = conversationToken({
			conversationId,
			identity: `user_${randomBytes(6).toString('hex')}`,
			name: q.participant_name,
			issuedAtMs,
			expiresAtMs,
		});
		browserSessions(ctx).record({
			kind: 'token',
			secret: token,
			conversationId,
			agentId: stored.agent.agentId,
			workspaceId: stored.workspaceId,
			participantName: q.participant_name,
			branchId: q.branch_id,
			versionId: q.version_id,
			environment: q.environment,
			issuedAtMs,
			expiresAtMs,
		});
		return el.wire(schemas.TokenResponseModel, { token, conversationId });
	});

	app.get('/v1/convai/conversation/get-signed-url', async (request) => {
		const q = el.query(request, { ...COMMON_QUERY, include_conversation_id: query.bool() });
		const stored = el.agent(request, q.agent_id);
		const issuedAtMs = ctx.clock.now();
		const signature = `cvsig_${randomBytes(24).toString('base64url')}`;
		// The WebSocket endpoint lives where the API does: the sandbox's own address here.
		const url = new URL('/v1/convai/conversation', ctx.url.replace(/^http/, 'ws'));
		url.searchParams.set('agent_id', stored.agent.agentId);
		url.searchParams.set('conversation_signature', signature);
		browserSessions(ctx).record({
			kind: 'signedUrl',
			secret: signature,
			agentId: stored.agent.agentId,
			workspaceId: stored.workspaceId,
			branchId: q.branch_id,
			versionId: q.version_id,
			environment: q.environment,
			issuedAtMs,
			expiresAtMs: issuedAtMs + SIGNED_URL_LIFETIME_MS,
		});
		return el.wire(schemas.ConversationSignedUrlResponseModel, { signedUrl: url.toString() });
	});
};
