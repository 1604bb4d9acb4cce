/**
 * The sandbox's conversation store: every call the sandbox places (outbound call, register-call,
 * batch recipient) becomes a conversation that moves through ElevenLabs' lifecycle
 * `initiated → in-progress → processing → done`, or `initiated → failed`, on timers scaled for
 * tests. The dialled number decides the result (see scenarios); routes read and list from here,
 * and listeners (post-call webhooks) hear every status change.
 */
import { randomBytes } from 'node:crypto';

export type ConversationStatus = 'initiated' | 'in-progress' | 'processing' | 'done' | 'failed';
export type CallResult = 'answered' | 'voicemail' | 'busy' | 'no_answer' | 'failed';

/** What happens when the number is dialled. */
export interface CallOutcome {
	callResult: CallResult;
	/** Seconds of ringing (clock time); the store's default otherwise. */
	ringSecs?: number;
	/** Seconds an answered call (or a mailbox) talks (clock time); the store's default otherwise. */
	talkSecs?: number;
	/** Why the conversation fails at start although the phone was reached (e.g. a missing variable). */
	error?: string;
}

export interface PhoneCallInfo {
	/** The wire discriminator of ElevenLabs' `metadata.phone_call`. */
	type: 'twilio' | 'sip_trunking';
	direction: 'inbound' | 'outbound';
	phoneNumberId: string;
	agentNumber: string;
	externalNumber: string;
	callSid?: string;
	callId?: string;
}

export interface ConversationRecord {
	conversationId: string;
	agentId: string;
	userId?: string;
	status: ConversationStatus;
	/** Creation time in ms (store clock). */
	createdAtMs: number;
	startTimeUnixSecs: number;
	acceptedTimeUnixSecs?: number;
	/** Seconds the call lasted (ringing excluded); grows while in progress. */
	callDurationSecs: number;
	/** ElevenLabs' `conversation_initiation_source`: twilio, sip_trunk, … */
	source: string;
	phoneCall?: PhoneCallInfo;
	/** Known once the phone was answered or gave up. */
	callResult?: CallResult;
	/** The initiation data as sent (SDK camelCase shape): overrides, dynamic variables, user id. */
	clientData?: Record<string, unknown>;
	batchCall?: { batchCallId: string; batchCallRecipientId: string };
	terminationReason?: string;
	error?: { code: number; reason: string };
	/** Every status with the time it was entered (ms, store clock). */
	history: Array<{ status: ConversationStatus; atMs: number }>;
	/** The planned result (kept for transcripts and webhooks). */
	outcome: CallOutcome;
	/**
	 * What was really said, for conversations the sandbox held itself (browser sessions over its
	 * WebSocket): the transcript is these turns instead of the scripted ones.
	 */
	turns?: LiveTurn[];
	/** At a mailbox, when the agent's voicemail tool is on: the message it left ('' for none). */
	voicemail?: { message: string };
}

/** One turn of a live conversation, in ElevenLabs' transcript roles. */
export interface LiveTurn {
	role: 'agent' | 'user';
	message: string;
	timeInCallSecs: number;
}

/** Durations in clock milliseconds (the sandbox Clock runs faster or is advanced in tests). */
export interface ConversationTiming {
	/** Ringing, when the outcome names no `ringSecs`. */
	ringMs: number;
	/** Talking, when the outcome names no `talkSecs`. */
	talkMs: number;
	/** From hang-up to `done` (analysis). */
	processingMs: number;
}

export const DEFAULT_TIMING: ConversationTiming = {
	ringMs: 5_000,
	talkMs: 60_000,
	processingMs: 10_000,
};

export interface NewConversation {
	agentId: string;
	source: string;
	outcome: CallOutcome;
	userId?: string;
	phoneCall?: PhoneCallInfo;
	clientData?: Record<string, unknown>;
	batchCall?: { batchCallId: string; batchCallRecipientId: string };
}

export interface ConversationFilter {
	agentId?: string;
	userId?: string;
	/** Unix seconds, inclusive. */
	startAfterUnix?: number;
	/** Unix seconds, exclusive. */
	startBeforeUnix?: number;
	excludeStatuses?: ConversationStatus[];
	/** Oldest first; newest first by default, as ElevenLabs lists. */
	ascending?: boolean;
}

export type ConversationListener = (
	conversation: ConversationRecord,
	previous: ConversationStatus | undefined,
) => void;

