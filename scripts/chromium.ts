/**
 * Headless Chromium for the editor pictures (scripts/screenshots.ts) and the interview-page
 * test: Debian's `chromium` package, installed with apt when it is missing, driven by
 * playwright-core (which ships no browser of its own).
 */
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';

import { aptInstall } from './debianPackages';

export const CHROMIUM = '/usr/bin/chromium';

/** Installs Debian's chromium when it is not there yet. Returns the binary. */
export async function ensureChromium(): Promise<string> {
	if (existsSync(CHROMIUM)) return CHROMIUM;
	await aptInstall(['chromium'], `${CHROMIUM} is missing`);
	if (!existsSync(CHROMIUM))
		throw new Error(`apt-get installed chromium, but ${CHROMIUM} is still missing`);
	return CHROMIUM;
}

export interface ChromiumOptions {
	/** A candidate who allows the microphone, with a fake one (the browser interview). */
	fakeMicrophone?: boolean;
	/** A WAV file the fake microphone plays (in a loop); Chromium's beeps otherwise. */
	microphoneFile?: string;
}

export async function launchChromium(options: ChromiumOptions = {}): Promise<Browser> {
	return await chromium.launch({
		executablePath: await ensureChromium(),
		args: [
			'--headless',
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			...(options.fakeMicrophone
				? ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream']
				: []),
			...(options.microphoneFile
				? [`--use-file-for-fake-audio-capture=${options.microphoneFile}`]
				: []),
			// The agent's audio plays without a further click (the start button was the gesture).
			'--autoplay-policy=no-user-gesture-required',
		],
	});
}
