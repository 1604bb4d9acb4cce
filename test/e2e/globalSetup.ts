/**
 * Once per `npm run test:e2e`: the n8n runtime (installed on first use, minutes) and the packed
 * package with its runtime dependencies, so that each test file only copies it into a fresh n8n.
 */
import { ensureRuntime, packPackage, preparePackageInstall } from '../../scripts/n8n';
import { formatDuration, progress } from '../../scripts/process';
import { TARBALL_ENV } from './helpers';

export default async function globalSetup(): Promise<void> {
	const started = Date.now();
	progress('\ne2e: preparing n8n and the package …');
	const runtime = await ensureRuntime();
	const tarball = await packPackage();
	await preparePackageInstall(tarball);
	// Jest workers inherit the environment of the process that ran this.
	process.env[TARBALL_ENV] = tarball;
	progress(
		`e2e: n8n ${runtime.n8nVersion} on Node ${runtime.nodeVersion} and ${tarball} ready in ${formatDuration(Date.now() - started)}`,
	);
}
