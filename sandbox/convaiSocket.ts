/**
 * The ConvAI WebSocket that a signed URL points to (`/v1/convai/conversation?agent_id=…&
 * conversation_signature=…`), speaking what the pinned @elevenlabs/client speaks (its
 * utils/WebSocketConnection.ts, overrides.ts, BaseConversation.ts; message types from
 * @elevenlabs/types' asyncapi-types.ts):
 * - the client opens with `conversation_initiation_client_data` (overrides, dynamic variables,
 *   user id), checked like an outbound call's: a forbidden override or a missing variable closes
 *   the socket with 1008 and the vendor's reason;
 * - the sandbox answers `conversation_initiation_metadata` (conversation id, pcm_16000 both
 *   ways), then the first message as `agent_response` plus a short generated tone as `audio`,
 *   and a `ping` the client must `pong`;
 * - the candidate's `user_audio_chunk`s (PCM 16 bit, 16 kHz) are measured: once they held sound
 *   and then a pause, the sandbox, which cannot transcribe, reports its known candidate line as
 *   `user_transcript` and the agent answers; a `user_message` (text) is a candidate turn too;
 * - the client's close ends the conversation, which is then stored like a phone conversation
 *   (processing, then done with transcript and analysis, and the post-call webhook).
 * Also the LiveKit stand-in a WebRTC session reaches (`/rtc…`): the sandbox cannot host a room,
 * so it records that the client came with the token it issued, and refuses.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ElevenLabs } from '@elevenlabs/elevenlabs-js';
import type { FastifyInstance } from 'fastify';
import { WebSocketServer } from 'ws';
import type { RawData, WebSocket } from 'ws';
import type { ConversationInitiation, ConversationMetadata, Ping } from '@elevenlabs/types';

import type { RouteContext } from './context';
import type { SandboxState } from './state';
import { conversationStore } from './conversations';
import type { ConversationRecord, LiveTurn } from './conversations';
import { sendPostCallWebhooks } from './routes/conversations';
import { browserSessions } from './routes/conversationTokens';
import { forbiddenOverrides, missingVariablesError } from './routes/outboundCalls';
import { sentConversation } from './transcripts';

export const CONVAI_SOCKET_PATH = '/v1/convai/conversation';
export const AUDIO_FORMAT = 'pcm_16000';
const SAMPLE_RATE = 16_000;

/** What the sandbox "hears" from a candidate, since it cannot transcribe, and what its agent answers. */
export const CANDIDATE_LINES: Record<string, string> = {
	de: 'Ja, das passt gerade gut.',
	en: 'Yes, now is a good time.',
};
export const AGENT_REPLIES: Record<string, string> = {
	de: 'Vielen Dank, das habe ich notiert. Auf Wiederhören!',
	en: 'Thank you, I have noted that. Goodbye!',
};

/** A candidate turn: at least this much sound, then this much quiet (or a long stretch of sound). */
const TURN_SOUND_MS = 500;
const TURN_PAUSE_MS = 400;
const TURN_LONGEST_MS = 4_000;
/** RMS of 16-bit samples above which a chunk holds sound (a quiet room stays far below). */
const SOUND_RMS = 300;
/** How long the client may take to send its initiation data. */
const INITIATION_TIMEOUT_MS = 10_000;

/** Close codes and reasons as ElevenLabs sends them (1008: policy violation). */
const POLICY = 1008;

/** A short tone (a falling "ding") as base64 PCM 16 bit, 16 kHz: the agent's audio. */
export function agentTone(durationMs = 300, frequency = 660): string {
	const samples = Math.round((SAMPLE_RATE * durationMs) / 1000);
	const pcm = Buffer.alloc(samples * 2);
	for (let i = 0; i < samples; i++) {
		const fade = 1 - i / samples;
		pcm.writeInt16LE(
			Math.round(Math.sin((2 * Math.PI * frequency * i) / SAMPLE_RATE) * 8000 * fade),
			i * 2,
		);
	}
	return pcm.toString('base64');
}

/** Root mean square of little-endian 16-bit samples. */
export function pcmLevel(pcm: Buffer): number {
	const samples = Math.floor(pcm.length / 2);
	if (!samples) return 0;
	let sum = 0;
	for (let i = 0; i < samples; i++) sum += pcm.readInt16LE(i * 2) ** 2;
	return Math.sqrt(sum / samples);
}

/**
 * Follows the candidate's audio and says when a turn is over: after enough sound and then a
 * pause, measured in audio time (the chunks' length), so it does not depend on the network.
 */
export class TurnDetector {
	private soundMs = 0;
	private quietMs = 0;

