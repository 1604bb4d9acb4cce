import type { IExecuteFunctions } from 'n8n-workflow';

import {
	elevenLabsPages,
	elevenLabsRequest,
	nextDoc,
} from '../../../shared/vendors/elevenLabsTransport';
import type { ElevenLabsLookups } from '../common/lookups';

const PAGE_SIZE = 100;
/** Enough pages for any workspace's history of campaigns; a bound, so a broken cursor cannot loop. */
const MAX_PAGES = 100;

/**
 * Idempotency key → campaign ID, for the recipients of this agent's earlier campaigns since
 * `sinceUnix` that were (or will be) called: all but the ones cancelled for them.
 */
export async function earlierRecipients(
	ctx: IExecuteFunctions,
	lookups: ElevenLabsLookups,
	agentId: string,
	sinceUnix: number,
): Promise<Map<string, string>> {
	const connection = await lookups.reader(0);
	const context = { action: "read the agent's earlier campaigns", itemIndex: 0 };
	const pages = elevenLabsPages(ctx.getNode(), connection, {
		...context,
		maxPages: MAX_PAGES,
		next: nextDoc,
		page: async (client, lastDoc) =>
			await client.conversationalAi.batchCalls.list({ agentId, limit: PAGE_SIZE, lastDoc }),
	});
	const keys = new Map<string, string>();
	for await (const page of pages) {
		for (const batch of page.batchCalls) {
			if (batch.agentId !== agentId || batch.createdAtUnix < sinceUnix) continue;
			const detail = await elevenLabsRequest(ctx.getNode(), connection, context, (client) =>
				client.conversationalAi.batchCalls.get(batch.id),
			);
			for (const r of detail.recipients) {
				const key = r.conversationInitiationClientData?.userId;
				if (key && r.status !== 'cancelled') keys.set(key, batch.id);
			}
		}
	}
	return keys;
}
