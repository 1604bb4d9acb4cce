/**
 * The demo's candidate who opens the interview link from the follow-up text: reads the text the
 * sandbox's Twilio took, loads the page from n8n as a browser does, and talks on the ConvAI
 * WebSocket of the signed URL the page carries, as the pinned @elevenlabs/client does (the client
 * data first, a pong for each ping, then the candidate's turns, then the close). No Chromium: the
 * page's own script is not run, its session data is used as that script would use it.
 */
import WebSocket from 'ws';

import type { Sandbox } from '../sandbox';
import { sandboxMessages } from '../sandbox/routes/twilioMessages';

/** A desktop browser: the example's webhook ignores bots (headless user agents). */
const BROWSER_UA =
	'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36';

/** What the candidate says in the browser (the sandbox cannot transcribe speech: text turns). */
const LINES = [
	'Ja, ich bin einverstanden.',
	'Ich arbeite seit fünf Jahren als Pflegefachkraft und könnte im Februar anfangen.',
	'Danke, auf Wiederhören.',
];

interface SessionData {
	connectionType: 'websocket' | 'webrtc';
	signedUrl?: string;
	dynamicVariables?: Record<string, string | number | boolean>;
}

/** The interview link in the first text to `e164`, once the sandbox's Twilio has taken one. */
async function linkTextedTo(
	sandbox: Sandbox,
	e164: string,
	stop: AbortSignal,
): Promise<string | undefined> {
	while (!stop.aborted) {
		for (const message of sandboxMessages(sandbox).values()) {
			if (message.direction !== 'outbound-api' || message.to !== e164) continue;
			const link = /https?:\/\/\S+/.exec(message.body)?.[0];
			if (link) return link;
		}
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	return undefined;
}

/** The page's session data (`<script type="application/json" id="session-data">`). */
function sessionData(html: string): SessionData {
	const json = /<script type="application\/json" id="session-data">([\s\S]*?)<\/script>/.exec(
		html,
	)?.[1];
	if (!json) throw new Error('The interview page has no session data');
	return JSON.parse(json) as SessionData;
}

/** One conversation on the signed URL: resolves with its id once the socket is closed. */
async function talk(session: SessionData): Promise<string> {
	if (session.connectionType !== 'websocket' || !session.signedUrl)
		throw new Error('The demo’s interview page must hand out a signed WebSocket URL');
	const socket = new WebSocket(`${session.signedUrl}&source=js_sdk&version=1.25.0`, ['convai']);
	const received: Array<{ type: string; [key: string]: unknown }> = [];
	let notify = () => {};
	socket.on('message', (data) => {
		const message = JSON.parse(String(data)) as { type: string; [key: string]: unknown };
		received.push(message);
		if (message.type === 'ping') {
			const event = message.ping_event as { event_id: number };
			socket.send(JSON.stringify({ type: 'pong', event_id: event.event_id }));
		}
		notify();
	});
	const arrived = async (type: string, count = 1) =>
		await new Promise<void>((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error(`No ${type} from the sandbox`)), 15_000);
			notify = () => {
				if (received.filter((m) => m.type === type).length < count) return;
				clearTimeout(timer);
				resolve();
			};
			notify();
		});
	await new Promise((resolve, reject) => {
		socket.once('open', resolve);
		socket.once('error', reject);
	});
	socket.send(
		JSON.stringify({
			type: 'conversation_initiation_client_data',
			dynamic_variables: session.dynamicVariables ?? {},
		}),
	);
	await arrived('conversation_initiation_metadata');
	const metadata = received.find((m) => m.type === 'conversation_initiation_metadata')!;
	const conversationId = String(
		(metadata.conversation_initiation_metadata_event as { conversation_id: string })
			.conversation_id,
	);
	await arrived('agent_response');
	for (const [n, line] of LINES.entries()) {
		socket.send(JSON.stringify({ type: 'user_message', text: line }));
		await arrived('user_transcript', n + 1);
	}
	const closed = new Promise((resolve) => socket.once('close', resolve));
	socket.close(1000);
	await closed;
	return conversationId;
}

/**
 * Waits for the follow-up text to `e164`, opens its link and talks in the browser. Resolves with
 * the conversation id, or undefined when `stop` comes first (no text arrived).
 */
export async function candidateOpensLink(
	sandbox: Sandbox,
	e164: string,
	stop: AbortSignal,
): Promise<string | undefined> {
	const link = await linkTextedTo(sandbox, e164, stop);
	if (!link) return undefined;
	const page = await fetch(link, { headers: { 'user-agent': BROWSER_UA } });
	if (!page.ok) throw new Error(`The interview link answered ${page.status}`);
	return await talk(sessionData(await page.text()));
}
