/**
 * Every ElevenLabs request goes through here: one SDK call at a time, its failure read into
 * plain, redacted values (attempt) or turned into our error with what to change (request), and
 * cursor lists paged in one place (pages).
 */
import type { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import type { INode } from 'n8n-workflow';

import type { ElevenLabsConnection } from './elevenLabsClient';
import { attempt, elevenLabsFailure, vendorApiError } from './errors';
import type { Attempt, FailureContext } from './errors';

type SdkCall<T> = (client: ElevenLabsClient) => Promise<T>;

/** Runs one SDK call and keeps its failure as a value (a 404 that is fine, a dial's outcome). */
export async function attemptElevenLabs<T>(
	connection: ElevenLabsConnection,
	call: SdkCall<T>,
): Promise<Attempt<T>> {
	return await attempt(
		() => call(connection.client),
		(error) => elevenLabsFailure(error, connection.secrets),
	);
}

/** Runs one SDK call; a failure becomes our NodeApiError (what failed, what to do, item index). */
export async function elevenLabsRequest<T>(
	node: INode,
	connection: ElevenLabsConnection,
	context: FailureContext,
	call: SdkCall<T>,
): Promise<T> {
	const answer = await attemptElevenLabs(connection, call);
	if (answer.ok) return answer.value;
	throw vendorApiError(node, 'ElevenLabs', answer.failure, context);
}

/** Where a list answer says the next page starts; undefined on the last page. */
export type NextCursor<P> = (page: P) => string | undefined;

/** Conversations and agents: `next_cursor` with `has_more`. */
export const nextCursor: NextCursor<{ hasMore: boolean; nextCursor?: string }> = (page) =>
	page.hasMore ? page.nextCursor : undefined;

/** Batch calls: `next_doc` with `has_more`. */
export const nextDoc: NextCursor<{ hasMore?: boolean; nextDoc?: string }> = (page) =>
	page.hasMore ? page.nextDoc : undefined;

export interface PageRequest<P> extends FailureContext {
	/** Fetches the page that starts at the cursor (undefined: the first). */
	page: (client: ElevenLabsClient, cursor: string | undefined) => Promise<P>;
	next: NextCursor<P>;
	/** A bound on the requests, for lists that would otherwise be read without end. */
	maxPages?: number;
}

/** The pages of a cursor list, one request each; a consumer that has enough stops early. */
export async function* elevenLabsPages<P>(
	node: INode,
	connection: ElevenLabsConnection,
	request: PageRequest<P>,
): AsyncGenerator<P> {
	let cursor: string | undefined;
	for (let read = 0; read < (request.maxPages ?? Infinity); read++) {
		const page = await elevenLabsRequest(node, connection, request, (client) =>
			request.page(client, cursor),
		);
		yield page;
		cursor = request.next(page);
		if (!cursor) return;
	}
}
