/**
 * Cursor paging as ElevenLabs' list endpoints do it (`cursor` and `page_size` in, `has_more` and
 * `next_cursor` out). The cursor is opaque to clients; here it is the offset of the next page.
 */
import { HttpError } from './errors';

export interface CursorPage<T> {
	page: T[];
	hasMore: boolean;
	nextCursor: string | undefined;
}

const encodeCursor = (offset: number) =>
	Buffer.from(JSON.stringify({ offset })).toString('base64url');

/** The offset a cursor stands for; a 422 like the API's for a cursor it did not hand out. */
function decodeCursor(cursor: string): number {
	try {
		const { offset } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as {
			offset?: unknown;
		};
		if (typeof offset === 'number' && Number.isInteger(offset) && offset >= 0) return offset;
	} catch {
		// reported below
	}
	throw new HttpError(422, {
		detail: [
			{
				type: 'value_error',
				loc: ['query', 'cursor'],
				msg: 'Value error, invalid cursor',
				input: cursor,
			},
		],
	});
}

/** The page of `all` that `cursor` (undefined: the first page) points at. */
export function cursorPage<T>(
	all: T[],
	cursor: string | undefined,
	pageSize: number,
): CursorPage<T> {
	const offset = cursor === undefined ? 0 : decodeCursor(cursor);
	const hasMore = offset + pageSize < all.length;
	return {
		page: all.slice(offset, offset + pageSize),
		hasMore,
		nextCursor: hasMore ? encodeCursor(offset + pageSize) : undefined,
	};
}
