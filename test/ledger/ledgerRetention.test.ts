/**
 * Retention on a ledger that several nodes share: each campaign keeps its claims for its own
 * retention (the largest asked for it), so a node set to one day never deletes another
 * campaign's history or an unknown outcome; and a purge that fails never fails an item.
 */
import * as path from 'node:path';

import type { LedgerLocation } from '../../nodes/shared/ledger/openLedger';
import { runChecked } from '../../scripts/process';
import { freshEmbedded, freshPostgres } from './ledgerSql';
import type { LedgerSql } from './ledgerSql';

const built =
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	require('../../dist/nodes/shared/ledger/openLedger') as typeof import('../../nodes/shared/ledger/openLedger');

const WORKER = path.join(__dirname, 'openOnce.worker.js');
const DAY_MS = 86_400_000;

async function openLedger(location: LedgerLocation, retentionDays: number) {
	const opened = await built.openLedger(location, retentionDays);
	if (!opened.ok) throw new Error(`${opened.message}: ${opened.hint}`);
	return opened.value;
}

/** Another n8n process opens the ledger for a node with this retention: its first open purges. */
async function openInAnotherProcess(location: LedgerLocation, retentionDays: number) {
	const { stdout } = await runChecked(
		process.execPath,
		['--no-warnings', WORKER, JSON.stringify({ location, retentionDays })],
		{ timeoutMs: 60_000 },
	);
	return JSON.parse(stdout) as { warnings: string[] };
}

const request = (scope: string, e164: string, executionId = 'exec-1') => ({
	scope,
	callKey: `key-${e164}`,
	e164,
	maskedNumber: '•••',
	executionId,
	policy: { maxAttempts: 3, hoursBetweenAttempts: 4 },
	reachOf: async () => ({ reach: 'unknown' as const }),
	waitForOthersMs: 0,
});

type Ledger = Awaited<ReturnType<typeof openLedger>>;

/** A placed call and a call with an unknown outcome in the campaign. */
async function twoCalls(ledger: Ledger, scope: string, numbers: [string, string]) {
	const placed = await ledger.claim(request(scope, numbers[0]));
	const unclear = await ledger.claim(request(scope, numbers[1]));
	if (placed.kind !== 'claimed' || unclear.kind !== 'claimed') throw new Error('not claimed');
	await placed.claim.initiated({ conversationId: `conv_${numbers[0]}` });
	await unclear.claim.unknown();
}

const stores: Array<[string, () => Promise<LedgerSql>]> = [
	['embedded', async () => freshEmbedded()],
	['postgres', async () => await freshPostgres('retention')],
];

describe.each(stores)('retention on the %s ledger', (_name, fresh) => {
	let db: LedgerSql;
	beforeEach(async () => {
		db = await fresh();
	});
	afterEach(async () => await db.close());

	test('two nodes with retention 1 and 180 on one ledger: the 1-day node purges its own campaign only, never the other’s unknown outcome', async () => {
		const yearLong = await openLedger(db.location, 180);
		const dayLong = await openLedger(db.location, 1);
		await twoCalls(yearLong, 'agent_x\nlong', ['+4917610000001', '+4917610000002']);
		await twoCalls(dayLong, 'agent_x\nshort', ['+4917610000003', '+4917610000004']);
		// Two days pass.
		await db.sql(
			`UPDATE voice_recruiting_call_attempts SET claimed_at = claimed_at - ${2 * DAY_MS}, updated_at = updated_at - ${2 * DAY_MS}`,
		);
		await db.sql(`UPDATE voice_recruiting_call_keys SET used_at = used_at - ${2 * DAY_MS}`);

		// A process whose first ledger node has a retention of 1 day starts, and purges.
		await openInAnotherProcess(db.location, 1);

		const left = await db.sql(
			'SELECT scope, outcome FROM voice_recruiting_call_attempts ORDER BY scope, outcome',
		);
		expect(left).toEqual([
			{ scope: 'agent_x\nlong', outcome: 'initiated' },
			{ scope: 'agent_x\nlong', outcome: 'unknown' },
		]);
		// The unknown outcome still stops every other execution.
		expect(
			await yearLong.claim(request('agent_x\nlong', '+4917610000002', 'exec-2')),
		).toMatchObject({ kind: 'skipped', status: 'already_called', last: { outcome: 'unknown' } });
	});
});

test('a purge that fails never fails an item: it is logged and the ledger answers', async () => {
	const db = await freshPostgres('purgefails');
	try {
		// The tables exist (another process opened the ledger); an old key binding is due.
		await openInAnotherProcess(db.location, 180);
		await db.sql(
			`INSERT INTO voice_recruiting_call_keys (scope, call_key, person, masked_number, used_at)
			 VALUES ('agent_x\nold', 'key-old', 'p-old', '•••00', 0)`,
		);
		await db.sql(`CREATE FUNCTION refuse_delete() RETURNS trigger AS $$
			BEGIN RAISE EXCEPTION 'deleting is refused here'; END $$ LANGUAGE plpgsql`);
		await db.sql(`CREATE TRIGGER refuse_delete BEFORE DELETE ON voice_recruiting_call_keys
			FOR EACH ROW EXECUTE FUNCTION refuse_delete()`);

		const warnings: string[] = [];
		const opened = await built.openLedger(db.location, 180, {
			warn: (message) => warnings.push(message),
		});
		expect(opened.ok).toBe(true);
		expect(warnings).toEqual([expect.stringContaining('deleting is refused here')]);
		if (!opened.ok) return;
		expect((await opened.value.claim(request('agent_x\nnew', '+4917610000005'))).kind).toBe(
			'claimed',
		);
	} finally {
		await db.close();
	}
});
