/**
 * n8n in queue mode as deploy/docker-compose.yml runs it, with the processes started directly
 * instead of in containers: `n8n start` (main), the workers (`n8n worker`) and the webhook
 * processor (`n8n webhook`), each on its own user folder with the packed package installed (as
 * the image has it in ~/.n8n/nodes), on a fresh PostgreSQL database and the local Redis.
 *
 * Each process gets the environment the compose file gives its service, with the variables of
 * deploy/.env.example. The test fills in what a team fills into .env (the database role, a fresh
 * database name, the encryption key, the URLs on 127.0.0.1) and changes only what processes on one
 * machine cannot share: hosts, ports, Redis key prefixes and folders (`TEST_OVERRIDES`). What
 * the compose file leaves to n8n's defaults gets a test instance's settings (`N8nInstance`: no
 * diagnostics or version checks; main activates newly published workflows within a second).
 *
 * @example
 *   const cluster = await N8nCluster.create({ tarball });
 *   await cluster.importCredentials(sandbox.n8nCredentials());
 *   await cluster.importWorkflows([workflow]);
 *   await cluster.publish(workflow.id);
 *   await cluster.start({ webhookPaths: ['candidate'] });
 *   await fetch(cluster.webhookUrl('candidate'), { method: 'POST', body });
 *   cluster.executionsByWorker(); // → { 'n8n-worker-1': ['3', '5'], 'n8n-worker-2': ['4'] }
 *   await cluster.killWorker('n8n-worker-1'); await cluster.startWorker('n8n-worker-1');
 *   await cluster.dispose();
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';

import { n8nServices, readComposeServices, readEnvFile, roleOf } from '../deploySetUp';
import type { ComposeService } from '../deploySetUp';
import { formatDuration, freePort, progress, sleep } from '../process';
import { createTestDatabase, ensurePostgres } from '../services/postgres';
import type { TestDatabase } from '../services/postgres';
import { ensureRedis, REDIS_HOST, REDIS_PORT } from '../services/redis';
import type { ExecutionResult } from './executionResult';
import { E2E_ENCRYPTION_KEY, N8nInstance } from './instance';
import type { WorkflowJson } from './instance';
import { httpStatus, waitForWebhook } from './n8nProcess';
import type { N8nProcess } from './n8nProcess';
import type { CredentialImport } from './restClient';
import { ensureRuntime } from './runtime';
import type { N8nRuntime } from './runtime';

/**
 * The only settings of the compose file's environment that the cluster changes, and why: processes
 * on one machine share its network and its Redis, containers do not.
 */
export const TEST_OVERRIDES = [
	// Hosts and ports: services are on 127.0.0.1 instead of Docker's service names.
	'DB_POSTGRESDB_HOST',
	'DB_POSTGRESDB_PORT',
	'QUEUE_BULL_REDIS_HOST',
	'QUEUE_BULL_REDIS_PORT',
	'N8N_PORT',
	'N8N_LISTEN_ADDRESS',
	'QUEUE_HEALTH_CHECK_PORT',
	'N8N_WORKER_SERVER_ADDRESS',
	// Test runs share one Redis: each run's queue and pub/sub channels get their own prefix.
	'QUEUE_BULL_PREFIX',
	'N8N_REDIS_KEY_PREFIX',
] as const;

export interface ClusterOptions {
	/** A tarball from `packPackage()`, installed into every process's user folder. */
	tarball: string;
	/** Default: `await ensureRuntime()`. */
	runtime?: N8nRuntime;
	/** Prefix of the database name and of progress lines; default "queue". */
	label?: string;
	/**
	 * More webhook processors like the compose file's one (each on its own port, behind a load
	 * balancer in production): deliveries of one event can reach two processes at once.
	 */
	extraWebhookProcessors?: number;
}

export interface ClusterStartOptions {
	/** Waits until the webhook processor serves these production webhooks (`/webhook/<path>`, POST). */
	webhookPaths?: string[];
	/** Per process; default 180 s. */
	timeoutMs?: number;
}

/** One n8n service of the compose file, run as a process on its own user folder. */
interface ClusterMember {
	service: ComposeService;
	instance: N8nInstance;
	/** The environment of the compose service with the test's overrides. */
	env: Record<string, string>;
	/** The running long-running process (for `n8n start`, the instance holds it). */
	process?: N8nProcess;
	/** A webhook processor's base URL. */
	baseUrl?: string;
}

