/**
 * `npm run sandbox`: runs the sandbox until Ctrl-C and prints what is needed to use it from n8n:
 * its URL, the seed ids, the scenario numbers and an `n8n import:credentials` file.
 *
 *   tsx sandbox/cli.ts [--port 8790] [--host 127.0.0.1] [--public-url URL]
 *                      [--webhook-url URL] [--webhook-secret SECRET] [--webhook-events transcript,audio,…]
 *                      [--speed N] [--latency-ms MS] [--json]
 *
 * `--json` prints `GET /_sandbox/info` as one JSON line instead of the text, for scripts that
 * start the sandbox as a child process (read the first line of stdout to know it is ready).
 */
import { parseArgs } from 'node:util';

import type { ElevenLabs } from '@elevenlabs/elevenlabs-js';

import { startSandbox } from './index';
import type { Sandbox, SandboxOptions } from './index';

export { n8nCredentialsForUrl } from './credentials';

export const DEFAULT_PORT = 8790;

/** Reads the command line (and SANDBOX_PORT) into sandbox options. */
export function cliOptions(argv: string[], env: NodeJS.ProcessEnv = process.env): SandboxOptions {
	return parseCommandLine(argv, env).options;
}

export function parseCommandLine(
	argv: string[],
	env: NodeJS.ProcessEnv = process.env,
): { options: SandboxOptions; json: boolean } {
	const { values } = parseArgs({
		args: argv,
		options: {
			port: { type: 'string' },
			host: { type: 'string' },
			'public-url': { type: 'string' },
			'webhook-url': { type: 'string' },
			'webhook-secret': { type: 'string' },
			'webhook-events': { type: 'string' },
			speed: { type: 'string' },
			'latency-ms': { type: 'string' },
			json: { type: 'boolean' },
		},
		strict: true,
	});
	const port = Number(values.port ?? env.SANDBOX_PORT ?? DEFAULT_PORT);
	if (!Number.isInteger(port) || port < 0 || port > 65535)
		throw new Error(`Invalid port "${values.port ?? env.SANDBOX_PORT}"`);
	const speed = values.speed === undefined ? undefined : Number(values.speed);
	if (speed !== undefined && !(speed > 0)) throw new Error(`Invalid speed "${values.speed}"`);
	const latencyMs = values['latency-ms'] === undefined ? undefined : Number(values['latency-ms']);
	if (latencyMs !== undefined && !(latencyMs >= 0))
		throw new Error(`Invalid latency "${values['latency-ms']}"`);
	if (values['webhook-secret'] && !values['webhook-url'])
		throw new Error('--webhook-secret needs --webhook-url');
	const options: SandboxOptions = {
		port,
		host: values.host,
		publicUrl: values['public-url'],
		clock: speed === undefined ? undefined : { speed },
		latencyMs,
		webhook: values['webhook-url']
			? {
					url: values['webhook-url'],
					secret: values['webhook-secret'],
					events: values['webhook-events']
						?.split(',')
						.map((event) => event.trim() as ElevenLabs.WebhookEventType),
				}
			: undefined,
	};
	return { options, json: values.json ?? false };
}

/** The start-up text: URL, ids, scenario numbers, credentials to paste. */
export function banner(sandbox: Sandbox): string {
	const ids = sandbox.ids;
	const lines = [
		`ElevenLabs + Twilio sandbox listening on ${sandbox.url}`,
		'',
		'Agents (main workspace):',
		`  recruitingDe   ${ids.agents.recruitingDe}   German screen, overrides on, concurrency 5`,
		`  noOverrides    ${ids.agents.noOverrides}   same screen, every override off`,
		`  bare           ${ids.agents.bare}   empty agent (for Publish)`,
		`  (other workspace: ${ids.agents.otherWorkspace})`,
		'Phone numbers:',
		`  twilioDe       ${ids.phoneNumbers.twilioDe}   ${sandbox.numbers.twilioBerlin} (Twilio)`,
		`  sipTrunk       ${ids.phoneNumbers.sipTrunk}   ${sandbox.numbers.sipMunich} (SIP trunk)`,
		`  inboundOnly    ${ids.phoneNumbers.inboundOnly}   ${sandbox.numbers.inboundHamburg} (cannot dial out)`,
		`Twilio: account ${ids.twilio.accountSid}, trial account ${ids.twilio.trialAccountSid}`,
		'',
		'Dial these numbers for each outcome (any other number is answered):',
		...Object.values(sandbox.scenarios).map(
			(scenario) =>
				`  ${scenario.number.padEnd(16)} ${scenario.key.padEnd(18)} ${scenario.description}`,
		),
		'',
		sandbox.webhooks.config
			? `Post-call webhooks go to ${sandbox.webhooks.config.url} (events: ${sandbox.webhooks.config.events?.join(', ')})`
			: 'No post-call webhook target (use --webhook-url or POST /_sandbox/webhook).',
		'',
		'n8n credentials: save this as sandbox-credentials.json, then run',
		'  n8n import:credentials --input=sandbox-credentials.json',
		JSON.stringify(sandbox.n8nCredentials(), null, 2),
		'',
		`Admin API: ${sandbox.url}/_sandbox/info, /_sandbox/requests, /_sandbox/faults, /_sandbox/webhook, /_sandbox/reset`,
		'Press Ctrl-C to stop.',
	];
	return `${lines.join('\n')}\n`;
}

async function main(): Promise<void> {
	let commandLine: ReturnType<typeof parseCommandLine>;
	try {
		commandLine = parseCommandLine(process.argv.slice(2));
	} catch (error) {
		process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
		process.exit(2);
	}
	const sandbox = await startSandbox(commandLine.options);
	process.stdout.write(commandLine.json ? `${JSON.stringify(sandbox.info())}\n` : banner(sandbox));
	const stop = () => {
		void sandbox.close().then(() => process.exit(0));
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

if (require.main === module) {
	main().catch((error: unknown) => {
		process.stderr.write(
			`The sandbox could not start: ${error instanceof Error ? error.message : String(error)}\n`,
		);
		process.exit(1);
	});
}
