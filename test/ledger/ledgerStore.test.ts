/**
 * The call ledger on both stores, embedded SQLite and Postgres, with real processes racing for
 * the same people. The ledger is loaded from dist/, as n8n loads the package.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import type { LedgerLocation } from '../../nodes/shared/ledger/openLedger';
import { runChecked } from '../../scripts/process';
import { processN8nFolder } from './n8nFolder';
import { freshPostgresDatabase } from './postgres';
import type { FreshDatabase } from './postgres';

const built =
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	require('../../dist/nodes/shared/ledger/openLedger') as typeof import('../../nodes/shared/ledger/openLedger');

/** The ledger at a location that must work. */
async function openLedger(location: LedgerLocation) {
	const opened = await built.openLedger(location, 180);
	if (!opened.ok) throw new Error(opened.message);
	return opened.value;
}

const WORKER = path.join(__dirname, 'claimRace.worker.js');
const POLICY = { maxAttempts: 3, hoursBetweenAttempts: 4 };

interface RaceResult {
	e164: string;
	kind: string;
	status?: string;
	conversationId?: string;
}

async function runWorker(arg: object): Promise<RaceResult[]> {
	const { stdout } = await runChecked(
		process.execPath,
		['--no-warnings', WORKER, JSON.stringify(arg)],
		{ timeoutMs: 60_000 },
	);
	return JSON.parse(stdout) as RaceResult[];
}

const numbers = (count: number, base = 4917100000) =>
	Array.from({ length: count }, (_, i) => `+${base + i}`);

let database: FreshDatabase;
// The ledger's key comes from n8n's encryption key, in the config file of n8n's folder.
const n8nFolder = processN8nFolder();
const embeddedDir = mkdtempSync(path.join(tmpdir(), 'vr-ledger-'));

beforeAll(async () => {
	database = await freshPostgresDatabase('ledger');
});
afterAll(async () => {
	await database?.drop();
});

const stores: Array<[string, () => LedgerLocation]> = [
	['embedded', () => ({ kind: 'embedded', storagePath: embeddedDir, n8nFolder })],
	['postgres', () => ({ kind: 'postgres', postgres: database.credential, n8nFolder })],
];

