/**
 * Debian packages the test set-up needs (chromium for the browser tests, postgresql and
 * redis-server for queue mode), installed with apt-get when missing, so that a fresh machine
 * works. Runs apt-get as root, or through sudo otherwise.
 */
import { progress, runChecked } from './process';

let updated = false;

/** `apt-get update` (once per process) and `apt-get install -y --no-install-recommends <packages>`. */
export async function aptInstall(packages: string[], why: string): Promise<void> {
	progress(`${why}: installing Debian's ${packages.join(', ')} with apt-get`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	const asRoot = process.getuid?.() === 0;
	const apt = async (args: string[]) =>
		await runChecked(asRoot ? 'apt-get' : 'sudo', asRoot ? args : ['apt-get', ...args], {
			env,
			timeoutMs: 15 * 60_000,
		});
	if (!updated) {
		await apt(['update']);
		updated = true;
	}
	await apt(['install', '-y', '--no-install-recommends', ...packages]);
	progress(`${why}: installed ${packages.join(', ')}`);
}