/** One row of n8n's `execution_entity` table. */
export interface ClusterExecution {
	id: string;
	workflowId: string;
	status: string;
	finished: boolean;
}

export class N8nCluster {
	private started = false;

	private constructor(
		readonly database: TestDatabase,
		private readonly members: ClusterMember[],
		/** The webhook processor's base URL (WEBHOOK_URL without the trailing slash). */
		readonly webhookBaseUrl: string,
		/** The main process's base URL (editor and REST API). */
		readonly mainBaseUrl: string,
	) {}

	/**
	 * Makes sure PostgreSQL and Redis run, creates a fresh database, and prepares one user folder
	 * per n8n service of deploy/docker-compose.yml with the package installed. Starts no n8n yet:
	 * import and publish first, then `start()`.
	 */
	static async create(options: ClusterOptions): Promise<N8nCluster> {
		const label = options.label ?? 'queue';
		const runtime = options.runtime ?? (await ensureRuntime());
		await ensurePostgres();
		await ensureRedis();
		const runId = `${label.replace(/\W+/g, '_').toLowerCase()}_${process.pid}_${Date.now().toString(36)}`;
		const database = await createTestDatabase(`n8n_e2e_${runId}`);
		let handedOver = false;
		try {
			const [mainPort, webhookPort] = [await freePort(), await freePort()];
			const webhookBaseUrl = `http://127.0.0.1:${webhookPort}`;
			const mainBaseUrl = `http://127.0.0.1:${mainPort}`;
			// What a team writes into .env, filled in for this run.
			const variables = {
				...(await readEnvFile()),
				POSTGRES_USER: database.user,
				POSTGRES_PASSWORD: database.password,
				POSTGRES_DB: database.name,
				N8N_ENCRYPTION_KEY: E2E_ENCRYPTION_KEY,
				WEBHOOK_URL: `${webhookBaseUrl}/`,
				N8N_EDITOR_BASE_URL: `${mainBaseUrl}/`,
			};
			const services = n8nServices(await readComposeServices(variables));
			const webhookService = services.find((service) => roleOf(service) === 'webhook');
			for (let extra = 1; extra <= (options.extraWebhookProcessors ?? 0); extra++) {
				if (!webhookService) throw new Error('deploy/docker-compose.yml has no webhook processor');
				services.push({ ...webhookService, name: `${webhookService.name}-${extra + 1}` });
			}
			const members: ClusterMember[] = [];
			for (const service of services) {
				const role = roleOf(service);
				const port =
					role === 'start'
						? mainPort
						: role === 'webhook' && service === webhookService
							? webhookPort
							: await freePort();
				const overrides: Record<(typeof TEST_OVERRIDES)[number], string> = {
					DB_POSTGRESDB_HOST: database.host,
					DB_POSTGRESDB_PORT: String(database.port),
					QUEUE_BULL_REDIS_HOST: REDIS_HOST,
					QUEUE_BULL_REDIS_PORT: String(REDIS_PORT),
					N8N_PORT: String(port),
					N8N_LISTEN_ADDRESS: '127.0.0.1',
					QUEUE_HEALTH_CHECK_PORT: String(await freePort()),
					N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
					QUEUE_BULL_PREFIX: `bull_${runId}`,
					N8N_REDIS_KEY_PREFIX: `n8n_${runId}`,
				};
				const env = { ...service.environment, ...overrides };
				const instance = await N8nInstance.create({
					runtime,
					tarball: options.tarball,
					label: `${label} ${service.name}`,
					env,
				});
				const baseUrl = role === 'webhook' ? `http://127.0.0.1:${port}` : undefined;
				members.push({ service, instance, env, baseUrl });
			}
			if (!members.some((member) => roleOf(member.service) === 'start'))
				throw new Error('deploy/docker-compose.yml has no n8n main service');
			const cluster = new N8nCluster(database, members, webhookBaseUrl, mainBaseUrl);
			handedOver = true;
			return cluster;
		} finally {
			// On failure nothing is handed to the caller: remove what was created.
			if (!handedOver) await database.drop();
		}
	}