describe.each(stores)('the %s ledger', (_name, location) => {
	const scope = () => `agent_x\ncampaign-${randomBytes(4).toString('hex')}`;
	const request = (
		e164: string,
		over: Partial<
			Parameters<import('../../nodes/shared/ledger/callLedger').CallLedger['claim']>[0]
		> = {},
	) => ({
		scope: 'agent_x\nsingle',
		callKey: `key-${e164}`,
		e164,
		maskedNumber: `${e164.slice(0, 6)}•••`,
		executionId: 'exec-1',
		policy: POLICY,
		reachOf: async () => ({ reach: 'unknown' as const }),
		waitForOthersMs: 2000,
		...over,
	});

	test('six processes claiming the same 20 people at once: each person is claimed once, and the others learn the winner’s conversation', async () => {
		const people = numbers(20);
		const arg = {
			location: location(),
			startAt: Date.now() + 1500,
			numbers: people,
			settleAfterMs: 300,
			scope: scope(),
		};
		const results = (await Promise.all(Array.from({ length: 6 }, () => runWorker(arg)))).flat();
		expect(results).toHaveLength(120);
		for (const e164 of people) {
			const mine = results.filter((r) => r.e164 === e164);
			const winners = mine.filter((r) => r.kind === 'claimed');
			expect(winners).toHaveLength(1);
			const losers = mine.filter((r) => r.kind !== 'claimed');
			expect(losers.map((r) => [r.kind, r.status, r.conversationId])).toEqual(
				Array(5).fill(['skipped', 'already_called', winners[0].conversationId]),
			);
		}
	});

	test('an unknown outcome is never dialled again: this execution is told, another one skips', async () => {
		const ledger = await openLedger(location());
		const r = request('+4917200000001', { scope: scope() });
		const first = await ledger.claim(r);
		if (first.kind !== 'claimed') throw new Error(first.kind);
		await first.claim.unknown();
		expect((await ledger.claim(r)).kind).toBe('ownUnknown');
		const other = await ledger.claim({ ...r, executionId: 'exec-2' });
		expect(other).toMatchObject({
			kind: 'skipped',
			status: 'already_called',
			last: { outcome: 'unknown', attempt: 1 },
		});
	});

	test('a batch’s attempts are found by its id, each in its own campaign', async () => {
		const ledger = await openLedger(location());
		const batchId = `btcal_${randomBytes(6).toString('hex')}`;
		const [a, b] = [scope(), scope()];
		for (const [e164, s] of [
			['+4917200000011', a],
			['+4917200000012', b],
		]) {
			const won = await ledger.claim(request(e164, { scope: s }));
			if (won.kind !== 'claimed') throw new Error(won.kind);
			await won.claim.initiated({ batchId });
		}
		const other = await ledger.claim(request('+4917200000013', { scope: a }));
		if (other.kind !== 'claimed') throw new Error(other.kind);
		await other.claim.initiated({ batchId: 'btcal_other' });
		const found = await ledger.batchAttempts(batchId);
		expect(found.map((f) => [f.person, f.scope, f.callKey]).sort()).toEqual(
			[
				[ledger.person('+4917200000011'), a, 'key-+4917200000011'],
				[ledger.person('+4917200000012'), b, 'key-+4917200000012'],
			].sort(),
		);
	});

	test('a person’s batches are found by the person; a replacement batch takes over the moved people only', async () => {
		const ledger = await openLedger(location());
		const [old, next, other] = ['old', 'next', 'other'].map(
			(name) => `btcal_${name}_${randomBytes(4).toString('hex')}`,
		);
		const [a, b] = [scope(), scope()];
		const people = numbers(3, 4917300000000 + Math.floor(Math.random() * 1e6));
		for (const [e164, s, batchId] of [
			[people[0], a, old],
			[people[1], a, old],
			[people[2], a, old],
			[people[0], b, other],
		]) {
			const won = await ledger.claim(request(e164, { scope: s }));
			if (won.kind !== 'claimed') throw new Error(won.kind);
			await won.claim.initiated({ batchId });
		}
		const batchesOf = async (e164: string) =>
			(await ledger.personBatchAttempts(e164)).map((at) => [at.scope, at.batchId]);
		expect(await batchesOf(people[0])).toEqual([
			[a, old],
			[b, other],
		]);

		expect(await ledger.moveToBatch(old, next, [people[1], people[2], '+4917399999999'])).toBe(2);
		expect(await batchesOf(people[1])).toEqual([[a, next]]);
		expect(await batchesOf(people[0])).toEqual([
			[a, old],
			[b, other],
		]);
		expect((await ledger.batchAttempts(next)).map((at) => at.person).sort()).toEqual(
			[ledger.person(people[1]), ledger.person(people[2])].sort(),
		);
	});

	test('one execution at a time replaces a batch; a dropped claim may be taken, a finished one says by what', async () => {
		const ledger = await openLedger(location());
		const batchId = `btcal_${randomBytes(6).toString('hex')}`;
		const first = await ledger.claimBatchReplacement(batchId);
		const second = await ledger.claimBatchReplacement(batchId);
		expect([first.won, second.won]).toEqual([true, false]);
		expect(second.claimId).toBe(first.claimId);
		await ledger.dropBatchReplacement(first);
		const third = await ledger.claimBatchReplacement(batchId);
		expect(third.won).toBe(true);
		await ledger.finishBatchReplacement(third, 'btcal_new');
		await ledger.dropBatchReplacement(third);
		expect(await ledger.claimBatchReplacement(batchId)).toMatchObject({
			won: false,
			claimId: third.claimId,
			replacedBy: 'btcal_new',
			finishedAt: expect.any(Number),
		});
	});

	test('a refusal releases the claim: the same attempt can be claimed again', async () => {
		const ledger = await openLedger(location());
		const r = request('+4917200000002', { scope: scope() });
		const first = await ledger.claim(r);
		if (first.kind !== 'claimed') throw new Error(first.kind);
		await first.claim.release();
		const again = await ledger.claim({ ...r, executionId: 'exec-2' });
		expect(again.kind).toBe('claimed');
		if (again.kind === 'claimed') expect(again.claim.attempt).toBe(1);
	});

	test('attempt budget: too soon while the pause runs, the next attempt after it, exhausted after the last', async () => {
		const ledger = await openLedger(location());
		const s = scope();
		const notReached = { reachOf: async () => ({ reach: 'not_reached' as const }), scope: s };
		const e164 = '+4917200000003';
		const first = await ledger.claim(request(e164, notReached));
		if (first.kind !== 'claimed') throw new Error(first.kind);
		await first.claim.initiated({ conversationId: 'conv_1' });
		const soon = await ledger.claim(request(e164, { ...notReached, executionId: 'exec-2' }));
		expect(soon).toMatchObject({ kind: 'skipped', status: 'too_soon', attempts: 1 });
		if (soon.kind === 'skipped') {
			expect(soon.nextAttemptAfter! - soon.last.claimedAt).toBe(4 * 3_600_000);
		}
		const noPause = { ...notReached, policy: { maxAttempts: 3, hoursBetweenAttempts: 0 } };
		for (const attempt of [2, 3]) {
			const next = await ledger.claim(
				request(e164, { ...noPause, executionId: `exec-${attempt}` }),
			);
			if (next.kind !== 'claimed') throw new Error(next.kind);
			expect(next.claim.attempt).toBe(attempt);
			await next.claim.initiated({ conversationId: `conv_${attempt}` });
		}
		expect(await ledger.claim(request(e164, { ...noPause, executionId: 'exec-4' }))).toMatchObject({
			kind: 'skipped',
			status: 'attempts_exhausted',
			attempts: 3,
		});
	});

	test('a call that reached the person is not repeated, whatever the budget says', async () => {
		const ledger = await openLedger(location());
		const r = request('+4917200000004', {
			scope: scope(),
			policy: { maxAttempts: 3, hoursBetweenAttempts: 0 },
		});
		const first = await ledger.claim(r);
		if (first.kind !== 'claimed') throw new Error(first.kind);
		await first.claim.initiated({ conversationId: 'conv_reached' });
		const reachOf = jest.fn(async () => ({ reach: 'reached' as const }));
		expect(await ledger.claim({ ...r, executionId: 'exec-2', reachOf })).toMatchObject({
			kind: 'skipped',
			status: 'already_called',
			last: { conversationId: 'conv_reached' },
		});
		expect(reachOf).toHaveBeenCalledWith(
			expect.objectContaining({ conversationId: 'conv_reached' }),
		);
	});

	test('one number under two candidate keys is one person; one key with two numbers is a conflict', async () => {
		const ledger = await openLedger(location());
		const s = scope();
		const first = await ledger.claim(request('+4917200000005', { scope: s, callKey: 'cand-1' }));
		if (first.kind !== 'claimed') throw new Error(first.kind);
		await first.claim.initiated({ conversationId: 'conv_5' });
		expect(
			await ledger.claim(
				request('+4917200000005', { scope: s, callKey: 'cand-2', executionId: 'exec-2' }),
			),
		).toMatchObject({
			kind: 'skipped',
			status: 'already_called',
			last: { conversationId: 'conv_5' },
		});
		expect(
			await ledger.claim(
				request('+4917200000006', { scope: s, callKey: 'cand-1', executionId: 'exec-3' }),
			),
		).toEqual({
			kind: 'conflict',
			boundTo: { person: ledger.person('+4917200000005'), maskedNumber: '•••05' },
		});
	});

	test('the do-not-call list holds in every campaign until the entry is removed', async () => {
		const ledger = await openLedger(location());
		const e164 = '+4917200000007';
		expect(
			await ledger.addDoNotCall(e164, '+49172•••0007', 'opted out on the phone'),
		).toMatchObject({ added: true });
		expect(await ledger.addDoNotCall(e164, '+49172•••0007', 'again')).toMatchObject({
			added: false,
			entry: { reason: 'opted out on the phone' },
		});
		for (const s of [scope(), scope()]) {
			expect(await ledger.claim(request(e164, { scope: s }))).toMatchObject({
				kind: 'doNotCall',
				entry: { reason: 'opted out on the phone' },
			});
		}
		expect(await ledger.removeDoNotCall(e164)).toBe(true);
		expect(await ledger.removeDoNotCall(e164)).toBe(false);
		expect((await ledger.claim(request(e164, { scope: scope() }))).kind).toBe('claimed');
	});

	test('retention removes old claims and keeps the do-not-call list', async () => {
		const ledger = (await openLedger(location())).withRetention(1);
		const s = scope();
		const e164 = '+4917200000008';
		const first = await ledger.claim(request(e164, { scope: s }));
		if (first.kind !== 'claimed') throw new Error(first.kind);
		await first.claim.initiated({ conversationId: 'conv_8' });
		await ledger.addDoNotCall('+4917200000009', '+49172•••0009', 'written objection');
		await ledger.store.purge(Date.now() + 86_400_000 + 1000, 1);
		expect(await ledger.store.attempts(s, ledger.person(e164))).toEqual([]);
		expect(await ledger.doNotCall('+4917200000009')).toMatchObject({ reason: 'written objection' });
	});
});

