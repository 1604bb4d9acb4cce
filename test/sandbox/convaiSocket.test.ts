/**
 * The sandbox's ConvAI WebSocket at the signed URL it issues, driven by a plain `ws` client that
 * sends what the pinned @elevenlabs/client sends (conversation_initiation_client_data first,
 * then user_audio_chunk / pong / user_message), and the LiveKit stand-in of WebRTC sessions.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';

import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { conversationStore } from '../../sandbox/conversations';
import {
	AGENT_REPLIES,
	CANDIDATE_LINES,
	TurnDetector,
	convaiSession,
	livekitAttempts,
	pcmLevel,
} from '../../sandbox/convaiSocket';
import { elevenLabs } from './helpers';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(() => sandbox.reset());

// Server messages are read by the fields @elevenlabs/types documents for each type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Message = Record<string, any>;

/** A socket with every message it received, and a way to wait for one. */
interface Client {
	socket: WebSocket;
	received: Message[];
	next(type: string): Promise<Message>;
	closed: Promise<{ code: number; reason: string }>;
}

function connect(url: string): Promise<Client> {
	const socket = new WebSocket(url, ['convai']);
	const received: Message[] = [];
	const waiting: Array<{ type: string; resolve: (message: Message) => void }> = [];
	socket.on('message', (data) => {
		const message = JSON.parse(data.toString()) as Message;
		received.push(message);
		const index = waiting.findIndex((w) => w.type === message.type);
		if (index >= 0) waiting.splice(index, 1)[0].resolve(message);
	});
	const closed = new Promise<{ code: number; reason: string }>((resolve) =>
		socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
	);
	const next = (type: string) =>
		new Promise<Message>((resolve) => {
			const seen = received.filter((m) => m.type === type);
			const claimed = (next as unknown as { claimed?: Record<string, number> }).claimed ?? {};
			(next as unknown as { claimed: Record<string, number> }).claimed = claimed;
			const n = claimed[type] ?? 0;
			if (seen.length > n) {
				claimed[type] = n + 1;
				return resolve(seen[n]);
			}
			waiting.push({
				type,
				resolve: (message) => {
					claimed[type] = (claimed[type] ?? 0) + 1;
					resolve(message);
				},
			});
		});
	return new Promise((resolve, reject) => {
		socket.once('open', () => resolve({ socket, received, next, closed }));
		socket.once('error', reject);
	});
}

async function signedUrl(agentId = sandbox.ids.agents.recruitingDe): Promise<string> {
	const { signedUrl: url } = await elevenLabs(sandbox).conversationalAi.conversations.getSignedUrl({
		agentId,
	});
	// What the client appends (utils/WebSocketConnection.ts).
	return `${url}&source=js_sdk&version=1.25.0`;
}

const VARIABLES = {
	candidate_name: 'Anna',
	company: 'Muster Klinikum GmbH',
	job_title: 'Pflegefachkraft',
};

/** The client's first message, as utils/overrides.ts builds it (undefined fields dropped by JSON). */
function initiation(overrides: Message = {}): Message {
	return {
		type: 'conversation_initiation_client_data',
		conversation_config_override: {
			agent: {
				prompt: { prompt: 'Du sprichst mit {{candidate_name}}.' },
				first_message: 'Hallo {{candidate_name}}!',
				language: 'de',
			},
			tts: {},
			conversation: {},
		},
		dynamic_variables: VARIABLES,
		user_id: 'k7Qm2xW9pL4t',
		source_info: { source: 'js_sdk', version: '1.25.0' },
		...overrides,
	};
}

/** 20 ms of 16 kHz PCM: a 440 Hz tone, or silence. */
function chunk(sound: boolean): string {
	const pcm = Buffer.alloc(320 * 2);
	if (sound)
		for (let i = 0; i < 320; i++)
			pcm.writeInt16LE(Math.round(Math.sin((2 * Math.PI * 440 * i) / 16000) * 6000), i * 2);
	return pcm.toString('base64');
}

