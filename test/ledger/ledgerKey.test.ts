/**
 * The ledger's key: kept out of its database (wrapped with a key derived from n8n's encryption
 * key, or the credential's Ledger Secret), never made anew for a ledger with records, never held
 * on by a process after it changed, and a dump that gives no number back. Both stores; the
 * ledger is loaded from dist/, as n8n loads the package.
 */
import { createHash, createHmac } from 'node:crypto';

import type { LedgerLocation } from '../../nodes/shared/ledger/openLedger';
import { freshEmbedded, freshPostgres } from './ledgerSql';
import type { LedgerSql } from './ledgerSql';
import { otherN8nFolder } from './n8nFolder';

const built =
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	require('../../dist/nodes/shared/ledger/openLedger') as typeof import('../../nodes/shared/ledger/openLedger');
const builtLedger =
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	require('../../dist/nodes/shared/ledger/callLedger') as typeof import('../../nodes/shared/ledger/callLedger');
const builtStore =
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	require('../../dist/nodes/shared/ledger/sqlLedgerStore') as typeof import('../../nodes/shared/ledger/sqlLedgerStore');
const builtSqlite =
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	require('../../dist/nodes/shared/ledger/sqliteDatabase') as typeof import('../../nodes/shared/ledger/sqliteDatabase');
const builtPostgres =
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	require('../../dist/nodes/shared/ledger/postgresDatabase') as typeof import('../../nodes/shared/ledger/postgresDatabase');
/** Loaded when first used: the module is new with the key kept out of the database. */
const builtKey = () =>
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	require('../../dist/nodes/shared/ledger/ledgerKey') as typeof import('../../nodes/shared/ledger/ledgerKey');

async function openLedger(location: LedgerLocation) {
	const opened = await built.openLedger(location, 180);
	if (!opened.ok) throw new Error(`${opened.message}: ${opened.hint}`);
	return opened.value;
}

/** The ledger as a second process opens it: its own store on the same database, nothing cached. */
async function openElsewhere(location: LedgerLocation) {
	const db =
		location.kind === 'postgres'
			? await builtPostgres.PostgresDatabase.connect(location.postgres!)
			: new builtSqlite.SqliteDatabase(
					builtSqlite.loadSqlite()!,
					`${location.storagePath}/${built.LEDGER_FILE}`,
				);
	const keyring = builtKey().LedgerKeyring.find(
		location.postgres?.ledgerSecret,
		location.n8nFolder!,
	);
	return await builtLedger.CallLedger.open(new builtStore.SqlLedgerStore(db), keyring, 180);
}

const POLICY = { maxAttempts: 3, hoursBetweenAttempts: 4 };
const request = (e164: string, executionId = 'exec-1') => ({
	scope: 'agent_x\nkeys',
	callKey: `key-${e164}`,
	e164,
	maskedNumber: '+49171•••4567',
	executionId,
	policy: POLICY,
	reachOf: async () => ({ reach: 'unknown' as const }),
	waitForOthersMs: 0,
});

/** A ledger with one call placed and one number on the do-not-call list. */
async function withHistory(location: LedgerLocation) {
	const ledger = await openLedger(location);
	const claimed = await ledger.claim(request('+4917612345601'));
	if (claimed.kind !== 'claimed') throw new Error(claimed.kind);
	await claimed.claim.initiated({ conversationId: 'conv_keys' });
	await ledger.addDoNotCall('+4915198765402', '+49151•••5402', 'opted out');
	return ledger;
}

/**
 * What a process that holds the ledger open does when its key was replaced: the Postgres ledger
 * takes the stored key (every process then uses it); the embedded one is refused, as its note in
 * n8n's folder names the key it had (a replaced file).
 */
type OnReplacedKey = 'takes the stored key' | 'refused';

const stores: Array<[string, () => Promise<LedgerSql>, OnReplacedKey]> = [
	['embedded', async () => freshEmbedded(), 'refused'],
	['postgres', async () => await freshPostgres('keys'), 'takes the stored key'],
];

