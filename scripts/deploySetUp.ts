/**
 * deploy/ as data: the compose file's services with the environment docker compose gives each
 * one (variables from an env file, interpolated as compose does), and the Dockerfile's
 * instructions. The queue-mode runner starts n8n with exactly this environment, and the deploy
 * checks read the same, so the documented set-up is the tested one.
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';

import { parse as parseEnvFile } from 'dotenv';
import { DockerfileParser } from 'dockerfile-ast';
import type { Dockerfile } from 'dockerfile-ast';
import { parse as parseYaml } from 'yaml';

import { REPO_ROOT } from './paths';

export const DEPLOY_DIR = path.join(REPO_ROOT, 'deploy');
export const COMPOSE_FILE = path.join(DEPLOY_DIR, 'docker-compose.yml');
export const ENV_EXAMPLE_FILE = path.join(DEPLOY_DIR, '.env.example');
export const DOCKERFILE = path.join(DEPLOY_DIR, 'Dockerfile');

/** A service of the compose file, as far as the runner and the checks need it. */
export interface ComposeService {
	name: string;
	image?: string;
	/** `build` (a context folder or `{ context }`): set for the services built from deploy/Dockerfile. */
	build?: string | { context?: string };
	/** `command` as words: `['worker', '--concurrency=10']`. */
	command: string[];
	/** The environment with every `${…}` resolved. */
	environment: Record<string, string>;
	ports: string[];
	volumes: string[];
}

interface RawService {
	image?: string;
	build?: string | { context?: string };
	command?: string | string[];
	environment?: Record<string, string | number | boolean | null> | string[];
	ports?: Array<string | number>;
	volumes?: string[];
}

/** The variables of an env file (`deploy/.env.example` by default), as docker compose reads `.env`. */
export async function readEnvFile(file = ENV_EXAMPLE_FILE): Promise<Record<string, string>> {
	return parseEnvFile(await readFile(file, 'utf8'));
}

/**
 * Compose's interpolation of one value: `$$` is a literal `$`; `${NAME}`, `$NAME`;
 * `${NAME:-default}` / `${NAME-default}` (default when empty or unset / when unset);
 * `${NAME:?message}` / `${NAME?message}` (an error when empty or unset / when unset).
 */
export function interpolate(value: string, variables: Record<string, string | undefined>): string {
	return value.replace(
		/\$(\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*)|\{[^}]*\})/g,
		(
			whole,
			_all,
			braced?: string,
			colon?: string,
			operator?: string,
			operand?: string,
			bare?: string,
		) => {
			if (whole === '$$') return '$';
			const name = braced ?? bare;
			if (!name)
				throw new Error(
					`Unsupported interpolation ${whole} (deploy/ uses \${NAME}, \${NAME:-default}, \${NAME:?message})`,
				);
			const current = variables[name];
			const missing = current === undefined || (colon === ':' && current === '');
			if (operator === '-') return missing ? (operand ?? '') : current!;
			if (operator === '?' && missing) throw new Error(`${name}: ${operand || 'required'}`);
			return current ?? '';
		},
	);
}

const toWords = (command: string | string[] | undefined) =>
	command === undefined
		? []
		: Array.isArray(command)
			? command
			: command.split(/\s+/).filter(Boolean);

function environmentOf(
	raw: RawService['environment'],
	variables: Record<string, string | undefined>,
): Record<string, string> {
	const entries: Array<[string, string]> = Array.isArray(raw)
		? raw.map((line) => {
				const at = line.indexOf('=');
				return at === -1 ? [line, variables[line] ?? ''] : [line.slice(0, at), line.slice(at + 1)];
			})
		: Object.entries(raw ?? {}).map(([key, value]) => [
				key,
				value === null ? (variables[key] ?? '') : String(value),
			]);
	return Object.fromEntries(entries.map(([key, value]) => [key, interpolate(value, variables)]));
}

/**
 * The services of deploy/docker-compose.yml with their environment resolved from `variables`
 * (default: deploy/.env.example). YAML anchors and merge keys are resolved as compose does.
 */
export async function readComposeServices(
	variables?: Record<string, string | undefined>,
): Promise<ComposeService[]> {
	const vars = variables ?? (await readEnvFile());
	const document = parseYaml(await readFile(COMPOSE_FILE, 'utf8'), {
		merge: true,
		maxAliasCount: -1,
	}) as {
		services?: Record<string, RawService>;
	};
	return Object.entries(document.services ?? {}).map(([name, raw]) => ({
		name,
		image: raw.image === undefined ? undefined : interpolate(raw.image, vars),
		build: raw.build,
		command: toWords(raw.command).map((word) => interpolate(word, vars)),
		environment: environmentOf(raw.environment, vars),
		ports: (raw.ports ?? []).map((port) => interpolate(String(port), vars)),
		volumes: raw.volumes ?? [],
	}));
}

/** The n8n services: those built from deploy/Dockerfile. Their role is their command (start, worker, webhook). */
export function n8nServices(services: ComposeService[]): ComposeService[] {
	return services.filter((service) => service.build !== undefined);
}

/** The role of an n8n service: `start` (also when the command is left to the image), `worker` or `webhook`. */
export function roleOf(service: ComposeService): 'start' | 'worker' | 'webhook' {
	const [command = 'start'] = service.command;
	if (command !== 'start' && command !== 'worker' && command !== 'webhook') {
		throw new Error(`Service ${service.name}: unknown n8n command "${command}"`);
	}
	return command;
}

/** deploy/Dockerfile, parsed. */
export async function readDockerfile(file = DOCKERFILE): Promise<Dockerfile> {
	return DockerfileParser.parse(await readFile(file, 'utf8'));
}