function speak(client: Client, soundMs: number, quietMs: number) {
	for (let ms = 0; ms < soundMs; ms += 20)
		client.socket.send(JSON.stringify({ user_audio_chunk: chunk(true) }));
	for (let ms = 0; ms < quietMs; ms += 20)
		client.socket.send(JSON.stringify({ user_audio_chunk: chunk(false) }));
}

describe('a conversation over the signed URL', () => {
	it('opens with the metadata, the first message with audio and a ping; hears the candidate; stores it like a call', async () => {
		const client = await connect(await signedUrl());
		client.socket.send(JSON.stringify(initiation()));

		const metadata = await client.next('conversation_initiation_metadata');
		const {
			conversation_id: conversationId,
			agent_output_audio_format,
			user_input_audio_format,
		} = metadata.conversation_initiation_metadata_event;
		expect(conversationId).toMatch(/^conv_[a-z0-9]{28}$/);
		expect([agent_output_audio_format, user_input_audio_format]).toEqual([
			'pcm_16000',
			'pcm_16000',
		]);
		expect(client.received[0].type).toBe('conversation_initiation_metadata');

		const first = await client.next('agent_response');
		expect(first.agent_response_event).toEqual({
			agent_response: 'Hallo Anna!',
			event_id: expect.any(Number),
		});
		const audio = await client.next('audio');
		expect(audio.audio_event.event_id).toBe(first.agent_response_event.event_id);
		const tone = Buffer.from(audio.audio_event.audio_base_64, 'base64');
		expect(tone.length).toBe(16000 * 0.3 * 2);
		expect(pcmLevel(tone)).toBeGreaterThan(1000);

		const ping = await client.next('ping');
		client.socket.send(JSON.stringify({ type: 'pong', event_id: ping.ping_event.event_id }));

		// While the store runs, the conversation is in progress with what was said so far.
		const live = await elevenLabs(sandbox).conversationalAi.conversations.get(conversationId);
		expect(live.status).toBe('in-progress');
		expect(live.transcript.map((t) => t.message)).toEqual(['Hallo Anna!']);

		speak(client, 800, 500);
		const heard = await client.next('user_transcript');
		expect(heard.user_transcription_event.user_transcript).toBe(CANDIDATE_LINES.de);
		const reply = await client.next('agent_response');
		expect(reply.agent_response_event.agent_response).toBe(AGENT_REPLIES.de);
		expect(convaiSession(sandbox, conversationId)?.pongs).toEqual([ping.ping_event.event_id]);

		const bodies: string[] = [];
		const receiver = createServer((request, response) => {
			let body = '';
			request.on('data', (part: Buffer) => (body += part.toString()));
			request.on('end', () => {
				bodies.push(body);
				response.end('ok');
			});
		});
		await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
		sandbox.setWebhook({
			url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`,
		});
		const delivered = sandbox.webhooks.waitFor('post_call_transcription', 5000);
		client.socket.close(1000, 'User ended conversation');
		await client.closed;
		await new Promise((resolve) => setTimeout(resolve, 50));
		expect(conversationStore(sandbox).get(conversationId)?.status).toBe('processing');
		conversationStore(sandbox).settleAll();

		const done = await elevenLabs(sandbox).conversationalAi.conversations.get(conversationId);
		expect(done).toMatchObject({
			status: 'done',
			userId: 'k7Qm2xW9pL4t',
			agentId: sandbox.ids.agents.recruitingDe,
		});
		expect(done.transcript.map((t) => [t.role, t.message])).toEqual([
			['agent', 'Hallo Anna!'],
			['user', CANDIDATE_LINES.de],
			['agent', AGENT_REPLIES.de],
		]);
		expect(done.metadata.terminationReason).toBe('Client disconnected');
		expect(done.metadata.conversationInitiationSource).toBe('js_sdk');
		expect(Object.keys(done.analysis?.dataCollectionResults ?? {}).length).toBeGreaterThan(0);
		expect(done.analysis?.evaluationCriteriaResults).toBeDefined();
		expect(done.conversationInitiationClientData?.dynamicVariables).toMatchObject(VARIABLES);
		await delivered;
		const payload = JSON.parse(bodies[0]) as {
			type: string;
			data: { conversation_id: string; user_id: string; transcript: unknown[] };
		};
		expect(payload).toMatchObject({
			type: 'post_call_transcription',
			data: { conversation_id: conversationId, user_id: 'k7Qm2xW9pL4t' },
		});
		expect(payload.data.transcript).toHaveLength(3);
		await new Promise((resolve) => receiver.close(resolve));
	});

	it('a typed user_message is a candidate turn too', async () => {
		const client = await connect(await signedUrl());
		client.socket.send(JSON.stringify(initiation()));
		await client.next('agent_response');
		client.socket.send(JSON.stringify({ type: 'user_message', text: 'Ab März.' }));
		expect((await client.next('user_transcript')).user_transcription_event.user_transcript).toBe(
			'Ab März.',
		);
		client.socket.close(1000);
	});

	it('refuses an override the agent does not allow, and missing variables, with 1008 and the reason', async () => {
		const locked = await connect(await signedUrl(sandbox.ids.agents.noOverrides));
		locked.socket.send(JSON.stringify(initiation()));
		expect(await locked.closed).toEqual({
			code: 1008,
			reason: "Override for field 'agent.first_message' is not allowed by config.",
		});

		const missing = await connect(await signedUrl());
		missing.socket.send(
			JSON.stringify(
				initiation({ conversation_config_override: undefined, dynamic_variables: {} }),
			),
		);
		expect((await missing.closed).reason).toMatch(
			/^Missing required dynamic variables in first message: \{'candidate_name'/,
		);
		expect(conversationStore(sandbox).list()).toEqual([]);
	});

	it('refuses a signature it did not issue, an expired one, and anything before the initiation data', async () => {
		const url = await signedUrl();
		const forged = url.replace(
			/conversation_signature=[^&]+/,
			'conversation_signature=cvsig_forged',
		);
		expect((await (await connect(forged)).closed).reason).toBe('Invalid conversation signature');

		const early = await connect(url);
		early.socket.send(JSON.stringify({ user_audio_chunk: chunk(true) }));
		expect((await early.closed).reason).toBe('Expected conversation_initiation_client_data first');

		sandbox.clock.advance(16 * 60 * 1000);
		expect(await (await connect(url)).closed).toEqual({
			code: 1008,
			reason: 'Conversation signature expired',
		});
	});
});

describe('turn detection on the candidate audio', () => {
	it('needs sound and then a pause, or a long stretch of sound; silence alone is no turn', () => {
		const detector = new TurnDetector();
		const feed = (sound: boolean, ms: number) => {
			let done = false;
			for (let t = 0; t < ms; t += 20)
				done = detector.feed(Buffer.from(chunk(sound), 'base64')) || done;
			return done;
		};
		expect(feed(false, 2000)).toBe(false);
		expect(feed(true, 300)).toBe(false);
		expect(feed(false, 400)).toBe(false);
		expect(feed(true, 300)).toBe(false);
		expect(feed(false, 400)).toBe(true);
		expect(feed(true, 4000)).toBe(true);
	});
});

describe('the LiveKit stand-in', () => {
	it('records the WebRTC client coming with its token, and refuses (no room in the sandbox)', async () => {
		const { token } = await elevenLabs(sandbox).conversationalAi.conversations.getWebrtcToken({
			agentId: sandbox.ids.agents.recruitingDe,
		});
		const socket = new WebSocket(
			`${sandbox.url.replace(/^http/, 'ws')}/rtc/v1?access_token=${token}&auto_subscribe=1`,
		);
		const error = await new Promise<Error>((resolve) => socket.once('error', resolve));
		expect(error.message).toContain('503');
		expect(livekitAttempts(sandbox)).toEqual([{ path: '/rtc/v1', token }]);
	});
});
