import type { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { agentNotFoundHint } from '../../../shared/vendors/agentsAndNumbers';
import { elevenLabsClient } from '../../../shared/vendors/elevenLabsClient';
import { elevenLabsRequest } from '../../../shared/vendors/elevenLabsTransport';
import { mapItems } from '../../../shared/n8n/items';
import { readAgentId } from './fields';
import type { LinkToken } from './linkBudget';

export interface Issue<T> {
	/** What is issued, for the message: "a signed URL". */
	what: string;
	request: (
		client: ElevenLabsClient,
		agentId: string,
		options: Record<string, unknown>,
	) => Promise<T>;
	/** The fields the item gets; `sentAt` is when the request left (the lifetime counts from it). */
	output: (answer: T, sentAt: number) => IDataObject;
	/** Takes what the request uses up (a token of the link), settled with the answer's conversation. */
	budget?: (
		ctx: IExecuteFunctions,
		itemIndex: number,
		options: Record<string, unknown>,
	) => Promise<LinkToken | undefined>;
	conversationOf?: (answer: T) => string;
}

/** Both operations: per item one request for the chosen agent, its answer added to the item. */
export async function issuePerItem<T>(
	ctx: IExecuteFunctions,
	issue: Issue<T>,
): Promise<INodeExecutionData[]> {
	const connection = await elevenLabsClient(ctx);
	return await mapItems(ctx, async (item, i) => {
		const agentId = readAgentId(ctx, i);
		const options = ctx.getNodeParameter('options', i, {}) as Record<string, unknown>;
		const context = {
			action: `issue ${issue.what} for agent ${agentId}`,
			itemIndex: i,
			statusHints: { 404: agentNotFoundHint(agentId) },
		};
		const taken = await issue.budget?.(ctx, i, options);
		const sentAt = Date.now();
		let answer: T | undefined;
		try {
			answer = await elevenLabsRequest(ctx.getNode(), connection, context, (client) =>
				issue.request(client, agentId, options),
			);
		} finally {
			// Nothing was issued: the link's token is given back.
			if (answer === undefined) await taken?.release();
		}
		if (taken && issue.conversationOf) await taken.issued(issue.conversationOf(answer));
		return { ...item.json, ...issue.output(answer, sentAt) };
	});
}
