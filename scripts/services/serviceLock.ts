/** One lock for starting or installing the local services, shared by every test run on the machine. */
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import { acquireLock } from '../n8n/installLock';
import { CACHE_NAME } from '../n8n/runtime';

/** Runs `action` while holding the machine-wide services lock (two runs never apt-get at once). */
export async function withServicesLock<T>(action: () => Promise<T>): Promise<T> {
	const release = await acquireLock(
		path.join(tmpdir(), `${CACHE_NAME}-services.lock`),
		'local services',
	);
	try {
		return await action();
	} finally {
		await release();
	}
}
