/**
 * What the calling benchmarks read off the sandbox: how many of an agent's lines were busy over
 * time (time-weighted, in real time), every call's length, and who was dialled how often.
 */
import type { Sandbox } from '../sandbox';
import { conversationStore } from '../sandbox/conversations';
import type { ConversationStatus } from '../sandbox/conversations';

const holdsLine = (status: ConversationStatus | undefined) =>
	status === 'initiated' || status === 'in-progress';

export interface LineUsage {
	/** Time-weighted average of busy lines between two moments (ms since the epoch). */
	averageBusy(from: number, to: number): number;
	/** The moment of the first and of the last dial. */
	firstDialAt(): number;
	lastDialAt(): number;
	/** Sum of every call's time on the line (ringing and talking), in real ms. */
	totalCallMs(): number;
	/** The longest of those times, in real ms. */
	longestCallMs(): number;
	/** Resolves, when none of the agent's calls holds a line any more, with the moment the last one ended. */
	allEnded(): Promise<number>;
	/** People (numbers) with more than one call. */
	dialledTwice(): number;
	/** People (numbers) dialled at least once. */
	dialledPeople(): number;
}

export function trackLines(sandbox: Sandbox, agentId: string): LineUsage {
	const store = conversationStore(sandbox);
	// Each change of the busy count: [moment, busy lines from then on].
	const steps: Array<[number, number]> = [[Date.now(), 0]];
	const startedAt = new Map<string, number>();
	let callMs = 0;
	let longestMs = 0;
	let busy = 0;
	store.onChange((conversation, previous) => {
		if (conversation.agentId !== agentId) return;
		const now = Date.now();
		const was = holdsLine(previous);
		const is = holdsLine(conversation.status);
		if (is && !was) startedAt.set(conversation.conversationId, now);
		if (was && !is) {
			const lasted = now - (startedAt.get(conversation.conversationId) ?? now);
			callMs += lasted;
			longestMs = Math.max(longestMs, lasted);
		}
		busy += Number(is) - Number(was);
		steps.push([now, busy]);
	});
	const callsPerPerson = () => {
		const perNumber = new Map<string, number>();
		for (const c of store.list({ agentId })) {
			const number = c.phoneCall?.externalNumber ?? String(c.userId);
			perNumber.set(number, (perNumber.get(number) ?? 0) + 1);
		}
		return perNumber;
	};
	const dialMoments = () => [...startedAt.values()].sort((a, b) => a - b);
	return {
		averageBusy(from, to) {
			let area = 0;
			for (let i = 0; i < steps.length; i++) {
				const start = Math.max(steps[i][0], from);
				const end = Math.min(steps[i + 1]?.[0] ?? to, to);
				if (end > start) area += steps[i][1] * (end - start);
			}
			return to > from ? area / (to - from) : 0;
		},
		firstDialAt: () => dialMoments()[0] ?? Date.now(),
		lastDialAt: () => dialMoments().at(-1) ?? Date.now(),
		totalCallMs: () => callMs,
		longestCallMs: () => longestMs,
		async allEnded() {
			while (store.activeCount(agentId) > 0)
				await new Promise((resolve) => setTimeout(resolve, 100));
			return steps.at(-1)![0];
		},
		dialledTwice: () => [...callsPerPerson().values()].filter((n) => n > 1).length,
		dialledPeople: () => callsPerPerson().size,
	};
}
