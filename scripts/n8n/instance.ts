/**
 * One n8n user folder (database, config, installed package) and the n8n processes run on it:
 * CLI imports, `n8n execute`, `n8n start`, and, for queue mode, `n8n worker` and `n8n webhook`.
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
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import type { IConnections, INode, INodeExecutionData, IWorkflowSettings } from 'n8n-workflow';

import { formatDuration, freePort, progress, runProcess, tail } from '../process';
import type { RunResult } from '../process';
import { childEnv } from './childEnv';
import { executionResult, parseExecutionOutput } from './executionResult';
import type { ExecutionResult } from './executionResult';
import { httpStatus, N8nProcess, waitForWebhook } from './n8nProcess';
import { installPackage } from './packageInstall';
import { DEFAULT_OWNER, N8nRestClient } from './restClient';
import type { CredentialImport, OwnerAccount } from './restClient';
import { ensureRuntime } from './runtime';
import type { N8nRuntime } from './runtime';

/**
 * Every n8n process of the runner uses this key, so that all of them can read the same database.
 * Derived from a fixed text: it protects nothing but throwaway test instances.
 */
export const E2E_ENCRYPTION_KEY = createHash('sha256')
	.update('n8n-nodes-voice-recruiting e2e')
	.digest('hex');

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
	/** Environment of this process only, over the instance's (e.g. WEBHOOK_URL in queue mode). */
	env?: Record<string, string>;
	/** Default: a free port. */
	port?: number;
}

export interface ProcessOptions {
	/** Flags after the command, e.g. `['--concurrency=5']`. */
	flags?: string[];
	/** Environment of this process only, over the instance's. */
	env?: Record<string, string>;
	/** The log file's name in the user folder; default `n8n-<command>.log`. */
	logName?: string;
	/** Whether the process is ready (polled every 250 ms); default: it printed `readyLine`. */
	ready?: (process: N8nProcess) => boolean | Promise<boolean>;
	/** Default 180 s. */
	timeoutMs?: number;
}

/** What each long-running n8n command prints once it is ready. */
export const READY_LINES = {
	start: 'Editor is now accessible via',
	worker: 'n8n worker is now ready',
	webhook: 'Webhook listener waiting for requests',
} as const;

export type N8nCommand = keyof typeof READY_LINES;

/**
 * One n8n user folder (database, config, installed package) and the n8n processes run on it.
 * Create with `N8nInstance.create()`, end with `dispose()`.
 */
export class N8nInstance {
	/** The started server's base URL (no trailing slash), after `start()`. */
	baseUrl: string | undefined;

	/** `n8n start`, while it runs. */
	private server: N8nProcess | undefined;

	/** The last `n8n start`, kept after it stopped for its log. */
	private lastServer: N8nProcess | undefined;

