/** The first bytes of a stream, to check a download before n8n stores it, and the whole again */
import { Readable } from 'node:stream';

/**
 * The first `bytes` of a stream (fewer when it is shorter), and a stream of the whole body again,
 * so that a download can be checked before n8n stores it, without holding all of it in memory.
 */
export async function peekStream(
	source: Readable,
	bytes: number,
): Promise<{ head: Buffer; stream: Readable }> {
	const iterator = source[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
	const chunks: Buffer[] = [];
	let size = 0;
	let ended = false;
	while (size < bytes) {
		const next = await iterator.next();
		if (next.done) {
			ended = true;
			break;
		}
		const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
		chunks.push(chunk);
		size += chunk.length;
	}
	const head = Buffer.concat(chunks);
	async function* whole() {
		yield head;
		if (ended) return;
		for (;;) {
			const next = await iterator.next();
			if (next.done) return;
			yield next.value;
		}
	}
	const stream = Readable.from(whole(), { objectMode: false });
	// Refused or read to the end, the download's connection is let go.
	stream.once('close', () => source.destroy());
	return { head, stream };
}
