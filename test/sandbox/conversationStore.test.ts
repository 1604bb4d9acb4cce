/** The conversation store: calls moving through their statuses on the (real or injected) clock, and its queries. */
import { ConversationStore } from '../../sandbox/conversations';
import type { ConversationStatus } from '../../sandbox/conversations';

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('sandbox conversation store', () => {
	let store: ConversationStore;
	afterEach(() => store.close());

	it('moves an answered call through initiated → in-progress → processing → done', async () => {
		store = new ConversationStore({ ringMs: 5, talkMs: 10, processingMs: 5 });
		const seen: ConversationStatus[] = [];
		store.onChange((c) => seen.push(c.status));
		const c = store.create({
			agentId: 'agent_a',
			source: 'twilio',
			userId: 'key1',
			outcome: { callResult: 'answered' },
		});
		expect(store.activeCount('agent_a')).toBe(1);
		await wait(60);
		expect(seen).toEqual(['initiated', 'in-progress', 'processing', 'done']);
		expect(store.get(c.conversationId)).toMatchObject({ status: 'done', callResult: 'answered' });
		expect(store.activeCount('agent_a')).toBe(0);
	});

	it('fails a busy call without talking, and a conversation that cannot start after pick-up', () => {
		store = new ConversationStore();
		const busy = store.create({ agentId: 'a', source: 'twilio', outcome: { callResult: 'busy' } });
		const broken = store.create({
			agentId: 'a',
			source: 'twilio',
			outcome: {
				callResult: 'answered',
				error: 'Missing required dynamic variables in first message: {name}',
			},
		});
		store.settleAll();
		expect(busy).toMatchObject({ status: 'failed', callResult: 'busy' });
		expect(broken).toMatchObject({
			status: 'failed',
			terminationReason: expect.stringContaining('dynamic variables'),
		});
		expect(busy.history.map((h) => h.status)).toEqual(['initiated', 'failed']);
	});

	it('lists by agent, user id, start time and status, newest first', () => {
		let now = 1_700_000_000_000;
		store = new ConversationStore({}, { now: () => now, after: () => ({ cancel() {} }) });
		const first = store.create({
			agentId: 'a',
			source: 'twilio',
			userId: 'u1',
			outcome: { callResult: 'answered' },
		});
		now += 60_000;
		const second = store.create({
			agentId: 'a',
			source: 'twilio',
			userId: 'u2',
			outcome: { callResult: 'answered' },
		});
		store.create({
			agentId: 'b',
			source: 'twilio',
			userId: 'u1',
			outcome: { callResult: 'answered' },
		});
		expect(store.list({ agentId: 'a' }).map((c) => c.conversationId)).toEqual([
			second.conversationId,
			first.conversationId,
		]);
		expect(store.list({ agentId: 'a', userId: 'u1' })).toEqual([first]);
		expect(store.list({ agentId: 'a', startAfterUnix: first.startTimeUnixSecs + 1 })).toEqual([
			second,
		]);
		expect(store.list({ agentId: 'a', excludeStatuses: ['initiated'] })).toEqual([]);
	});
});
