/**
 * deploy/ checked without Docker: the Dockerfile's steps (pinned image, package installed for the
 * `node` user as a community package, no secrets), the compose file's queue-mode invariants for
 * every n8n service, .env.example, and `docker compose config` where a Compose CLI exists.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

import type { Instruction } from 'dockerfile-ast';
import { parse as parseYaml } from 'yaml';

import { N8N_VERSION } from '../../scripts/n8n/runtime';
import { readPackageJson } from '../../scripts/n8n/packageInstall';
import {
	COMPOSE_FILE,
	DEPLOY_DIR,
	ENV_EXAMPLE_FILE,
	interpolate,
	n8nServices,
	readComposeServices,
	readDockerfile,
	readEnvFile,
	roleOf,
} from '../../scripts/deploySetUp';
import type { ComposeService } from '../../scripts/deploySetUp';
import { runProcess } from '../../scripts/process';

/** Values for the variables .env.example leaves empty (the secrets a team fills in). */
const FILLED = {
	N8N_ENCRYPTION_KEY: 'test-encryption-key',
	POSTGRES_PASSWORD: 'test-postgres-password',
};

/** Keys that differ between n8n services, each for its role's reason. */
const ROLE_KEYS: Record<string, string[]> = {
	start: ['N8N_DISABLE_PRODUCTION_MAIN_PROCESS'],
	worker: ['QUEUE_HEALTH_CHECK_ACTIVE'],
	webhook: [],
};

let services: ComposeService[];
let n8n: ComposeService[];

beforeAll(async () => {
	services = await readComposeServices({ ...(await readEnvFile()), ...FILLED });
	n8n = n8nServices(services);
});

describe('deploy/Dockerfile', () => {
	const instructions = async () => (await readDockerfile()).getInstructions();
	const keyword = (instruction: Instruction) => instruction.getKeyword();

	it('builds on the official n8n image, pinned to the n8n version the tests run', async () => {
		const froms = (await readDockerfile()).getFROMs();
		expect(froms).toHaveLength(1);
		expect(froms[0].getImageName()).toMatch(/^(docker\.n8n\.io\/)?n8nio\/n8n$/);
		expect(froms[0].getImageTag()).toBe(N8N_VERSION);
	});

	it('installs this package’s release by default, as the `node` user, into ~/.n8n/nodes, like n8n’s community-package install', async () => {
		const all = await instructions();
		const { name, version } = await readPackageJson();
		const packageArg = all.find(
			(instruction) =>
				keyword(instruction) === 'ARG' && instruction.getArgumentsContent()?.startsWith('PACKAGE='),
		);
		expect(packageArg?.getArgumentsContent()).toBe(`PACKAGE=${name}@${version}`);

		const installs = all.filter(
			(instruction) =>
				keyword(instruction) === 'RUN' &&
				/\bnpm install\b/.test(instruction.getArgumentsContent() ?? ''),
		);
		expect(installs).toHaveLength(1);
		const install = installs[0].getArgumentsContent()!;
		expect(install).toContain('cd /home/node/.n8n/nodes');
		for (const flag of ['--omit=dev', '--omit=peer', '--ignore-scripts'])
			expect(install).toContain(flag);
		expect(install).toContain('"${PACKAGE}"');

		// The user in effect at the install, and at the end (n8n must not run as root).
		const users = all.filter((instruction) => keyword(instruction) === 'USER');
		const userBeforeInstall = users
			.filter((user) => user.getRange().start.line < installs[0].getRange().start.line)
			.pop();
		expect(userBeforeInstall?.getArgumentsContent()).toBe('node');
		expect(users.at(-1)?.getArgumentsContent()).toBe('node');
	});

	it('copies only what is in deploy/ and bakes no secrets or settings into the image', async () => {
		const all = await instructions();
		for (const copy of all.filter(
			(instruction) => keyword(instruction) === 'COPY' || keyword(instruction) === 'ADD',
		)) {
			const source = copy
				.getArguments()
				.filter((argument) => !argument.getValue().startsWith('--'))[0]
				.getValue();
			expect(existsSync(path.join(DEPLOY_DIR, source))).toBe(true);
		}
		// Settings belong in the compose file and .env, where a team sees them.
		expect(all.filter((instruction) => keyword(instruction) === 'ENV')).toEqual([]);
		expect(readFileSync(path.join(DEPLOY_DIR, 'Dockerfile'), 'utf8')).not.toMatch(
			/ENCRYPTION_KEY|PASSWORD/,
		);
	});
});

