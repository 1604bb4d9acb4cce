/**
 * Runs jest, or a TypeScript script, on the Node.js that n8n 2 itself requires (Node 24, from the
 * n8n runtime cache): the engine tests and the benchmarks run n8n-core in-process, and the
 * embedded call ledger uses Node's own SQLite, which the machine's older Node may lack.
 *
 *   tsx scripts/node24.ts jest [jest arguments]
 *   tsx scripts/node24.ts bench/run.ts [arguments]
 */
import * as path from 'node:path';

import { ensureRuntime } from './n8n';
import { spawnChild } from './process';

/** The CLI file to run: jest's (its package exports no bin path; its package.json says where), else tsx's for a script. */
function entry(program: string | undefined): string[] {
	if (program === 'jest')
		return [path.join(path.dirname(require.resolve('jest/package.json')), 'bin', 'jest.js')];
	if (program?.endsWith('.ts')) return [require.resolve('tsx/cli'), program];
	throw new Error(
		`Usage: tsx scripts/node24.ts jest [arguments] | <script.ts> [arguments] (got "${program ?? ''}")`,
	);
}

async function main(): Promise<number> {
	const [program, ...args] = process.argv.slice(2);
	const command = entry(program);
	const runtime = await ensureRuntime();
	const child = spawnChild(
		runtime.node,
		['--disable-warning=ExperimentalWarning', ...command, ...args],
		{ stdio: 'inherit' },
	);
	return await new Promise((resolve) =>
		child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))),
	);
}

main().then(
	(code) => process.exit(code),
	(error: unknown) => {
		process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
		process.exit(1);
	},
);
