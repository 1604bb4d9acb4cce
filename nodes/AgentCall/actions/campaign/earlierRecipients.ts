/** Campaign → Submit: recipients of the agent's earlier campaigns, by idempotency key */
import type { IExecuteFunctions } from 'n8n-workflow';

import { getBatchCall, listBatchCalls } from '../../../shared/vendors/elevenLabsApi';
import { elevenLabsPages, nextDoc } from '../../../shared/vendors/elevenLabsPages';
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
	const purpose = { action: "read the agent's earlier campaigns" };
	const at = { node: ctx.getNode(), itemIndex: 0, purpose };
	const pages = elevenLabsPages({
		maxPages: MAX_PAGES,
		next: nextDoc,
		page: async (lastDoc) =>
			await listBatchCalls(connection, at, { agentId, limit: PAGE_SIZE, lastDoc }),
	});
	const keys = new Map<string, string>();
	for await (const page of pages) {
		for (const batch of page.batchCalls) {
			if (batch.agentId !== agentId || batch.createdAtUnix < sinceUnix) continue;
			const detail = await getBatchCall(connection, at, batch.id);
			for (const r of detail.recipients) {
				const key = r.conversationInitiationClientData?.userId;
				if (key && r.status !== 'cancelled') keys.set(key, batch.id);
			}
		}
	}
	return keys;
}
