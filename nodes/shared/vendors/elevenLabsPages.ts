/** Cursor lists of ElevenLabs, paged in one place: each page one request of an endpoint. */

/** Where a list answer says the next page starts; undefined on the last page. */
export type NextCursor<P> = (page: P) => string | undefined;

/** Conversations and agents: `next_cursor` with `has_more`. */
export const nextCursor: NextCursor<{ hasMore: boolean; nextCursor?: string }> = (page) =>
	page.hasMore ? page.nextCursor : undefined;

/** Batch calls: `next_doc` with `has_more`. */
export const nextDoc: NextCursor<{ hasMore?: boolean; nextDoc?: string }> = (page) =>
	page.hasMore ? page.nextDoc : undefined;

export interface PageRequest<P> {
	/** Fetches the page that starts at the cursor (undefined: the first). */
	page: (cursor: string | undefined) => Promise<P>;
	next: NextCursor<P>;
	/** A bound on the requests, for lists that would otherwise be read without end. */
	maxPages?: number;
}

/** The pages of a cursor list, one request each; a consumer that has enough stops early. */
export async function* elevenLabsPages<P>(request: PageRequest<P>): AsyncGenerator<P> {
	let cursor: string | undefined;
	for (let read = 0; read < (request.maxPages ?? Infinity); read++) {
		const page = await request.page(cursor);
		yield page;
		cursor = request.next(page);
		if (!cursor) return;
	}
}
