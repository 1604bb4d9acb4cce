/**
 * A PostgreSQL server of its own for a test that stops and restarts it: made with Debian's
 * `initdb` in a temporary folder, started with `pg_ctl` on a free port of 127.0.0.1 (trust
 * authentication, its socket in the same folder), stopped and deleted by `dispose()`. The shared
 * server on 5432 holds n8n's own database and other test runs' databases, so it is never restarted.
 *
 * The server runs as the OS user `postgres` (`runuser`) when this process is root, as PostgreSQL
 * refuses root; else as this user. Debian's `postgresql` package is installed when missing.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import { aptInstall } from '../debianPackages';
import { formatDuration, freePort, progress, runChecked } from '../process';
import { withServicesLock } from './serviceLock';

const SERVER_ROOT = '/usr/lib/postgresql';
const SUPERUSER = 'postgres';
const isRoot = () => process.getuid?.() === 0;

export interface ThrowawayPostgres {
	host: string;
	port: number;
	/** The superuser, trusted on 127.0.0.1 without a password. */
	user: string;
	database: string;
	/** Runs SQL as the superuser; resolves with the rows, tab-separated fields. */
	query(sql: string): Promise<string[][]>;
	/** `pg_ctl stop -m fast`: the server ends every connection and stops accepting new ones. */
	stop(): Promise<void>;
	/** Starts the stopped server again on the same port and data. */
	start(): Promise<void>;
	/** Stops the server and deletes its folder. */
	dispose(): Promise<void>;
}

/** The newest server version's bin folder, installing Debian's postgresql package when there is none. */
async function serverBin(): Promise<string> {
	const newest = async () =>
		existsSync(SERVER_ROOT)
			? (await readdir(SERVER_ROOT))
					.filter((version) => existsSync(path.join(SERVER_ROOT, version, 'bin', 'initdb')))
					.sort((a, b) => Number(a) - Number(b))
					.at(-1)
			: undefined;
	let version = await newest();
	if (!version) {
		await withServicesLock(async () => {
			if (!(await newest())) await aptInstall(['postgresql'], 'PostgreSQL is not installed');
		});
		version = await newest();
		if (!version) throw new Error(`PostgreSQL is installed, but ${SERVER_ROOT} has no initdb`);
	}
	return path.join(SERVER_ROOT, version, 'bin');
}

/** Runs a server binary as the server's OS user. */
async function asServerUser(command: string, args: string[], timeoutMs = 120_000) {
	return isRoot()
		? await runChecked('runuser', ['-u', SUPERUSER, '--', command, ...args], { timeoutMs })
		: await runChecked(command, args, { timeoutMs });
}

/** Makes and starts a server; `label` names it in progress lines and its folder. */
export async function startThrowawayPostgres(label: string): Promise<ThrowawayPostgres> {
	const began = Date.now();
	const bin = await serverBin();
	const folder = await mkdtemp(path.join(tmpdir(), `${label.replace(/\W+/g, '-')}-pg-`));
	if (isRoot()) await runChecked('chown', [`${SUPERUSER}:`, folder]);
	const data = path.join(folder, 'data');
	const log = path.join(folder, 'server.log');
	const port = await freePort();
	const pgCtl = path.join(bin, 'pg_ctl');
	const options = `-p ${port} -c listen_addresses=127.0.0.1 -k ${folder}`;
	const start = async () => {
		await asServerUser(pgCtl, ['-D', data, '-l', log, '-o', options, '-w', '-t', '60', 'start']);
	};
	const stop = async (mode: 'fast' | 'immediate') => {
		await asServerUser(pgCtl, ['-D', data, '-m', mode, '-w', '-t', '60', 'stop']);
	};
	let made = false;
	try {
		await asServerUser(path.join(bin, 'initdb'), [
			'-D',
			data,
			'-U',
			SUPERUSER,
			'--auth=trust',
			'--encoding=UTF8',
			'--no-locale',
			'--no-sync',
		]);
		await start();
		made = true;
	} finally {
		// On failure nothing is handed to the caller: remove what was made.
		if (!made) await rm(folder, { recursive: true, force: true });
	}
	progress(
		`${label}: PostgreSQL of its own on 127.0.0.1:${port} (${formatDuration(Date.now() - began)})`,
	);
	let running = true;
	return {
		host: '127.0.0.1',
		port,
		user: SUPERUSER,
		database: 'postgres',
		query: async (sql) => {
			const args = ['-X', '-q', '-At', '-F', '\t', '-v', 'ON_ERROR_STOP=1'];
			const target = ['-h', '127.0.0.1', '-p', String(port), '-U', SUPERUSER, '-d', 'postgres'];
			const result = await runChecked('psql', [...args, ...target, '-c', sql], {
				timeoutMs: 60_000,
			});
			return result.stdout
				.split('\n')
				.filter((line) => line !== '')
				.map((line) => line.split('\t'));
		},
		stop: async () => {
			await stop('fast');
			running = false;
			progress(`${label}: PostgreSQL on ${port} stopped`);
		},
		start: async () => {
			await start();
			running = true;
			progress(`${label}: PostgreSQL on ${port} started again`);
		},
		dispose: async () => {
			if (running) await stop('immediate').catch(() => undefined);
			running = false;
			await rm(folder, { recursive: true, force: true });
		},
	};
}
