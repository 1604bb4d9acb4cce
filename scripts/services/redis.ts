/**
 * Redis on 127.0.0.1:6379 for n8n's queue in the queue-mode tests: started when it is not
 * running, installed from Debian's `redis-server` package when it is missing. Test runs share it
 * and keep apart by key prefixes (QUEUE_BULL_PREFIX, N8N_REDIS_KEY_PREFIX).
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import { aptInstall } from '../debianPackages';
import { formatDuration, progress, runChecked, runProcess, sleep } from '../process';
import { CACHE_NAME } from '../n8n/runtime';
import { withServicesLock } from './serviceLock';

export const REDIS_HOST = '127.0.0.1';
export const REDIS_PORT = 6379;

async function answers(): Promise<boolean> {
	if (!existsSync('/usr/bin/redis-cli')) return false;
	const result = await runProcess(
		'redis-cli',
		['-h', REDIS_HOST, '-p', String(REDIS_PORT), 'ping'],
		{ timeoutMs: 10_000 },
	);
	return result.code === 0 && result.stdout.trim() === 'PONG';
}

/** Starts Redis when it does not answer, installing it from Debian when missing. */
export async function ensureRedis(): Promise<void> {
	if (await answers()) return;
	await withServicesLock(async () => {
		if (await answers()) return;
		if (!existsSync('/usr/bin/redis-server')) {
			await aptInstall(['redis-server'], 'Redis is not installed');
			// The package's own start (where the machine has an init system) may have started it.
			if (await answers()) return;
		}
		// Root: Debian's own folders; otherwise a folder of ours. Nothing is persisted either way.
		const dir =
			process.getuid?.() === 0 && existsSync('/var/lib/redis')
				? '/var/lib/redis'
				: path.join(tmpdir(), `${CACHE_NAME}-redis`);
		const logDir = dir === '/var/lib/redis' ? '/var/log/redis' : dir;
		await mkdir(logDir, { recursive: true });
		const args = [
			'--daemonize',
			'yes',
			'--bind',
			`${REDIS_HOST} -::1`,
			'--port',
			String(REDIS_PORT),
			'--save',
			'',
			'--appendonly',
			'no',
		];
		args.push('--dir', dir, '--logfile', path.join(logDir, 'ci.log'));
		progress(
			`Redis is not running on ${REDIS_HOST}:${REDIS_PORT}: starting it (redis-server ${args.join(' ')})`,
		);
		const started = Date.now();
		await runChecked('redis-server', args, { timeoutMs: 60_000 });
		while (!(await answers())) {
			if (Date.now() - started > 30_000)
				throw new Error(
					`redis-server started but does not answer on ${REDIS_HOST}:${REDIS_PORT} (log: ${logDir}/ci.log)`,
				);
			await sleep(250);
		}
		progress(`Redis: running (${formatDuration(Date.now() - started)})`);
	});
}