/** Active conversations count against the agent's concurrency limit. */
export const ACTIVE_STATUSES: ReadonlySet<ConversationStatus> = new Set([
	'initiated',
	'in-progress',
]);

const FAILURE_REASONS: Partial<Record<CallResult, string>> = {
	busy: 'busy',
	no_answer: 'no-answer',
	failed: 'failed',
};

/** Time and timers: the sandbox's simulated Clock fits, and so does real time. */
export interface Scheduler {
	now(): number;
	after(ms: number, run: () => void): { cancel(): void };
}

export const realTime: Scheduler = {
	now: () => Date.now(),
	after(ms, run) {
		const timer = setTimeout(run, Math.max(0, ms));
		timer.unref();
		return { cancel: () => clearTimeout(timer) };
	},
};

const ALNUM = '0123456789abcdefghijklmnopqrstuvwxyz';

/** ElevenLabs' id shape: prefix + 28 lower-case alphanumerics. */
function conversationId(): string {
	return `conv_${[...randomBytes(28)].map((b) => ALNUM[b % ALNUM.length]).join('')}`;
}

export class ConversationStore {
	private readonly conversations = new Map<string, ConversationRecord>();
	private readonly timers = new Map<string, { cancel(): void }>();
	/** The next step of each conversation, so that settleAll() can run it early. */
	private readonly pending = new Map<string, () => void>();
	private readonly listeners = new Set<ConversationListener>();
	timing: ConversationTiming;

	constructor(
		timing: Partial<ConversationTiming> = {},
		private readonly clock: Scheduler = realTime,
	) {
		this.timing = { ...DEFAULT_TIMING, ...timing };
	}

	private now(): number {
		return this.clock.now();
	}

	/** A new conversation in `initiated`, stored and announced to the listeners. */
	private add(input: NewConversation, extra: Partial<ConversationRecord> = {}): ConversationRecord {
		const at = this.now();
		const record: ConversationRecord = {
			conversationId: conversationId(),
			agentId: input.agentId,
			userId: input.userId,
			status: 'initiated',
			createdAtMs: at,
			startTimeUnixSecs: Math.floor(at / 1000),
			callDurationSecs: 0,
			source: input.source,
			phoneCall: input.phoneCall,
			clientData: input.clientData,
			batchCall: input.batchCall,
			history: [{ status: 'initiated', atMs: at }],
			outcome: input.outcome,
			...extra,
		};
		this.conversations.set(record.conversationId, record);
		this.emit(record, undefined);
		return record;
	}

	/** Starts a conversation in `initiated` and schedules the rest of its life. */
	create(input: NewConversation): ConversationRecord {
		const record = this.add(input);
		const ringMs =
			input.outcome.ringSecs !== undefined ? input.outcome.ringSecs * 1000 : this.timing.ringMs;
		this.schedule(record, ringMs, () => this.afterRinging(record));
		return record;
	}

	/**
	 * A conversation the sandbox holds live (a browser session): in progress at once, no ringing
	 * and no timers; its turns are added as they are said, and endLive() finishes it.
	 */
	openLive(input: Omit<NewConversation, 'outcome'>): ConversationRecord {
		const record = this.add(
			{ ...input, outcome: { callResult: 'answered' } },
			{ acceptedTimeUnixSecs: Math.floor(this.now() / 1000), callResult: 'answered', turns: [] },
		);
		this.setStatus(record, 'in-progress');
		return record;
	}

	/** Ends a live conversation: processing, then done after the analysis time, like a call. */
	endLive(record: ConversationRecord, terminationReason: string): void {
		if (record.status !== 'in-progress') return;
		record.callDurationSecs = Math.max(1, Math.round((this.now() - record.createdAtMs) / 1000));
		record.terminationReason = terminationReason;
		this.setStatus(record, 'processing');
		this.schedule(record, this.timing.processingMs, () => this.setStatus(record, 'done'));
	}

	get(conversationId: string): ConversationRecord | undefined {
		return this.conversations.get(conversationId);
	}

	list(filter: ConversationFilter = {}): ConversationRecord[] {
		const out = [...this.conversations.values()].filter(
			(c) =>
				(!filter.agentId || c.agentId === filter.agentId) &&
				(filter.userId === undefined || c.userId === filter.userId) &&
				(filter.startAfterUnix === undefined || c.startTimeUnixSecs >= filter.startAfterUnix) &&
				(filter.startBeforeUnix === undefined || c.startTimeUnixSecs < filter.startBeforeUnix) &&
				!(filter.excludeStatuses ?? []).includes(c.status),
		);
		out.sort(
			(a, b) => a.createdAtMs - b.createdAtMs || a.conversationId.localeCompare(b.conversationId),
		);
		return filter.ascending ? out : out.reverse();
	}

