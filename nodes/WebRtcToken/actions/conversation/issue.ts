/** Browser conversation: one request per item for the chosen agent, its answer on the item */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { elevenLabsClient } from '../../../shared/vendors/elevenLabsClient';
import type { ElevenLabsConnection } from '../../../shared/vendors/elevenLabsClient';
import type { At } from '../../../shared/vendors/endpoint';
import { mapItems } from '../../../shared/n8n/items';
import type { OutputField } from '../../../shared/n8n/outputFields';
import { readAgentId } from './fields';
import type { LinkToken } from './linkBudget';

/** Both operations' `expiresAt`: computed from ElevenLabs' documented lifetime, not reported. */
export function expiresAtField(lifetime: string): OutputField {
	return {
		name: 'expiresAt',
		type: 'string',
		description: `ISO time it expires: ${lifetime} from the moment the request was sent, so never later than the real expiry`,
	};
}

export interface Issue<T> {
	/** The request of an endpoint (elevenLabsApi.ts), which says what failed. */
	request: (
		connection: ElevenLabsConnection,
		at: At,
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
		const taken = await issue.budget?.(ctx, i, options);
		const sentAt = Date.now();
		let answer: T | undefined;
		try {
			answer = await issue.request(
				connection,
				{ node: ctx.getNode(), itemIndex: i },
				agentId,
				options,
			);
		} finally {
			// Nothing was issued: the link's token is given back.
			if (answer === undefined) await taken?.release();
		}
		if (taken && issue.conversationOf) await taken.issued(issue.conversationOf(answer));
		return { ...item.json, ...issue.output(answer, sentAt) };
	});
}
