/**
 * `npm run docs`: writes every node's reference into its page under docs/nodes/, links the codex
 * files to those pages and writes the node index. `--check` writes nothing and fails on drift.
 */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';

import { plannedDocs, staleDocs } from './docs/nodePages';

const root = path.resolve(__dirname, '..');
const say = (line: string) => process.stdout.write(`${line}\n`);

if (process.argv.includes('--check')) {
	const stale = staleDocs(root);
	for (const file of stale)
		process.stderr.write(`${file} differs from what npm run docs generates\n`);
	process.exitCode = stale.length ? 1 : 0;
} else {
	const stale = new Set(staleDocs(root));
	for (const [file, text] of plannedDocs(root)) {
		if (!stale.has(path.relative(root, file))) continue;
		writeFileSync(file, text);
		say(`wrote ${path.relative(root, file)}`);
	}
	if (stale.size === 0) say('docs are up to date');
}
