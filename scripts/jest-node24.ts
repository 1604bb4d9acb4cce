/**
 * Runs jest on the Node.js that n8n 2 itself requires (Node 24, from the n8n runtime cache): the
 * engine tests run n8n-core in-process, and the embedded call ledger uses Node's own SQLite,
 * which the machine's older Node may lack.
 *
 *   tsx scripts/jest-node24.ts [jest arguments]
 */
import * as path from 'node:path';

import { ensureRuntime } from './n8n';
import { spawnChild } from './process';

async function main(): Promise<number> {
	const runtime = await ensureRuntime();
	// jest's package exports no bin path; its package.json says where the CLI is.
	const jest = path.join(path.dirname(require.resolve('jest/package.json')), 'bin', 'jest.js');
	const child = spawnChild(runtime.node, ['--disable-warning=ExperimentalWarning', jest, ...process.argv.slice(2)], {
		stdio: 'inherit',
	});
	return await new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

main().then(
	(code) => process.exit(code),
	(error: unknown) => {
		process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
		process.exit(1);
	},
);