	/** Feeds a chunk; true when it completes a turn (the detector then starts over). */
	feed(pcm: Buffer): boolean {
		const ms = (pcm.length / 2 / SAMPLE_RATE) * 1000;
		if (pcmLevel(pcm) >= SOUND_RMS) {
			this.soundMs += ms;
			this.quietMs = 0;
		} else if (this.soundMs > 0) {
			this.quietMs += ms;
		}
		const done =
			(this.soundMs >= TURN_SOUND_MS && this.quietMs >= TURN_PAUSE_MS) ||
			this.soundMs >= TURN_LONGEST_MS;
		if (done) this.soundMs = this.quietMs = 0;
		return done;
	}
}

/** The client's initiation data in the SDK's camelCase shape, as the outbound-call checks read it. */
function clientDataOf(
	message: ConversationInitiation,
): ElevenLabs.ConversationInitiationClientDataRequestInput {
	const agent = message.conversation_config_override?.agent;
	const section = (value: object | undefined) =>
		value && Object.values(value).some((v) => v !== undefined) ? value : undefined;
	const override: Record<string, unknown> = {};
	if (agent) {
		override.agent = {
			...(agent.prompt?.prompt !== undefined ? { prompt: { prompt: agent.prompt.prompt } } : {}),
			...(agent.first_message !== undefined ? { firstMessage: agent.first_message } : {}),
			...(agent.language !== undefined ? { language: agent.language } : {}),
		};
	}
	// The client always sends tts and conversation, with undefined (dropped) fields: only set ones count.
	for (const name of ['tts', 'asr', 'conversation'] as const) {
		const value = section(message.conversation_config_override?.[name] as object | undefined);
		if (value) override[name] = value;
	}
	return {
		conversationConfigOverride: override as ElevenLabs.ConversationConfigClientOverrideInput,
		...(message.dynamic_variables ? { dynamicVariables: message.dynamic_variables } : {}),
		...(message.user_id ? { userId: message.user_id } : {}),
		...(message.source_info
			? { sourceInfo: message.source_info as ElevenLabs.ConversationInitiationSourceInfo }
			: {}),
	};
}

/** One browser conversation on one socket. */
class ConvaiSession {
	private record: ConversationRecord | undefined;
	private eventId = 0;
	private readonly turns = new TurnDetector();
	private language = 'en';
	private answered = false;
	/** The event ids of the pongs received, in order (the sandbox pings once after the first message). */
	readonly pongs: number[] = [];

	constructor(
		private readonly ctx: RouteContext,
		private readonly socket: WebSocket,
		private readonly agentId: string,
	) {
		const timer = setTimeout(
			() => this.refuse('No conversation_initiation_client_data received'),
			INITIATION_TIMEOUT_MS,
		);
		socket.on('message', (data) => {
			clearTimeout(timer);
			this.receive(data);
		});
		socket.on('close', () => {
			clearTimeout(timer);
			if (this.record) conversationStore(this.ctx).endLive(this.record, 'Client disconnected');
		});
	}

	private send(message: object) {
		if (this.socket.readyState === this.socket.OPEN) this.socket.send(JSON.stringify(message));
	}

	private refuse(reason: string) {
		this.socket.close(POLICY, reason.slice(0, 120));
	}

	private receive(data: RawData) {
		let message: Record<string, unknown>;
		try {
			message = JSON.parse(data.toString()) as Record<string, unknown>;
		} catch {
			return this.refuse('Invalid message');
		}
		if (!this.record) {
			if (message.type !== 'conversation_initiation_client_data')
				return this.refuse('Expected conversation_initiation_client_data first');
			return this.start(message as unknown as ConversationInitiation);
		}
		if (typeof message.user_audio_chunk === 'string') {
			if (this.turns.feed(Buffer.from(message.user_audio_chunk, 'base64')))
				this.candidateSaid(CANDIDATE_LINES[this.language] ?? CANDIDATE_LINES.en);
			return;
		}
		if (message.type === 'user_message' && typeof message.text === 'string')
			return this.candidateSaid(message.text);
		if (message.type === 'pong') this.pongs.push(Number(message.event_id));
		// user_activity, contextual_update, feedback and the rest change nothing here.
	}

	private start(message: ConversationInitiation) {
		const stored = this.ctx.state.agents.get(this.agentId);
		if (!stored) return this.refuse('Agent not found');
		const clientData = clientDataOf(message);
		const forbidden = forbiddenOverrides(stored, clientData);
		if (forbidden.length)
			return this.refuse(`Override for field '${forbidden[0]}' is not allowed by config.`);
		const missing = missingVariablesError(stored, clientData);
		if (missing) return this.refuse(missing);
		// The upgrade bypasses fastify's hooks, where the store's webhook sender is made sure of.
		sendPostCallWebhooks(this.ctx);
		const record = conversationStore(this.ctx).openLive({
			agentId: this.agentId,
			source: 'js_sdk',
			userId: message.user_id,
			clientData: clientData as Record<string, unknown>,
		});
		this.record = record;
		liveSessions(this.ctx).set(record.conversationId, this);
		const sent = sentConversation(record, stored.agent);
		this.language = sent.language.startsWith('de') ? 'de' : 'en';
		const metadata: ConversationMetadata = {
			type: 'conversation_initiation_metadata',
			conversation_initiation_metadata_event: {
				conversation_id: record.conversationId,
				agent_output_audio_format: AUDIO_FORMAT,
				user_input_audio_format: AUDIO_FORMAT,
			},
		};
		this.send(metadata);
		this.agentSays(sent.firstMessage);
		const ping: Ping = { type: 'ping', ping_event: { event_id: ++this.eventId, ping_ms: null } };
		this.send(ping);
	}

