/**
 * PostgreSQL on 127.0.0.1:5432 for the queue-mode tests: started when it is not running, installed
 * from Debian's `postgresql` package when it is missing, and a fresh database per test run.
 *
 * Administration runs as the `postgres` superuser over the Unix socket (`runuser -u postgres`,
 * Debian's peer authentication) when this process is root, else as `-U postgres` over TCP. n8n
 * connects over TCP with a password, as it does in production, as a test role that owns the
 * database: that works whether the server asks for passwords (Debian's default) or trusts local
 * connections.
 */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';

import { aptInstall } from '../debianPackages';
import { formatDuration, progress, runChecked, runProcess, sleep } from '../process';
import { withServicesLock } from './serviceLock';

export const POSTGRES_HOST = '127.0.0.1';
export const POSTGRES_PORT = 5432;
/** The role n8n connects as in the tests. It owns only the tests' throwaway databases. */
export const TEST_ROLE = 'n8n_e2e';
// A test role on 127.0.0.1 that owns throwaway databases, not a secret.
// eslint-disable-next-line @n8n/community-nodes/no-hardcoded-secrets
export const TEST_ROLE_PASSWORD = 'n8n-e2e-local-only';

export interface TestDatabase {
	name: string;
	host: string;
	port: number;
	user: string;
	password: string;
	/** Runs SQL in this database as the test role; resolves with the rows, tab-separated fields. */
	query(sql: string): Promise<string[][]>;
	/** Drops the database (ending its connections first). */
	drop(): Promise<void>;
}

const isRoot = () => process.getuid?.() === 0;

async function accepting(): Promise<boolean> {
	if (!existsSync('/usr/bin/pg_isready')) return false;
	const result = await runProcess(
		'pg_isready',
		['-q', '-h', POSTGRES_HOST, '-p', String(POSTGRES_PORT)],
		{ timeoutMs: 10_000 },
	);
	return result.code === 0;
}

/** psql as the superuser: over the socket as the OS user postgres when root, else over TCP. */
async function adminSql(sql: string, database = 'postgres'): Promise<string> {
	const psql = ['psql', '-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-d', database, '-c', sql];
	const result = isRoot()
		? await runChecked('runuser', ['-u', 'postgres', '--', ...psql], { timeoutMs: 60_000 })
		: await runChecked(
				psql[0],
				[...psql.slice(1), '-h', POSTGRES_HOST, '-p', String(POSTGRES_PORT), '-U', 'postgres'],
				{ timeoutMs: 60_000 },
			);
	return result.stdout;
}

/** Starts PostgreSQL when it does not accept connections, installing it from Debian when missing. */
export async function ensurePostgres(): Promise<void> {
	if (await accepting()) return;
	await withServicesLock(async () => {
		if (await accepting()) return;
		if (!existsSync('/usr/bin/pg_ctlcluster'))
			await aptInstall(['postgresql'], 'PostgreSQL is not installed');
		const versions = existsSync('/etc/postgresql') ? await readdir('/etc/postgresql') : [];
		let version = versions.sort().at(-1);
		if (!version) {
			// Debian's package creates the cluster "main" on install; create it when it did not.
			version = (await readdir('/usr/lib/postgresql')).sort().at(-1);
			if (!version)
				throw new Error('PostgreSQL is installed, but /usr/lib/postgresql has no server version');
			progress(`PostgreSQL: creating the cluster ${version}/main (pg_createcluster)`);
			await runChecked('pg_createcluster', [version, 'main'], { timeoutMs: 120_000 });
		}
		progress(
			`PostgreSQL is not running on ${POSTGRES_HOST}:${POSTGRES_PORT}: starting it (pg_ctlcluster ${version} main start)`,
		);
		const started = Date.now();
		await runChecked('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start'], {
			timeoutMs: 120_000,
		});
		while (!(await accepting())) {
			if (Date.now() - started > 60_000)
				throw new Error(
					`PostgreSQL ${version}/main started but does not accept connections on ${POSTGRES_HOST}:${POSTGRES_PORT}`,
				);
			await sleep(500);
		}
		progress(`PostgreSQL: running (${formatDuration(Date.now() - started)})`);
	});
}

/** Creates the test role (once per server) and a fresh database it owns. */
export async function createTestDatabase(name: string): Promise<TestDatabase> {
	if (!/^[a-z][a-z0-9_]{0,62}$/.test(name))
		throw new Error(`Database name "${name}" must be lower-case letters, digits and _`);
	await withServicesLock(async () => {
		const exists =
			(await adminSql(`SELECT 1 FROM pg_roles WHERE rolname = '${TEST_ROLE}'`)).trim() === '1';
		if (!exists) await adminSql(`CREATE ROLE ${TEST_ROLE} LOGIN PASSWORD '${TEST_ROLE_PASSWORD}'`);
	});
	await adminSql(`CREATE DATABASE ${name} OWNER ${TEST_ROLE}`);
	progress(`PostgreSQL: created database ${name}`);
	return {
		name,
		host: POSTGRES_HOST,
		port: POSTGRES_PORT,
		user: TEST_ROLE,
		password: TEST_ROLE_PASSWORD,
		query: async (sql) => {
			const result = await runChecked(
				'psql',
				[
					'-X',
					'-q',
					'-At',
					'-F',
					'\t',
					'-v',
					'ON_ERROR_STOP=1',
					'-h',
					POSTGRES_HOST,
					'-p',
					String(POSTGRES_PORT),
					'-U',
					TEST_ROLE,
					'-d',
					name,
					'-c',
					sql,
				],
				{ env: { ...process.env, PGPASSWORD: TEST_ROLE_PASSWORD }, timeoutMs: 60_000 },
			);
			return result.stdout
				.split('\n')
				.filter((line) => line !== '')
				.map((line) => line.split('\t'));
		},
		drop: async () => {
			await adminSql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
			progress(`PostgreSQL: dropped database ${name}`);
		},
	};
}