describe('deploy/docker-compose.yml', () => {
	it('runs queue mode: one main, two workers and a webhook processor, all built from deploy/Dockerfile', () => {
		expect(n8n.map((service) => `${service.name}: ${roleOf(service)}`)).toEqual([
			'n8n-main: start',
			'n8n-worker-1: worker',
			'n8n-worker-2: worker',
			'n8n-webhook: webhook',
		]);
		for (const service of n8n) {
			expect(service.build).toBe('.');
			expect(service.image).toContain(N8N_VERSION);
		}
	});

	it('gives every n8n service queue mode, PostgreSQL, Redis, the same encryption key and the production settings', () => {
		const postgres = services.find((service) => service.image?.startsWith('postgres:'));
		const redis = services.find((service) => service.image?.startsWith('redis:'));
		for (const { name, environment: env } of n8n) {
			expect({ name, ...env }).toMatchObject({
				name,
				EXECUTIONS_MODE: 'queue',
				DB_TYPE: 'postgresdb',
				DB_POSTGRESDB_HOST: postgres?.name,
				DB_POSTGRESDB_DATABASE: postgres?.environment.POSTGRES_DB,
				DB_POSTGRESDB_USER: postgres?.environment.POSTGRES_USER,
				DB_POSTGRESDB_PASSWORD: FILLED.POSTGRES_PASSWORD,
				QUEUE_BULL_REDIS_HOST: redis?.name,
				N8N_ENCRYPTION_KEY: FILLED.N8N_ENCRYPTION_KEY,
				N8N_DEFAULT_BINARY_DATA_MODE: 'database',
				N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
				WEBHOOK_URL: expect.stringMatching(/^https?:\/\/.+\/$/),
			});
			expect(Number(env.N8N_PAYLOAD_SIZE_MAX)).toBeGreaterThan(16);
			// n8n's default of 2 connections fails deliveries of a burst of webhooks.
			expect(Number(env.DB_POSTGRESDB_POOL_SIZE)).toBeGreaterThanOrEqual(10);
		}
	});

	it('gives the n8n services one environment, apart from what each role needs', () => {
		const shared = (service: ComposeService) => {
			const env = { ...service.environment };
			for (const key of ROLE_KEYS[roleOf(service)]) delete env[key];
			return env;
		};
		for (const service of n8n) expect(shared(service)).toEqual(shared(n8n[0]));
		const main = n8n.find((service) => roleOf(service) === 'start')!;
		// Main hands production webhooks to the webhook processor, so there must be one.
		expect(main.environment.N8N_DISABLE_PRODUCTION_MAIN_PROCESS).toBe('true');
		expect(n8n.some((service) => roleOf(service) === 'webhook')).toBe(true);
	});

	it('mounts no volume over ~/.n8n or its nodes, where the image has the package (an old copy would hide a newer image’s)', () => {
		const target = (volume: string) => volume.split(':')[1]?.replace(/\/$/, '');
		for (const service of n8n) {
			expect(
				service.volumes.filter((volume) =>
					['/home/node/.n8n', '/home/node/.n8n/nodes', '/home/node'].includes(target(volume)),
				),
			).toEqual([]);
		}
	});

	it('keeps n8n’s storage folder (the embedded call ledger and the note that it exists) in a named volume on n8n-main, made by the `node` user in the image', async () => {
		const main = n8n.find((service) => roleOf(service) === 'start')!;
		const storage = main.volumes.find((volume) => volume.endsWith(':/home/node/.n8n/storage'));
		expect(storage).toBeDefined();
		const declared = (parseYaml(readFileSync(COMPOSE_FILE, 'utf8')) as { volumes?: object })
			.volumes;
		expect(Object.keys(declared ?? {})).toContain(storage!.split(':')[0]);
		// A named volume takes the owner of the image's folder; without one it would be root's.
		const all = (await readDockerfile()).getInstructions();
		const mkdir = all.find(
			(instruction) =>
				instruction.getKeyword() === 'RUN' &&
				/mkdir -p [^&]*\/home\/node\/\.n8n\/storage/.test(instruction.getArgumentsContent() ?? ''),
		);
		expect(mkdir).toBeDefined();
		const users = all.filter(
			(instruction) =>
				instruction.getKeyword() === 'USER' &&
				instruction.getRange().start.line < mkdir!.getRange().start.line,
		);
		expect(users.at(-1)?.getArgumentsContent()).toBe('node');
	});

	it('refuses to start without the secrets, naming the variable to set', async () => {
		const example = await readEnvFile();
		await expect(readComposeServices(example)).rejects.toThrow(
			/set (N8N_ENCRYPTION_KEY|POSTGRES_PASSWORD) in \.env/,
		);
		await expect(readComposeServices({ ...example, POSTGRES_PASSWORD: 'x' })).rejects.toThrow(
			'N8N_ENCRYPTION_KEY: set N8N_ENCRYPTION_KEY in .env',
		);
	});

	it('interpolates as compose does', () => {
		expect(interpolate('${A:-x} ${B-y} ${C:-z} $$D $A', { A: 'a', C: '' })).toBe('a y z $D a');
		expect(() => interpolate('${A:?set A}', { A: '' })).toThrow('A: set A');
		expect(interpolate('${A?set A}', { A: '' })).toBe('');
	});
});