	private turn(role: LiveTurn['role'], message: string) {
		const record = this.record!;
		const timeInCallSecs = Math.max(
			0,
			Math.floor((this.ctx.clock.now() - record.createdAtMs) / 1000),
		);
		record.turns!.push({ role, message, timeInCallSecs });
	}

	private agentSays(text: string) {
		if (!text) return;
		const eventId = ++this.eventId;
		this.turn('agent', text);
		this.send({
			type: 'agent_response',
			agent_response_event: { agent_response: text, event_id: eventId },
		});
		this.send({ type: 'audio', audio_event: { audio_base_64: agentTone(), event_id: eventId } });
	}

	/** One candidate turn: reported back, then the agent answers (once; later turns are only recorded). */
	private candidateSaid(text: string) {
		this.turn('user', text);
		this.send({
			type: 'user_transcript',
			user_transcription_event: { user_transcript: text, event_id: ++this.eventId },
		});
		if (this.answered) return;
		this.answered = true;
		this.agentSays(AGENT_REPLIES[this.language] ?? AGENT_REPLIES.en);
	}
}

/** Browser sessions by conversation id, per store generation (tests read the pongs). */
function liveSessions(ctx: { readonly state: SandboxState }): Map<string, ConvaiSession> {
	return moduleStore(ctx.state, 'convaiSessions', () => new Map<string, ConvaiSession>());
}

/** A module store on the state, as browserSessions keeps its log: tests pass the sandbox itself. */
function moduleStore<T>(state: SandboxState, name: string, create: () => T): T {
	if (!state.modules.has(name)) state.modules.set(name, create());
	return state.modules.get(name) as T;
}

export function convaiSession(
	ctx: { readonly state: SandboxState },
	conversationId: string,
): { readonly pongs: number[] } | undefined {
	return liveSessions(ctx).get(conversationId);
}

/** A LiveKit connection attempt of a WebRTC session: where it went and with which token. */
export interface LivekitAttempt {
	path: string;
	token: string | undefined;
}

export function livekitAttempts(ctx: { readonly state: SandboxState }): LivekitAttempt[] {
	return moduleStore(ctx.state, 'livekitAttempts', () => [] as LivekitAttempt[]);
}

function reject(socket: Duplex, status: number, text: string) {
	socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/**
 * Serves the WebSocket endpoints on the sandbox's own HTTP server (the same port as the API,
 * like ElevenLabs' wss://api…), next to fastify's routes.
 */
export function attachConvaiSockets(app: FastifyInstance, ctx: RouteContext): void {
	const wss = new WebSocketServer({ noServer: true });
	app.server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
		const url = new URL(request.url ?? '/', 'http://sandbox');
		ctx.requests.start({
			method: 'GET',
			path: url.pathname,
			query: Object.fromEntries(url.searchParams),
			headers: { upgrade: 'websocket' },
			receivedAt: new Date(),
		});
		if (url.pathname.startsWith('/rtc')) {
			livekitAttempts(ctx).push({
				path: url.pathname,
				token: url.searchParams.get('access_token') ?? undefined,
			});
			return reject(socket, 503, 'No LiveKit room in the sandbox');
		}
		if (url.pathname !== CONVAI_SOCKET_PATH) return reject(socket, 404, 'Not Found');
		const signature = url.searchParams.get('conversation_signature') ?? '';
		const issued = browserSessions(ctx).lookup(signature);
		const agentId = url.searchParams.get('agent_id') ?? '';
		wss.handleUpgrade(request, socket, head, (ws) => {
			// ElevenLabs accepts the socket and closes it with the reason, which the client shows.
			if (!issued || issued.kind !== 'signedUrl' || issued.agentId !== agentId)
				return ws.close(POLICY, 'Invalid conversation signature');
			if (browserSessions(ctx).status(signature) !== 'valid')
				return ws.close(POLICY, 'Conversation signature expired');
			new ConvaiSession(ctx, ws, agentId);
		});
	});
	app.addHook('onClose', async () => {
		for (const client of wss.clients) client.terminate();
		wss.close();
	});
}
