/** `npm run sandbox` as a separate process, the way the demo and the n8n end-to-end runner use it. */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { createInterface } from 'node:readline';

import { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';

import type { SandboxInfo } from '../../sandbox';

const ROOT = path.resolve(__dirname, '..', '..');

function firstLine(child: ChildProcess): Promise<string> {
	return new Promise((resolve, reject) => {
		const lines = createInterface({ input: child.stdout! });
		lines.once('line', resolve);
		child.once('exit', (code) => reject(new Error(`The CLI exited with ${code} before printing`)));
	});
}

it('starts on a free port, prints its info as JSON, serves the API and stops on SIGTERM', async () => {
	// A test of the CLI itself: it has to run as its own process (not shipped code).
	// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions
	const child = spawn(
		process.execPath,
		[path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'sandbox/cli.ts', '--port', '0', '--json'],
		{
			cwd: ROOT,
			stdio: ['ignore', 'pipe', 'pipe'],
		},
	);
	try {
		const info = JSON.parse(await firstLine(child)) as SandboxInfo;
		expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		expect(info.n8nCredentials.map((credential) => credential.type)).toEqual([
			'elevenLabsAgentsApi',
			'twilioCallsApi',
		]);
		const client = new ElevenLabsClient({ apiKey: info.apiKey, baseUrl: info.url, maxRetries: 0 });
		const agent = await client.conversationalAi.agents.get(info.ids.agents.recruitingDe);
		expect(agent.conversationConfig.agent?.language).toBe('de');
		const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
		child.kill('SIGTERM');
		expect(await exited).toBe(0);
	} finally {
		if (child.exitCode === null) child.kill('SIGKILL');
	}
}, 60_000);
