/**
 * The package as n8n gets it: `npm pack` of the repo, then the community-package install into an
 * n8n user folder's `.n8n/nodes` (what Settings → Community nodes does, and what deploy/Dockerfile
 * does in the image: runtime dependencies only, no scripts).
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import {
	cp,
	mkdir,
	mkdtemp,
	readdir,
	readFile,
	rename,
	rm,
	stat,
	writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import { REPO_ROOT } from '../paths';
import { formatDuration, progress, runChecked } from '../process';
import { childEnv } from './childEnv';
import { CACHE_NAME } from './runtime';

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
	const destination = await mkdtemp(path.join(tmpdir(), `${CACHE_NAME}-pack-`));
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
	const packageJson = JSON.parse(
		await readFile(path.join(prepared, 'package.json'), 'utf8'),
	) as PackageJson;
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const target = path.join(nodesDir, 'node_modules', packageJson.name);
	await rm(target, { recursive: true, force: true });
	await mkdir(path.dirname(target), { recursive: true });
	await cp(prepared, target, { recursive: true, verbatimSymlinks: true });
	// n8n's ledger of installed community packages (what it writes after an install).
	const ledger = {
		name: 'installed-nodes',
		private: true,
		dependencies: { [packageJson.name]: packageJson.version },
	};
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
		if (info && Date.now() - info.mtimeMs > PREPARED_MAX_AGE_MS)
			await rm(entryPath, { recursive: true, force: true });
	}
}
