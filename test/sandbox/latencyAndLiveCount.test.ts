/** Sandbox tests: latency set by the admin API, an agent's live call count, seeded lengths */
import { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';

import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { conversationStore } from '../../sandbox/conversations';

let sandbox: Sandbox;
let client: ElevenLabsClient;

beforeAll(async () => {
	sandbox = await startSandbox();
	client = new ElevenLabsClient({ apiKey: sandbox.apiKey, baseUrl: sandbox.url, maxRetries: 0 });
});
afterAll(async () => await sandbox.close());
afterEach(() => sandbox.reset());

test('latency: every vendor request waits the set time; the admin API sets it', async () => {
	sandbox.setLatency(250);
	const started = Date.now();
	await client.conversationalAi.agents.get(sandbox.ids.agents.recruitingDe);
	expect(Date.now() - started).toBeGreaterThanOrEqual(250);
	const set = await fetch(`${sandbox.url}/_sandbox/latency`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ ms: 0 }),
	});
	expect(await set.json()).toEqual({ latencyMs: 0 });
	expect(
		(
			await fetch(`${sandbox.url}/_sandbox/latency`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: '{"ms":-1}',
			})
		).status,
	).toBe(400);
});

test('live count: the conversations of an agent that hold a line now, through the SDK', async () => {
	const agentId = sandbox.ids.agents.recruitingDe;
	expect(await client.conversationalAi.analytics.liveCount.get({ agentId })).toEqual({ count: 0 });
	for (const toNumber of [sandbox.scenarios.answered.number, sandbox.scenarios.voicemail.number]) {
		await client.conversationalAi.twilio.outboundCall({
			agentId,
			agentPhoneNumberId: sandbox.ids.phoneNumbers.twilioDe,
			toNumber,
		});
	}
	expect(await client.conversationalAi.analytics.liveCount.get({ agentId })).toEqual({ count: 2 });
	expect(
		await client.conversationalAi.analytics.liveCount.get({
			agentId: sandbox.ids.agents.noOverrides,
		}),
	).toEqual({ count: 0 });
	expect(
		await client.conversationalAi.analytics.liveCount.get({
			agentIds: [agentId, sandbox.ids.agents.noOverrides],
		}),
	).toEqual({ count: 2 });
	expect(await client.conversationalAi.analytics.liveCount.get()).toEqual({ count: 2 });
	const other = new ElevenLabsClient({
		apiKey: sandbox.otherWorkspaceApiKey,
		baseUrl: sandbox.url,
		maxRetries: 0,
	});
	expect(await other.conversationalAi.analytics.liveCount.get()).toEqual({ count: 0 });
});

test('call lengths: answered calls last a seeded length within the range, the same in every run', async () => {
	const lengths = { minSecs: 10, maxSecs: 40, seed: 'bench-1' };
	const talkOf = async (box: Sandbox) => {
		const sdk = new ElevenLabsClient({ apiKey: box.apiKey, baseUrl: box.url, maxRetries: 0 });
		const numbers = Array.from({ length: 12 }, (_, n) => `+4917133${String(n).padStart(5, '0')}`);
		for (const toNumber of [...numbers, box.scenarios.busy.number]) {
			await sdk.conversationalAi.twilio.outboundCall({
				agentId: box.ids.agents.noOverrides,
				agentPhoneNumberId: box.ids.phoneNumbers.twilioDe,
				toNumber,
			});
			conversationStore(box).settleAll(); // frees the line: the agent has five
		}
		return conversationStore(box)
			.list({ ascending: true })
			.map((c) => c.outcome.talkSecs);
	};
	const first = await startSandbox({ callLengths: lengths });
	const again = await startSandbox({ callLengths: lengths });
	try {
		const talk = await talkOf(first);
		expect(talk.at(-1)).toBe(0); // nobody talks on a busy line
		const answered = talk.slice(0, -1) as number[];
		for (const secs of answered) {
			expect(secs).toBeGreaterThanOrEqual(10);
			expect(secs).toBeLessThanOrEqual(40);
		}
		expect(new Set(answered).size).toBeGreaterThan(6);
		expect(await talkOf(again)).toEqual(talk);
	} finally {
		await first.close();
		await again.close();
	}
});
