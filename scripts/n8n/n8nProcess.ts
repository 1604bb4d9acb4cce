/**
 * One long-running n8n command (`n8n start`, `n8n worker`, `n8n webhook`): its output kept in
 * memory and appended to a log file, a wait for readiness that fails with the log's tail, and
 * stopping (SIGTERM, then SIGKILL) or killing it outright.
 */
import type { ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';

import { formatDuration, killGroup, progress, sleep, spawnChild, tail } from '../process';
import type { N8nRuntime } from './runtime';

/** How much output each process keeps in memory (the log file has all of it). */
const OUTPUT_KEPT = 500_000;

export interface N8nProcessOptions {
	runtime: N8nRuntime;
	/** The n8n command and its flags, e.g. `['worker', '--concurrency=5']`. */
	args: string[];
	cwd: string;
	env: NodeJS.ProcessEnv;
	/** stdout and stderr are appended here. */
	logFile: string;
	/** Shown in progress lines and errors. */
	label: string;
}

export class N8nProcess {
	private output = '';

	private readonly exit: Promise<void>;

	private constructor(
		private readonly child: ChildProcess,
		readonly logFile: string,
		readonly label: string,
	) {
		const log = createWriteStream(logFile, { flags: 'a' });
		const collect = (chunk: Buffer) => {
			log.write(chunk);
			this.output = (this.output + chunk.toString('utf8')).slice(-OUTPUT_KEPT);
		};
		child.stdout?.on('data', collect);
		child.stderr?.on('data', collect);
		this.exit = new Promise((resolve) =>
			child.once('exit', () => {
				log.end();
				resolve();
			}),
		);
	}

	static spawn(options: N8nProcessOptions): N8nProcess {
		const child = spawnChild(options.runtime.node, [options.runtime.n8nBin, ...options.args], {
			cwd: options.cwd,
			env: options.env,
		});
		progress(`${options.label}: n8n ${options.args.join(' ')} (log: ${options.logFile}) …`);
		return new N8nProcess(child, options.logFile, options.label);
	}

	/** The output so far (the last part of it, for long runs). */
	get log(): string {
		return this.output;
	}

	get pid(): number | undefined {
		return this.child.pid;
	}

	get running(): boolean {
		return this.child.exitCode === null && this.child.signalCode === null;
	}

	/**
	 * Polls `ready` until it holds. Rejects, with the last lines of the log, when the process
	 * exits first or the time is up (the process is then stopped).
	 */
	async waitUntilReady(ready: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
		const started = Date.now();
		for (;;) {
			if (!this.running)
				throw this.failure(`exited (${this.child.exitCode ?? this.child.signalCode})`);
			if (await ready()) return;
			if (Date.now() - started > timeoutMs) {
				await this.stop();
				throw this.failure(`was not ready after ${formatDuration(timeoutMs)}`);
			}
			await sleep(250);
		}
	}

	/** Stops the process group: SIGTERM (n8n shuts down gracefully), SIGKILL after 15 s. */
	async stop(): Promise<void> {
		if (!this.running) return;
		killGroup(this.child, 'SIGTERM');
		const killer = setTimeout(() => killGroup(this.child, 'SIGKILL'), 15_000);
		await this.exit;
		clearTimeout(killer);
		// The task runner is n8n's child in the same group; make sure nothing is left behind.
		killGroup(this.child, 'SIGKILL');
	}

	/** SIGKILL to the process group, as when a machine or container dies: no shutdown at all. */
	async kill(): Promise<void> {
		if (!this.running) return;
		killGroup(this.child, 'SIGKILL');
		await this.exit;
	}

	private failure(why: string): Error {
		return new Error(
			`${this.label}: n8n ${why}. Last output (${this.logFile}):\n${tail(this.output, 40)}`,
		);
	}
}

/** The HTTP status of a GET, or undefined when nothing answers within 5 s. */
export async function httpStatus(url: string): Promise<number | undefined> {
	try {
		const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
		await response.body?.cancel();
		return response.status;
	} catch {
		return undefined;
	}
}

/**
 * Waits until the n8n at `baseUrl` serves the production webhook `/webhook/<path>` for `method`.
 * It asks with a CORS preflight (OPTIONS), which n8n answers without running the workflow.
 */
export async function waitForWebhook(
	baseUrl: string,
	webhookPath: string,
	method = 'POST',
	timeoutMs = 60_000,
): Promise<void> {
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
			throw new Error(
				`webhook ${method} ${url} was not registered after ${formatDuration(timeoutMs)}`,
			);
		}
		await sleep(500);
	}
}