	/** Conversations of an agent that hold a line now (initiated or in progress). */
	activeCount(agentId: string): number {
		let n = 0;
		for (const c of this.conversations.values())
			if (c.agentId === agentId && ACTIVE_STATUSES.has(c.status)) n++;
		return n;
	}

	delete(conversationId: string): boolean {
		this.clearTimer(conversationId);
		return this.conversations.delete(conversationId);
	}

	/** Listens to every status change (also the first, `initiated`); returns the unsubscribe. */
	onChange(listener: ConversationListener): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	/** Runs every pending step at once: all conversations end as planned (for tests). */
	settleAll(): void {
		for (let guard = 0; guard < 10 && this.pending.size; guard++) {
			for (const [id, timer] of [...this.timers]) {
				timer.cancel();
				this.timers.delete(id);
				const step = this.pending.get(id);
				this.pending.delete(id);
				step?.();
			}
		}
	}

	/** Stops every timer (server shutdown). */
	close(): void {
		for (const timer of this.timers.values()) timer.cancel();
		this.timers.clear();
		this.pending.clear();
		this.listeners.clear();
	}

	private schedule(record: ConversationRecord, ms: number, step: () => void) {
		this.clearTimer(record.conversationId);
		this.pending.set(record.conversationId, step);
		const timer = this.clock.after(ms, () => {
			this.timers.delete(record.conversationId);
			this.pending.delete(record.conversationId);
			step();
		});
		this.timers.set(record.conversationId, timer);
	}

	private clearTimer(id: string) {
		this.timers.get(id)?.cancel();
		this.timers.delete(id);
		this.pending.delete(id);
	}

	private setStatus(record: ConversationRecord, status: ConversationStatus) {
		if (!this.conversations.has(record.conversationId)) return;
		const previous = record.status;
		record.status = status;
		record.history.push({ status, atMs: this.now() });
		this.emit(record, previous);
	}

	private afterRinging(record: ConversationRecord) {
		const { outcome } = record;
		const failure = FAILURE_REASONS[outcome.callResult];
		if (failure) {
			record.callResult = outcome.callResult;
			record.terminationReason = `Call ${failure}`;
			record.error = { code: 1000, reason: failure };
			this.setStatus(record, 'failed');
			return;
		}
		record.acceptedTimeUnixSecs = Math.floor(this.now() / 1000);
		record.callResult = outcome.callResult;
		if (outcome.error) {
			// The phone was picked up, then the conversation could not start (e.g. missing variables).
			record.terminationReason = outcome.error;
			record.error = { code: 1008, reason: outcome.error };
			this.setStatus(record, 'failed');
			return;
		}
		this.setStatus(record, 'in-progress');
		const talkMs = outcome.talkSecs !== undefined ? outcome.talkSecs * 1000 : this.timing.talkMs;
		this.schedule(record, talkMs, () => {
			record.callDurationSecs = Math.round(talkMs / 1000);
			record.terminationReason =
				outcome.callResult === 'voicemail' ? 'Voicemail detected' : 'Call ended by remote party';
			this.setStatus(record, 'processing');
			this.schedule(record, this.timing.processingMs, () => this.setStatus(record, 'done'));
		});
	}

	private emit(record: ConversationRecord, previous: ConversationStatus | undefined) {
		for (const listener of this.listeners) {
			try {
				listener(record, previous);
			} catch {
				// A failing listener (e.g. a webhook receiver that is gone) must not stop the lifecycle.
			}
		}
	}
}

const stores = new WeakMap<object, ConversationStore>();

/**
 * The conversation store of a sandbox, on the sandbox's clock: one per store generation (a reset
 * refills `state` with new collections, so the agents map marks the generation). Every route that
 * places, lists or reads conversations uses this; tests pass the Sandbox object itself.
 */
export function conversationStore(ctx: {
	readonly state: { readonly agents: object };
	readonly clock: Scheduler;
}): ConversationStore {
	let store = stores.get(ctx.state.agents);
	if (!store) {
		store = new ConversationStore({}, ctx.clock);
		stores.set(ctx.state.agents, store);
	}
	return store;
}
