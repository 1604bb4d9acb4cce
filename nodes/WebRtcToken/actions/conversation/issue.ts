import type { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { agentNotFoundHint } from '../../../shared/agentsAndNumbers';
import { elevenLabsClient } from '../../../shared/elevenLabsClient';
import { elevenLabsRequest } from '../../../shared/elevenLabsTransport';
import { mapItems } from '../../../shared/items';
import { readAgentId } from './fields';

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
		const sentAt = Date.now();
		const answer = await elevenLabsRequest(ctx.getNode(), connection, context, (client) =>
			issue.request(client, agentId, options),
		);
		return { ...item.json, ...issue.output(answer, sentAt) };
	});
}