	/** The main process's instance: CLI commands (import, publish, execute) run on its user folder. */
	get main(): N8nInstance {
		return this.member((member) => roleOf(member.service) === 'start').instance;
	}

	/** The names of the worker services (`n8n-worker-1`, …). */
	get workerNames(): string[] {
		return this.members
			.filter((member) => roleOf(member.service) === 'worker')
			.map((member) => member.service.name);
	}

	/** The environment a service's process runs with (the compose service's plus `TEST_OVERRIDES`). */
	envOf(serviceName: string): Record<string, string> {
		return { ...this.member((member) => member.service.name === serviceName).env };
	}

	/** A *Call Ledger Postgres* credential on n8n's own database, as the README suggests. */
	ledgerCredential(ref: { id: string; name: string }): CredentialImport {
		const { database } = this;
		return {
			...ref,
			type: 'callLedgerPostgresApi',
			data: {
				host: database.host,
				port: database.port,
				database: database.name,
				user: database.user,
				password: database.password,
				ssl: 'disable',
			},
		};
	}

	async importCredentials(credentials: CredentialImport[]): Promise<void> {
		await this.main.importCredentials(credentials);
	}

	async importWorkflows(workflows: WorkflowJson[]): Promise<string[]> {
		return await this.main.importWorkflows(workflows);
	}

	/** `n8n publish:workflow`: main activates it when it starts (or within a second if running). */
	async publish(workflowId: string): Promise<void> {
		await this.main.publish(workflowId);
	}

	/**
	 * `n8n execute` against the shared database. n8n runs it in the CLI process itself (the CLI
	 * does not support queue mode), so it tests the package, not the workers.
	 */
	async execute(
		workflowId: string,
		options: { timeoutMs?: number } = {},
	): Promise<ExecutionResult> {
		return await this.main.execute(workflowId, options);
	}

	/**
	 * Starts main first (it runs the database migrations and activates published workflows), then
	 * the workers and the webhook processor side by side; resolves when all are ready and the
	 * webhook processor serves `webhookPaths`.
	 */
	async start(options: ClusterStartOptions = {}): Promise<void> {
		if (this.started) throw new Error('The cluster is already started');
		this.started = true;
		const began = Date.now();
		const timeoutMs = options.timeoutMs ?? 180_000;
		const main = this.member((member) => roleOf(member.service) === 'start');
		await main.instance.start({
			timeoutMs,
			port: Number(main.env.N8N_PORT),
			// Main tells users and services the webhook processor's URL, as in the compose file.
			env: { WEBHOOK_URL: main.env.WEBHOOK_URL },
		});
		await Promise.all(
			this.members
				.filter((member) => member !== main)
				.map(async (member) => await this.startMember(member, timeoutMs)),
		);
		for (const webhookPath of options.webhookPaths ?? []) {
			for (const baseUrl of this.webhookBaseUrls)
				await waitForWebhook(
					baseUrl,
					webhookPath,
					'POST',
					Math.max(timeoutMs - (Date.now() - began), 30_000),
				);
		}
		progress(
			`${this.main.label.split(' ')[0]}: n8n queue mode ready (${this.members.map((member) => member.service.name).join(', ')}) in ${formatDuration(Date.now() - began)}`,
		);
	}

	/** Starts a worker again (after `killWorker` or `stopWorker`); resolves when it is ready. */
	async startWorker(name: string, timeoutMs = 180_000): Promise<void> {
		const member = this.worker(name);
		if (member.process?.running) throw new Error(`${name} is running`);
		await this.startMember(member, timeoutMs);
	}

	/** The process id of a running worker, for reading its memory; undefined when it is not running. */
	workerPid(name: string): number | undefined {
		const member = this.worker(name);
		return member.process?.running ? member.process.pid : undefined;
	}

	/** SIGKILL to a worker's process group: it dies mid-execution, without any shutdown. */
	async killWorker(name: string): Promise<void> {
		const member = this.worker(name);
		progress(`${member.instance.label}: SIGKILL`);
		await member.process?.kill();
	}

	/** Stops a worker gracefully (SIGTERM: it finishes its running executions first). */
	async stopWorker(name: string): Promise<void> {
		await this.worker(name).process?.stop();
	}

