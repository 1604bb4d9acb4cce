/**
 * A lock between processes that install into the same cache folder: a lock folder (mkdir is
 * atomic) holding the owner's pid. A lock whose owner process is gone is stale and taken over.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';

import { progress, sleep } from '../process';

/** Waits until this process holds the lock; resolves with the function that releases it. */
export async function acquireLock(
	lockDir: string,
	what = 'n8n runtime',
): Promise<() => Promise<void>> {
	const ownerFile = path.join(lockDir, 'pid');
	let waitingSince: number | undefined;
	for (;;) {
		const failure = await mkdir(lockDir).then(
			() => undefined,
			(error: NodeJS.ErrnoException) => error,
		);
		if (!failure) {
			await writeFile(ownerFile, `${process.pid}\n`);
			return async () => await rm(lockDir, { recursive: true, force: true });
		}
		if (failure.code !== 'EEXIST') throw failure;
		const owner = Number((await readFile(ownerFile, 'utf8').catch(() => '')).trim());
		if (owner && !processAlive(owner)) {
			await rm(lockDir, { recursive: true, force: true });
			continue;
		}
		if (!owner && waitingSince !== undefined && Date.now() - waitingSince > 10_000) {
			// Created but never given an owner: its creator died between mkdir and writeFile.
			await rm(lockDir, { recursive: true, force: true });
			continue;
		}
		if (waitingSince === undefined) {
			waitingSince = Date.now();
			progress(`${what}: another process (pid ${owner || '?'}) is installing it; waiting`);
		}
		await sleep(2000);
	}
}

function processAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}