describe('deploy/.env.example', () => {
	it('names every variable the compose file uses and holds no secret', async () => {
		const example = await readEnvFile();
		const used = new Set(
			[...readFileSync(COMPOSE_FILE, 'utf8').matchAll(/(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map(
				(match) => match[1],
			),
		);
		// Optional settings with a default in the compose file may stay out of .env.example.
		const optional = ['N8N_DIAGNOSTICS_ENABLED'];
		expect([...used].filter((name) => !(name in example) && !optional.includes(name))).toEqual([]);
		expect(example.N8N_ENCRYPTION_KEY).toBe('');
		expect(example.POSTGRES_PASSWORD).toBe('');
		expect(readFileSync(ENV_EXAMPLE_FILE, 'utf8')).not.toMatch(
			/^[A-Z_]*(KEY|PASSWORD|SECRET|TOKEN)=\S/m,
		);
	});
});

/** The Compose CLI of this machine: `docker compose` (v2), else `docker-compose`, else none. */
async function composeCli(): Promise<string[] | undefined> {
	for (const cli of [['docker', 'compose'], ['docker-compose']]) {
		const version = await runProcess(cli[0], [...cli.slice(1), 'version'], {
			timeoutMs: 30_000,
		}).catch(() => undefined);
		if (version?.code === 0) return cli;
	}
	return undefined;
}

describe('docker compose config', () => {
	it('accepts the compose file and gives each n8n service the environment the queue-mode suite runs', async () => {
		const cli = await composeCli();
		if (!cli) {
			process.stderr.write(
				'deploy: `docker compose config` skipped: neither `docker compose` nor `docker-compose` is installed here\n',
			);
			return;
		}
		const result = await runProcess(
			cli[0],
			[...cli.slice(1), '-f', COMPOSE_FILE, '--env-file', ENV_EXAMPLE_FILE, 'config'],
			{
				env: { ...process.env, ...FILLED },
				timeoutMs: 60_000,
			},
		);
		expect(result.stderr + (result.code === 0 ? '' : result.stdout)).not.toMatch(/invalid|error/i);
		expect(result.code).toBe(0);
		const config = parseYaml(result.stdout) as {
			services: Record<string, { environment: Record<string, string | number> }>;
		};
		for (const service of n8n) {
			const theirs = Object.fromEntries(
				Object.entries(config.services[service.name].environment).map(([key, value]) => [
					key,
					String(value),
				]),
			);
			expect(theirs).toEqual(service.environment);
		}
	});
});