	/** Every long-running process of this instance that may still run. */
	private readonly processes = new Set<N8nProcess>();

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
		// A clean n8n: settings of the calling shell (N8N_*, DB_*, QUEUE_*) do not leak in.
		for (const key of Object.keys(base))
			if (/^(N8N_|DB_|QUEUE_|EXECUTIONS_)/.test(key)) delete base[key];
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
			// n8n 3.0 removes the in-memory binary mode; filesystem is what a single n8n uses then.
			// Set, not left to 2.41's default, so that no test depends on which default applies.
			N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem',
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
		progress(
			`${this.label}: n8n ${args.join(' ')} → exit ${result.code ?? result.signal} (${formatDuration(result.durationMs)})`,
		);
		return result;
	}

	/** Like `cli()`, but rejects unless n8n exits 0. */
	async cliChecked(args: string[], options: { timeoutMs?: number } = {}): Promise<RunResult> {
		const result = await this.cli(args, options);
		if (result.code !== 0) {
			throw new Error(
				`n8n ${args.join(' ')} failed (${result.code ?? result.signal}):\n${tail(result.stdout + result.stderr, 30)}`,
			);
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
			if (!/^[a-zA-Z0-9]{1,21}$/.test(workflow.id))
				throw new Error(`Workflow id "${workflow.id}" must be 1–21 letters or digits`);
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
	async execute(
		workflowId: string,
		options: { timeoutMs?: number } = {},
	): Promise<ExecutionResult> {
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
	 * Starts a long-running n8n command on this user folder (`worker`, `webhook`, or `start`,
	 * for which `start()` is the usual way) and resolves once it is ready. `dispose()` stops it.
	 */
	async spawn(command: N8nCommand, options: ProcessOptions = {}): Promise<N8nProcess> {
		const env = await this.env({ N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5', ...options.env });
		const started = Date.now();
		const child = N8nProcess.spawn({
			runtime: this.runtime,
			args: [command, ...(options.flags ?? [])],
			cwd: this.userFolder,
			env,
			logFile: path.join(this.userFolder, options.logName ?? `n8n-${command}.log`),
			label: this.label,
		});
		this.processes.add(child);
		const ready =
			options.ready ?? ((process: N8nProcess) => process.log.includes(READY_LINES[command]));
		await child.waitUntilReady(() => ready(child), options.timeoutMs ?? 180_000);
		progress(`${this.label}: n8n ${command} ready in ${formatDuration(Date.now() - started)}`);
		return child;
	}

	/**
	 * `n8n start` on a free port. Resolves with the base URL once `/healthz` answers, n8n has
	 * finished starting, and the given webhooks are registered.
	 */
	async start(options: StartOptions = {}): Promise<string> {
		if (this.server) throw new Error(`${this.label}: already started`);
		const timeoutMs = options.timeoutMs ?? 180_000;
		const started = Date.now();
		const port = options.port ?? (await freePort());
		const baseUrl = `http://127.0.0.1:${port}`;
		this.server = await this.spawn('start', {
			env: {
				N8N_PORT: String(port),
				N8N_LISTEN_ADDRESS: '127.0.0.1',
				N8N_HOST: '127.0.0.1',
				WEBHOOK_URL: `${baseUrl}/`,
				// Published workflows are activated by a reconciler every 10 s by default; 1 s makes
				// webhooks available sooner without changing how they are activated.
				N8N_WORKFLOW_PUBLICATION_RECONCILE_INTERVAL_SECONDS: '1',
				...options.env,
			},
			logName: path.basename(this.serverLogFile),
			ready: async (server) =>
				server.log.includes(READY_LINES.start) && (await httpStatus(`${baseUrl}/healthz`)) === 200,
			timeoutMs,
		});
		this.lastServer = this.server;
		this.baseUrl = baseUrl;
		for (const webhook of options.webhookPaths ?? []) {
			const { path: webhookPath, method } =
				typeof webhook === 'string' ? { path: webhook, method: 'POST' } : webhook;
			await this.waitForWebhook(webhookPath, method, started + timeoutMs - Date.now());
		}
		progress(`${this.label}: n8n ready on ${baseUrl} in ${formatDuration(Date.now() - started)}`);
		return baseUrl;
	}

	/**
	 * Waits until n8n serves the production webhook `/webhook/<path>` for `method`. It asks with a
	 * CORS preflight (OPTIONS), which n8n answers without running the workflow.
	 */
	async waitForWebhook(webhookPath: string, method = 'POST', timeoutMs = 60_000): Promise<void> {
		await waitForWebhook(this.requireStarted(), webhookPath, method, timeoutMs).catch(
			(error: Error) => {
				throw new Error(`${this.label}: ${error.message}`);
			},
		);
	}

	/** Stops `n8n start` (SIGTERM to its process group, SIGKILL after 15 s). */
	async stop(): Promise<void> {
		const server = this.server;
		this.server = undefined;
		this.baseUrl = undefined;
		if (!server) return;
		this.processes.delete(server);
		await server.stop();
	}

	/** Output of the running (or last) `n8n start` so far. */
	get serverLog(): string {
		return this.lastServer?.log ?? '';
	}

	/** Creates the instance owner (`POST /rest/owner/setup`) and returns a client logged in as them. */
	async setupOwner(owner: OwnerAccount = DEFAULT_OWNER): Promise<N8nRestClient> {
		const client = new N8nRestClient(this.requireStarted());
		await client.call('POST', '/rest/owner/setup', owner);
		return client;
	}

	/** Logs in (`POST /rest/login`) and returns the client. */
	async login(
		email = DEFAULT_OWNER.email,
		password = DEFAULT_OWNER.password,
	): Promise<N8nRestClient> {
		const client = new N8nRestClient(this.requireStarted());
		await client.call('POST', '/rest/login', { emailOrLdapLoginId: email, password });
		return client;
	}

	/** Stops every n8n process of this instance and deletes the user folder (kept when N8N_E2E_KEEP=1). */
	async dispose(): Promise<void> {
		await this.stop();
		await Promise.all([...this.processes].map(async (child) => await child.stop()));
		this.processes.clear();
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