	/** The production URL of a webhook, served by the webhook processor. */
	webhookUrl(webhookPath: string): string {
		return `${this.webhookBaseUrl}/webhook/${webhookPath.replace(/^\/+/, '')}`;
	}

	/** Every webhook processor's base URL, the compose file's one first. */
	get webhookBaseUrls(): string[] {
		return this.members.flatMap((member) => (member.baseUrl ? [member.baseUrl] : []));
	}

	/**
	 * Which worker ran which execution: the ids each worker logged as "Worker started execution
	 * <id>", over all its runs (the log file survives a kill and a restart).
	 */
	async executionsByWorker(): Promise<Record<string, string[]>> {
		const result: Record<string, string[]> = {};
		for (const name of this.workerNames) {
			const log = await readFile(this.logFileOf(name), 'utf8').catch(() => '');
			result[name] = [...log.matchAll(/Worker started execution (\S+) \(job/g)].map(
				(match) => match[1],
			);
		}
		return result;
	}

	/** The worker that started an execution (the last one, if a killed worker's job was taken over). */
	async workerOf(executionId: string): Promise<string | undefined> {
		const byWorker = await this.executionsByWorker();
		return Object.keys(byWorker).find((name) => byWorker[name].includes(executionId));
	}

	/** The executions in n8n's database (of one workflow, if given), oldest first. */
	async executions(workflowId?: string): Promise<ClusterExecution[]> {
		const where =
			workflowId === undefined ? '' : ` WHERE "workflowId" = '${workflowId.replace(/'/g, "''")}'`;
		const rows = await this.database.query(
			`SELECT id, "workflowId", status, finished FROM execution_entity${where} ORDER BY id`,
		);
		return rows.map(([id, wf, status, finished]) => ({
			id,
			workflowId: wf,
			status,
			finished: finished === 't',
		}));
	}

	/** Waits until `count` executions of the workflow have ended (any status but new, running, waiting). */
	async waitForExecutions(
		workflowId: string,
		count: number,
		timeoutMs = 120_000,
	): Promise<ClusterExecution[]> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const executions = await this.executions(workflowId);
			const ended = executions.filter(
				(execution) => !['new', 'running', 'waiting'].includes(execution.status),
			);
			if (ended.length >= count) return executions;
			if (Date.now() > deadline) {
				throw new Error(
					`${ended.length} of ${count} executions of ${workflowId} ended after ${formatDuration(timeoutMs)}: ${JSON.stringify(executions.map((e) => e.status))}`,
				);
			}
			await sleep(500);
		}
	}

	/** The log file of a service's process (all its runs). */
	logFileOf(serviceName: string): string {
		const member = this.member((candidate) => candidate.service.name === serviceName);
		const role = roleOf(member.service);
		return role === 'start'
			? member.instance.serverLogFile
			: path.join(member.instance.userFolder, `n8n-${role}.log`);
	}

	/** Stops every n8n process, deletes their user folders and drops the database. */
	async dispose(): Promise<void> {
		// Workers and the webhook processor first: main's shutdown then has nobody left to notify.
		const others = this.members.filter((member) => roleOf(member.service) !== 'start');
		await Promise.all(others.map(async (member) => await member.instance.dispose()));
		await this.main.dispose();
		if (process.env.N8N_E2E_KEEP === '1') {
			progress(`kept database ${this.database.name}`);
			return;
		}
		await this.database.drop();
	}

	private async startMember(member: ClusterMember, timeoutMs: number): Promise<void> {
		const role = roleOf(member.service);
		if (role === 'start') throw new Error('main starts with start()');
		const flags = member.service.command.slice(1);
		member.process = await member.instance.spawn(role, {
			flags,
			timeoutMs,
			// The webhook processor also answers /healthz once its server listens.
			ready:
				role === 'webhook'
					? async (child) =>
							child.log.includes('Webhook listener waiting for requests') &&
							(await httpStatus(`${member.baseUrl}/healthz`)) === 200
					: undefined,
		});
	}

	private worker(name: string): ClusterMember {
		return this.member(
			(member) => member.service.name === name && roleOf(member.service) === 'worker',
		);
	}

	private member(predicate: (member: ClusterMember) => boolean): ClusterMember {
		const found = this.members.find(predicate);
		if (!found) throw new Error('No such n8n service in deploy/docker-compose.yml');
		return found;
	}
}