describe.each(stores)('the %s ledger’s key', (_name, fresh, onReplacedKey) => {
	let db: LedgerSql;
	beforeEach(async () => {
		db = await fresh();
	});
	afterEach(async () => await db.close());

	test('a deleted key row: the ledger with records is refused, by the process that has it open and by any other, and says what to do', async () => {
		await withHistory(db.location);
		await db.sql('DELETE FROM voice_recruiting_ledger_meta');
		const refused = await built.openLedger(db.location, 180);
		expect(refused).toEqual({
			ok: false,
			message: expect.stringMatching(
				/^The key of the .+ is missing, but the ledger still holds 3 records$/,
			),
			hint: expect.stringContaining('Restore'),
		});
		await expect(openElsewhere(db.location)).rejects.toThrow(
			/is missing, but the ledger still holds 3 records/,
		);
		// Nothing was made anew: a later look still finds no key rather than a new one.
		expect(await db.sql('SELECT name FROM voice_recruiting_ledger_meta')).toEqual([]);
	});

	test(`a key replaced while n8n runs: the running process never goes on with its old key (${onReplacedKey})`, async () => {
		const running = await withHistory(db.location);
		// The ledger emptied and its key row removed; another process then starts a new ledger.
		for (const table of ['ledger_meta', 'call_attempts', 'call_keys', 'do_not_call'])
			await db.sql(`DELETE FROM voice_recruiting_${table}`);
		const other = await openElsewhere(db.location);
		const number = '+4917612345601';
		expect(running.person(number)).not.toBe(other.person(number));
		const again = await built.openLedger(db.location, 180);
		if (onReplacedKey === 'refused') {
			expect(again).toMatchObject({ ok: false, message: expect.stringMatching(/is not the one/) });
		} else {
			expect(again.ok && again.value.person(number)).toBe(other.person(number));
		}
		await other.store.close();
	});

	test('a ledger made with another n8n encryption key is refused, not read with a key that matches nobody', async () => {
		await withHistory(db.location);
		const refused = await built.openLedger({ ...db.location, n8nFolder: otherN8nFolder() }, 180);
		expect(refused).toMatchObject({
			ok: false,
			message: expect.stringMatching(/was made with another n8n encryption key$/),
			hint: expect.stringContaining('N8N_ENCRYPTION_KEY'),
		});
	});

	test('a dump gives no number back: no key in it, no value in it that hashes a stored number to its person id, at most two digits shown', async () => {
		const ledger = await withHistory(db.location);
		const numbers = ['+4917612345601', '+4915198765402'];
		const persons = numbers.map((n) => ledger.person(n));
		const rows = await db.dump();
		const values = rows.flatMap((row) => Object.values(row)).map((v) => String(v));
		for (const person of persons) expect(values).toContain(person);
		// Every value of the dump, as text and as hex or base64 bytes, tried as the key. The true
		// numbers are among all German mobile numbers: if none of these keys maps them to their
		// person ids, hashing every German mobile number with them recovers nothing either.
		const keys: Array<string | Buffer> = [''];
		for (const value of values) {
			keys.push(value, Buffer.from(value, 'base64'));
			if (/^[0-9a-f]+$/i.test(value)) keys.push(Buffer.from(value, 'hex'));
			if (value.includes(':')) keys.push(Buffer.from(value.split(':').pop()!, 'base64'));
		}
		const recovered = numbers.filter(
			(n) =>
				keys.some((key) => {
					const hash = createHmac('sha256', key).update(n).digest('hex').slice(0, 40);
					return persons.includes(hash);
				}) || persons.includes(createHash('sha256').update(n).digest('hex').slice(0, 40)),
		);
		expect(recovered).toEqual([]);
		for (const row of rows.filter((r) => 'masked_number' in r))
			expect(String(row.masked_number).replace(/\D/g, '').length).toBeLessThanOrEqual(2);
	});

	test('a ledger from before: its stored salt leaves the database wrapped, its people still match and its masked numbers shrink', async () => {
		// The ledger as earlier versions left it: the salt in plain text beside the hashes.
		const salt = 'a'.repeat(64);
		const person = createHmac('sha256', salt).update('+4917612345601').digest('hex').slice(0, 40);
		const store = await openElsewhere(db.location);
		await store.store.close();
		for (const table of ['ledger_meta', 'call_attempts', 'call_keys', 'do_not_call'])
			await db.sql(`DELETE FROM voice_recruiting_${table}`);
		await db.sql(
			"INSERT INTO voice_recruiting_ledger_meta (name, value) VALUES ('person_salt', $1)".replace(
				'$1',
				`'${salt}'`,
			),
		);
		await db.sql(
			`INSERT INTO voice_recruiting_call_attempts (scope, person, attempt, call_key, claim_id, execution_id,
				claimed_at, updated_at, outcome, conversation_id, masked_number)
			 VALUES ('agent_x\nkeys', '${person}', 1, 'key-old', 'c1', 'exec-old', ${Date.now()}, ${Date.now()},
				'initiated', 'conv_old', '+49176•••5601')`,
		);
		const ledger = await openLedger(db.location);
		expect(ledger.person('+4917612345601')).toBe(person);
		expect(await ledger.claim(request('+4917612345601', 'exec-new'))).toMatchObject({
			kind: 'skipped',
			status: 'already_called',
			last: { conversationId: 'conv_old' },
		});
		const values = (await db.dump()).flatMap((row) => Object.values(row)).map(String);
		expect(values.join('\n')).not.toContain(salt);
		expect(values).toContain('•••01');
	});
});

test('the Postgres cache tells credentials apart by every setting: another Ledger Secret is another (refused) ledger, not the one opened first', async () => {
	const db = await freshPostgres('cachekey');
	try {
		const withKey = { ...db.location.postgres!, ledgerSecret: 'k'.repeat(40) };
		const first = await openLedger({ ...db.location, postgres: withKey });
		const relaxed = await openLedger({
			...db.location,
			postgres: { ...withKey, ignoreSslIssues: true },
		});
		expect(relaxed.store).not.toBe(first.store);
		expect(
			await built.openLedger(
				{ ...db.location, postgres: { ...withKey, ledgerSecret: 'j'.repeat(40) } },
				180,
			),
		).toMatchObject({
			ok: false,
			message: expect.stringMatching(/was made with another Ledger Secret$/),
		});
		expect(
			await built.openLedger(
				{ ...db.location, postgres: { ...withKey, ledgerSecret: 'short' } },
				180,
			),
		).toMatchObject({ ok: false, message: expect.stringMatching(/shorter than 32 characters$/) });
	} finally {
		await db.close();
	}
});