test('the embedded ledger file holds no phone number, only keyed hashes and masked numbers', async () => {
	const ledger = await openLedger({ kind: 'embedded', storagePath: embeddedDir });
	const e164 = '+4917255501234';
	const claimed = await ledger.claim({
		scope: 'agent_x\nprivacy',
		callKey: 'vr1_abc',
		e164,
		maskedNumber: '+49172•••1234',
		executionId: 'exec-1',
		policy: POLICY,
		reachOf: async () => ({ reach: 'unknown' }),
		waitForOthersMs: 0,
	});
	if (claimed.kind !== 'claimed') throw new Error(claimed.kind);
	await claimed.claim.initiated({ conversationId: 'conv_privacy' });
	await ledger.addDoNotCall('+4917255509876', '+49172•••9876', 'opt-out');
	const bytes = readdirSync(embeddedDir)
		.map((file) => readFileSync(path.join(embeddedDir, file)).toString('latin1'))
		.join('');
	expect(bytes).toContain('conv_privacy');
	expect(bytes).not.toContain('4917255501234');
	expect(bytes).not.toContain('4917255509876');
});

test('the Postgres ledger stores no phone number either', async () => {
	const ledger = await openLedger({ kind: 'postgres', postgres: database.credential });
	await ledger.addDoNotCall('+4917255507777', '+49172•••7777', 'opt-out');
	const dump = await database.dump();
	expect(dump).toContain('•••77');
	expect(dump).not.toContain('4917255507777');
});

test('an unreachable Postgres is an error, never "not called yet"', async () => {
	await expect(
		openLedger({ kind: 'postgres', postgres: { ...database.credential, port: 1 } }),
	).rejects.toThrow(/ECONNREFUSED|connect/);
});

test('the embedded ledger is refused in queue mode', async () => {
	expect(
		await built.openLedger(
			{ kind: 'embedded', storagePath: embeddedDir, executionsMode: 'queue' },
			180,
		),
	).toEqual({
		ok: false,
		message: 'The embedded call ledger cannot be used in queue mode',
		hint: expect.stringContaining('Postgres'),
	});
});
