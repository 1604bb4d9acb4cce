import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions } from 'n8n-workflow';

import { elevenLabsClient } from '../../../shared/elevenLabsClient';
import type { ElevenLabsConnection } from '../../../shared/elevenLabsClient';
import { elevenLabsApiError } from '../../../shared/errors';
import type { AgentSettings } from '../../helpers/agentChecks';

/** The agent phone number as the pre-flight needs it. */
export interface AgentPhoneNumber {
	phoneNumberId: string;
	phoneNumber: string;
	label: string;
	provider: string;
	supportsOutbound?: boolean;
	/** SIP only: whether an outbound trunk is configured. */
	hasOutboundTrunk?: boolean;
}

const PAGE_SIZE = 100;
/** A call that has not ended after this long is not counted as running (stale data). */
const ACTIVE_HORIZON_SECONDS = 3 * 3600;

/**
 * What one execution reads from ElevenLabs, each once: the clients, the agent and the phone
 * number (a list of 500 candidates costs one agent lookup, not 500).
 */
export class ElevenLabsLookups {
	private read?: Promise<ElevenLabsConnection>;
	private dial?: Promise<ElevenLabsConnection>;
	private readonly agents = new Map<string, Promise<AgentSettings>>();
	private readonly numbers = new Map<string, Promise<AgentPhoneNumber>>();

	constructor(private readonly ctx: IExecuteFunctions) {}

	/** Client for reads (the SDK retries these). */
	reader(itemIndex: number): Promise<ElevenLabsConnection> {
		this.read ??= elevenLabsClient(this.ctx, { itemIndex });
		return this.read.catch((error) => {
			this.read = undefined;
			throw error;
		});
	}

	/** Client for requests that dial: retries off. */
	dialer(itemIndex: number, timeoutSeconds?: number): Promise<ElevenLabsConnection> {
		this.dial ??= elevenLabsClient(this.ctx, { itemIndex, placesCalls: true, timeoutSeconds });
		return this.dial.catch((error) => {
			this.dial = undefined;
			throw error;
		});
	}

	agent(agentId: string, itemIndex: number): Promise<AgentSettings> {
		let found = this.agents.get(agentId);
		if (!found) {
			found = this.reader(itemIndex).then(async ({ client, secrets }) => {
				try {
					return (await client.conversationalAi.agents.get(agentId)) as AgentSettings;
				} catch (error) {
					throw elevenLabsApiError(this.ctx.getNode(), error, secrets, {
						action: `load the agent "${agentId}"`,
						itemIndex,
						hints: {
							document_not_found: `No agent "${agentId}" in the workspace of this API key. Pick the agent from the list, or use a key of the workspace the agent belongs to.`,
						},
					});
				}
			});
			this.agents.set(agentId, found);
		}
		return found;
	}

	phoneNumber(phoneNumberId: string, itemIndex: number): Promise<AgentPhoneNumber> {
		let found = this.numbers.get(phoneNumberId);
		if (!found) {
			found = this.reader(itemIndex).then(async ({ client, secrets }) => {
				try {
					const n = await client.conversationalAi.phoneNumbers.get(phoneNumberId);
					const trunk = n.provider === 'sip_trunk' ? (n.outboundTrunk ?? n.providerConfig) : undefined;
					return {
						phoneNumberId: n.phoneNumberId,
						phoneNumber: n.phoneNumber,
						label: n.label,
						provider: n.provider,
						supportsOutbound: n.supportsOutbound,
						hasOutboundTrunk: n.provider === 'sip_trunk' ? Boolean(trunk?.address) && trunk?.hasOutboundTrunk !== false : undefined,
					};
				} catch (error) {
					throw elevenLabsApiError(this.ctx.getNode(), error, secrets, {
						action: `load the agent phone number "${phoneNumberId}"`,
						itemIndex,
						hints: {
							document_not_found: `No phone number "${phoneNumberId}" in the workspace of this API key. Pick the number from the list (ElevenLabs → Phone Numbers), or use a key of that workspace.`,
						},
					});
				}
			});
			this.numbers.set(phoneNumberId, found);
		}
		return found;
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
	): Promise<{ conversationId: string; status: string; startedAt: string } | undefined> {
		const { client, secrets } = await this.reader(itemIndex);
		let found;
		try {
			const result = await client.conversationalAi.conversations.list({
				agentId,
				userId,
				callStartAfterUnix: sinceUnix,
				pageSize: 1,
				summaryMode: 'exclude',
			});
			const summary = result.conversations[0];
			if (!summary) return undefined;
			found = { summary, full: await client.conversationalAi.conversations.get(summary.conversationId) };
		} catch (error) {
			throw elevenLabsApiError(this.ctx.getNode(), error, secrets, {
				action: 'check whether the candidate was already called',
				itemIndex,
			});
		}
		if (found.full.userId !== userId) {
			throw new NodeOperationError(this.ctx.getNode(), 'Could not check whether the candidate was already called', {
				description:
					'ElevenLabs answered the search by user ID with a conversation of another user, so the check cannot be trusted. Nobody was called. Switch off "Skip If Already Called" only if you are sure this candidate was not called yet.',
				itemIndex,
			});
		}
		return {
			conversationId: found.summary.conversationId,
			status: found.summary.status,
			startedAt: new Date(found.summary.startTimeUnixSecs * 1000).toISOString(),
		};
	}

	/** How many of the agent's conversations hold a line right now (initiated or in progress). */
	async runningCalls(agentId: string, itemIndex: number): Promise<number> {
		const { client, secrets } = await this.reader(itemIndex);
		try {
			let count = 0;
			let cursor: string | undefined;
			for (let page = 0; page < 50; page++) {
				const result = await client.conversationalAi.conversations.list({
					agentId,
					excludeStatuses: ['processing', 'done', 'failed'],
					callStartAfterUnix: Math.floor(Date.now() / 1000) - ACTIVE_HORIZON_SECONDS,
					pageSize: PAGE_SIZE,
					summaryMode: 'exclude',
					cursor,
				});
				count += result.conversations.filter((c) => c.status === 'initiated' || c.status === 'in-progress').length;
				if (!result.hasMore || !result.nextCursor) return count;
				cursor = result.nextCursor;
			}
			return count;
		} catch (error) {
			throw elevenLabsApiError(this.ctx.getNode(), error, secrets, {
				action: "count the agent's running calls",
				itemIndex,
			});
		}
	}
}

export function setupError(ctx: IExecuteFunctions, problem: { message: string; hint: string }, itemIndex: number) {
	return new NodeOperationError(ctx.getNode(), problem.message, { description: problem.hint, itemIndex });
}
