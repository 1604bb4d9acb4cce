/**
 * Child processes, ports and progress output for the developer scripts (n8n runtime, e2e tests,
 * benchmarks). These run on the developer's or CI machine, never inside n8n.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:net';

export interface RunOptions {
	cwd?: string;
	env?: NodeJS.ProcessEnv;
	/** Kills the process (and its group) when it runs longer. Default: no limit. */
	timeoutMs?: number;
	/** Also appends stdout and stderr to this file. */
	logFile?: string;
	/** Data written to stdin, which is then closed. */
	input?: string;
}

export interface RunResult {
	/** Exit code; null when killed by a signal. */
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	durationMs: number;
}

/** Every spawn of the scripts goes through here, so that an aborted run leaves no children. */
const liveChildren = new Set<ChildProcess>();
process.once('exit', () => {
	for (const child of liveChildren) killGroup(child, 'SIGKILL');
});

/** Spawns `command` in its own process group, so that its descendants can be stopped with it. */
export function spawnChild(
	command: string,
	args: string[],
	options: SpawnOptions = {},
): ChildProcess {
	// Spawning is what these scripts exist for; n8n's rule against it guards node code, not tooling.
	// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions
	const child = spawn(command, args, {
		stdio: ['pipe', 'pipe', 'pipe'],
		...options,
		detached: true,
	});
	liveChildren.add(child);
	child.once('exit', () => liveChildren.delete(child));
	return child;
}

/** Sends `signal` to the child's process group (ours: spawnChild made it the group leader). */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
	if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		// The group is already gone.
	}
}

/** Runs a command to completion and collects its output. Never rejects on a non-zero exit. */
export async function runProcess(
	command: string,
	args: string[],
	options: RunOptions = {},
): Promise<RunResult> {
	const started = Date.now();
	const child = spawnChild(command, args, { cwd: options.cwd, env: options.env });
	const log = options.logFile ? createWriteStream(options.logFile, { flags: 'a' }) : undefined;
	const stdout: Buffer[] = [];
	const stderr: Buffer[] = [];
	child.stdout?.on('data', (chunk: Buffer) => {
		stdout.push(chunk);
		log?.write(chunk);
	});
	child.stderr?.on('data', (chunk: Buffer) => {
		stderr.push(chunk);
		log?.write(chunk);
	});
	// A child that exits without reading its input closes the pipe (EPIPE): its exit code tells.
	child.stdin?.on('error', () => undefined);
	child.stdin?.end(options.input ?? '');
	const timer =
		options.timeoutMs === undefined
			? undefined
			: setTimeout(() => killGroup(child, 'SIGKILL'), options.timeoutMs);
	const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>(
		(resolve, reject) => {
			child.once('error', reject);
			child.once('close', (exitCode, exitSignal) => resolve([exitCode, exitSignal]));
		},
	).finally(() => clearTimeout(timer));
	await new Promise<void>((resolve) => (log ? log.end(resolve) : resolve()));
	return {
		code,
		signal,
		stdout: Buffer.concat(stdout).toString('utf8'),
		stderr: Buffer.concat(stderr).toString('utf8'),
		durationMs: Date.now() - started,
	};
}

/** Like runProcess, but rejects unless the command exits 0; the error carries the output's tail. */
export async function runChecked(
	command: string,
	args: string[],
	options: RunOptions = {},
): Promise<RunResult> {
	const result = await runProcess(command, args, options);
	if (result.code !== 0) {
		const how =
			result.code === null ? `was killed (${result.signal})` : `exited with code ${result.code}`;
		throw new Error(
			`${[command, ...args].join(' ')} ${how}:\n${tail(result.stdout + result.stderr, 30)}`,
		);
	}
	return result;
}

/** A TCP port that was free a moment ago (the OS picks it). */
export async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const server = createServer();
		server.unref();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => resolve(port));
		});
	});
}

/** The last `lines` lines of a text. */
export function tail(text: string, lines: number): string {
	return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** "850 ms", "12.3 s", "5 min 41 s". */
export function formatDuration(ms: number): string {
	if (ms < 1000) return `${Math.round(ms)} ms`;
	if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
	const seconds = Math.round(ms / 1000);
	return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/** Progress lines go to stderr, so that a command's own output on stdout stays parseable. */
export function progress(line: string): void {
	process.stderr.write(`${line}\n`);
}

export const sleep = async (ms: number): Promise<void> =>
	await new Promise((resolve) => setTimeout(resolve, ms));
