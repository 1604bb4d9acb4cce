/**
 * Headless Chromium for the interview-page test: Debian's `chromium` package, installed with
 * apt when it is missing, driven by playwright-core (which ships no browser of its own).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

function run(command: string, args: string[]): void {
	const asRoot = process.getuid?.() === 0;
	// Test set-up, not node code: a fixed apt command.
	// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions
	const result = spawnSync(asRoot ? command : 'sudo', asRoot ? args : [command, ...args], {
		stdio: 'inherit',
		env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
	});
	if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status ?? result.signal})`);
}

/** Installs Debian's chromium when it is not there yet (`apt-get install -y chromium`). */
export function ensureChromium(): string {
	if (existsSync(CHROMIUM)) return CHROMIUM;
	process.stderr.write(`${CHROMIUM} is missing: installing Debian's chromium package with apt-get\n`);
	run('apt-get', ['update']);
	run('apt-get', ['install', '-y', '--no-install-recommends', 'chromium']);
	if (!existsSync(CHROMIUM)) throw new Error(`apt-get installed chromium, but ${CHROMIUM} is still missing`);
	return CHROMIUM;
}

export async function launchChromium(): Promise<Browser> {
	return await chromium.launch({
		executablePath: ensureChromium(),
		args: [
			'--headless',
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			// A candidate who allows the microphone, with a fake one.
			'--use-fake-ui-for-media-stream',
			'--use-fake-device-for-media-stream',
		],
	});
}
