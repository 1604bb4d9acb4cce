/** What one execution reads from ElevenLabs, each once: clients, the agent, the phone number */
import { toNodeError } from '../../../shared/n8n/problems';
import type { IExecuteFunctions } from 'n8n-workflow';

import { readPhoneNumber } from '../../../shared/vendors/agentsAndNumbers';
import type { AgentPhoneNumber } from '../../../shared/vendors/agentsAndNumbers';
import { isFinished } from '../../../shared/conversation/conversationStatus';
import { conversationOutput } from '../../../shared/conversation/conversationOutput';
import type { ReachReport } from '../../../shared/ledger/decideAttempt';
import { elevenLabsClient } from '../../../shared/vendors/elevenLabsClient';
import type { ElevenLabsConnection } from '../../../shared/vendors/elevenLabsClient';
import {
	getAgent,
	getConversation,
	getLiveCount,
	listConversations,
} from '../../../shared/vendors/elevenLabsApi';
import type { AgentSettings } from '../../helpers/agentChecks';

/** The value for `key`, loaded once; a failed load is tried again next time when `retry`. */
function once<V>(
	cache: Map<string, Promise<V>>,
	key: string,
	load: () => Promise<V>,
	retry = false,
) {
	let found = cache.get(key);
	if (!found) {
		found = load();
		cache.set(key, found);
		if (retry) found.catch(() => cache.delete(key));
	}
	return found;
}

/** A conversation that was already placed with the candidate's idempotency key. */
export interface PreviousCall {
	conversationId: string;
	status: string;
	startedAt: string;
}

/**
 * What one execution reads from ElevenLabs, each once: the clients, the agent and the phone
 * number (a list of 500 candidates costs one agent lookup, not 500).
 */
export class ElevenLabsLookups {
	private readonly connections = new Map<string, Promise<ElevenLabsConnection>>();
	private readonly agents = new Map<string, Promise<AgentSettings>>();
	private readonly numbers = new Map<string, Promise<AgentPhoneNumber>>();

	constructor(private readonly ctx: IExecuteFunctions) {}

	/** Client for reads (the SDK retries these). */
	async reader(itemIndex: number): Promise<ElevenLabsConnection> {
		return await once(
			this.connections,
			'read',
			() => elevenLabsClient(this.ctx, { itemIndex }),
			true,
		);
	}

	/** Client for requests that dial: retries off; one per request timeout, as items may differ. */
	async dialer(itemIndex: number, timeoutSeconds?: number): Promise<ElevenLabsConnection> {
		const options = { itemIndex, placesCalls: true, timeoutSeconds };
		const key = `dial:${timeoutSeconds ?? ''}`;
		return await once(this.connections, key, () => elevenLabsClient(this.ctx, options), true);
	}

	async agent(agentId: string, itemIndex: number): Promise<AgentSettings> {
		return await once(this.agents, agentId, async () => {
			const connection = await this.reader(itemIndex);
			return await getAgent(connection, { node: this.ctx.getNode(), itemIndex }, agentId);
		});
	}

	async phoneNumber(phoneNumberId: string, itemIndex: number): Promise<AgentPhoneNumber> {
		return await once(this.numbers, phoneNumberId, async () => {
			const connection = await this.reader(itemIndex);
			return await readPhoneNumber(this.ctx.getNode(), connection, phoneNumberId, itemIndex);
		});
	}

	/**
	 * A conversation of this agent carrying the key as `user_id`, started after `sinceUnix`.
	 * The match is confirmed on the conversation itself: a filter the API ignored must neither
	 * skip candidates who were never called nor pass as "not called".
	 */
	async previousCall(
		agentId: string,
		userId: string,
		sinceUnix: number,
		itemIndex: number,
	): Promise<PreviousCall | undefined> {
		const connection = await this.reader(itemIndex);
		const node = this.ctx.getNode();
		const purpose = { action: 'check whether the candidate was already called' };
		const at = { node, itemIndex, purpose };
		const found = await listConversations(connection, at, {
			agentId,
			userId,
			callStartAfterUnix: sinceUnix,
			pageSize: 1,
			summaryMode: 'exclude',
		});
		const summary = found.conversations[0];
		if (!summary) return undefined;
		const full = await getConversation(connection, at, summary.conversationId);
		if (full.userId !== userId) {
			throw toNodeError(
				node,
				{
					message: 'Could not check whether the candidate was already called',
					hint: 'ElevenLabs answered the search by user ID with a conversation of another user, so the check cannot be trusted. Nobody was called. Switch off "Skip If Already Called" only if you are sure this candidate was not called yet.',
				},
				itemIndex,
			);
		}
		return {
			conversationId: summary.conversationId,
			status: summary.status,
			startedAt: new Date(summary.startTimeUnixSecs * 1000).toISOString(),
		};
	}

	/**
	 * Whether an earlier call reached the person: its conversation (found by the key when only
	 * the campaign is known) still running or answered counts as reached; one that cannot be
	 * found (not dialled yet by its batch, or deleted) is unknown.
	 */
	async callReach(
		agentId: string,
		userId: string,
		earlier: { conversationId?: string; claimedAt: number },
		itemIndex: number,
	): Promise<ReachReport> {
		let conversationId = earlier.conversationId;
		if (!conversationId) {
			const since = Math.floor(earlier.claimedAt / 1000) - 60;
			const previous = await this.previousCall(agentId, userId, since, itemIndex);
			// A call that started before this attempt was claimed is an earlier attempt's (a batch's
			// first round before its retry): it says nothing of this one. Start times are whole seconds.
			if (!previous || Date.parse(previous.startedAt) + 1000 < earlier.claimedAt)
				return { reach: 'unknown' };
			conversationId = previous.conversationId;
		}
		const connection = await this.reader(itemIndex);
		const found = conversationId;
		const answer = await getConversation.attempt(connection, found);
		// Deleted since (retention, data minimisation): nobody can say any more whether it reached them.
		if (!answer.ok && answer.failure.status === 404) return { reach: 'unknown' };
		if (!answer.ok) {
			const purpose = { action: 'check whether the last call reached the candidate' };
			throw getConversation.error(
				{ node: this.ctx.getNode(), itemIndex, purpose },
				answer.failure,
				found,
			);
		}
		const conversation = answer.value;
		const started = conversation.metadata?.startTimeUnixSecs;
		const startedAt = started ? started * 1000 : undefined;
		if (!isFinished(conversation.status)) return { reach: 'reached', startedAt };
		const result = conversationOutput(conversation).callResult;
		if (result === 'answered') return { reach: 'reached', startedAt };
		return { reach: result ? 'not_reached' : 'unknown', startedAt };
	}

	/**
	 * How many of the agent's conversations hold a line right now: one request to ElevenLabs' live
	 * count, cheap enough to ask before every dial.
	 */
	async runningCalls(agentId: string, itemIndex: number): Promise<number> {
		const connection = await this.reader(itemIndex);
		const live = await getLiveCount(connection, { node: this.ctx.getNode(), itemIndex }, agentId);
		return live.count;
	}
}
