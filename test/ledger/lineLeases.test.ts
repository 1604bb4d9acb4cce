/**
 * Line leases on both stores, embedded SQLite and Postgres: processes racing for an agent's
 * lines never hold more than there are, a killed holder's lines return within the lease's
 * bound, and a line is released however the work on it ends. Loaded from dist/, as n8n loads it.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import { killGroup, runChecked, spawnChild } from '../../scripts/process';
import { freshPostgresDatabase } from './postgres';
import type { FreshDatabase } from './postgres';

/* eslint-disable @typescript-eslint/no-require-imports */
const { LineLeases } =
	require('../../dist/nodes/shared/ledger/lineLeases') as typeof import('../../nodes/shared/ledger/lineLeases');
const { PostgresDatabase } =
	require('../../dist/nodes/shared/ledger/postgresDatabase') as typeof import('../../nodes/shared/ledger/postgresDatabase');
const { SqliteDatabase, loadSqlite } =
	require('../../dist/nodes/shared/ledger/sqliteDatabase') as typeof import('../../nodes/shared/ledger/sqliteDatabase');
/* eslint-enable @typescript-eslint/no-require-imports */

const WORKER = path.join(__dirname, 'lineLeases.worker.js');

type Store = { kind: 'embedded'; file: string } | { kind: 'postgres'; credential: object };

let database: FreshDatabase;
const embeddedFile = path.join(mkdtempSync(path.join(tmpdir(), 'vr-leases-')), 'ledger.sqlite');
const opened: Array<{ end?: () => Promise<void> }> = [];

beforeAll(async () => {
	database = await freshPostgresDatabase('leases');
});
afterAll(async () => {
	for (const db of opened) await db.end?.();
	await database?.drop();
});

async function leasesAt(store: Store, leaseMs: number) {
	const db =
		store.kind === 'embedded'
			? new SqliteDatabase(loadSqlite()!, store.file)
			: await PostgresDatabase.connect(database.credential);
	opened.push(db as { end?: () => Promise<void> });
	return new LineLeases(db, { leaseMs });
}

interface Holding {
	line: number;
	from: number;
	to: number;
}

/** The most holdings at one moment, and whether two overlapping ones had the same line. */
function overlap(holdings: Holding[]): { most: number; sameLine: boolean } {
	const events = holdings.flatMap((h) => [
		{ at: h.from, step: 1 },
		{ at: h.to, step: -1 },
	]);
	// Ends before starts at the same millisecond: touching holdings do not overlap.
	events.sort((a, b) => a.at - b.at || a.step - b.step);
	let now = 0;
	let most = 0;
	for (const e of events) most = Math.max(most, (now += e.step));
	const byLine = new Map<number, Holding[]>();
	for (const h of holdings) byLine.set(h.line, [...(byLine.get(h.line) ?? []), h]);
	const sameLine = [...byLine.values()].some((list) =>
		list.sort((a, b) => a.from - b.from).some((h, i) => i > 0 && h.from < list[i - 1].to),
	);
	return { most, sameLine };
}

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

describe.each<[string, () => Store]>([
	['embedded', () => ({ kind: 'embedded', file: embeddedFile })],
	['postgres', () => ({ kind: 'postgres', credential: database.credential })],
])('line leases on the %s ledger', (_name, store) => {
	const agent = () => `agent_${randomBytes(4).toString('hex')}`;

	it('gives out as many lines as the limit, and a released one again', async () => {
		const leases = await leasesAt(store(), 60_000);
		const a = agent();
		const taken = [];
		for (let i = 0; i < 3; i++) taken.push(await leases.take(a, 3, 'me'));
		expect(taken.map((l) => l?.line)).toEqual([0, 1, 2]);
		expect(await leases.take(a, 3, 'me')).toBeUndefined();
		expect(await leases.held(a)).toBe(3);
		await leases.release(taken[1]!);
		expect((await leases.take(a, 3, 'me'))?.line).toBe(1);
		// A raised limit adds lines; another agent has lines of its own.
		expect((await leases.take(a, 4, 'me'))?.line).toBe(3);
		expect((await leases.take(agent(), 1, 'me'))?.line).toBe(0);
	});

	it('ranks held leases in the order they were taken, the same for every holder', async () => {
		let now = 1_000;
		const db =
			store().kind === 'embedded'
				? new SqliteDatabase(loadSqlite()!, embeddedFile)
				: await PostgresDatabase.connect(database.credential);
		opened.push(db as { end?: () => Promise<void> });
		const leases = new LineLeases(db, { leaseMs: 60_000, now: () => now });
		const a = agent();
		const first = (await leases.take(a, 3, 'me'))!;
		now += 5;
		const second = (await leases.take(a, 3, 'other'))!;
		expect([await leases.rank(first), await leases.rank(second)]).toEqual([1, 2]);
		await leases.release(first);
		// A line taken later, even a lower one, comes after every lease already held.
		now += 5;
		const third = (await leases.take(a, 3, 'me'))!;
		expect(third.line).toBe(0);
		expect([await leases.rank(second), await leases.rank(third)]).toEqual([1, 2]);
	});

	it('wakes the waiters of this process for the agent when one of its leases is released', async () => {
		const leases = await leasesAt(store(), 60_000);
		const a = agent();
		const woken: string[] = [];
		const stopA = leases.onRelease(a, () => woken.push('waiter of the agent'));
		const stopGone = leases.onRelease(a, () => woken.push('waiter that stopped listening'));
		const stopOther = leases.onRelease(agent(), () => woken.push('waiter of another agent'));
		stopGone();
		const held = (await leases.take(a, 2, 'me'))!;
		expect(woken).toEqual([]);
		await leases.release(held);
		expect(woken).toEqual(['waiter of the agent']);
		stopA();
		stopOther();
		await leases.release((await leases.take(a, 2, 'me'))!);
		expect(woken).toEqual(['waiter of the agent']);
	});

	it('never lets two processes hold more leases than lines', async () => {
		const a = agent();
		const limit = 4;
		const arg = {
			store: store(),
			agent: a,
			limit,
			loops: 6,
			rounds: 15,
			leaseMs: 30_000,
			startAt: Date.now() + 5000,
		};
		const runs = await Promise.all(
			[1, 2].map(async () => {
				const { stdout } = await runChecked(
					process.execPath,
					['--no-warnings', WORKER, JSON.stringify({ ...arg, mode: 'race' })],
					{ timeoutMs: 90_000 },
				);
				return JSON.parse(stdout) as { holdings: Holding[]; overLimit: number };
			}),
		);
		// Each loop held its line every round, and the two processes held lines at the same time.
		for (const run of runs) expect(run.holdings).toHaveLength(6 * 15);
		const [first, second] = runs.map((r) => ({
			from: Math.min(...r.holdings.map((h) => h.from)),
			to: Math.max(...r.holdings.map((h) => h.to)),
		}));
		expect(first.from < second.to && second.from < first.to).toBe(true);
		const all = runs.flatMap((r) => r.holdings);
		const { most, sameLine } = overlap(all);
		expect(most).toBeLessThanOrEqual(limit);
		expect(sameLine).toBe(false);
		expect(runs.map((r) => r.overLimit)).toEqual([0, 0]);
		const leases = await leasesAt(store(), 30_000);
		expect(await leases.held(a)).toBe(0);
	}, 120_000);

	it("returns a killed holder's lines within the lease's bound, and not before", async () => {
		const a = agent();
		const limit = 2;
		const leaseMs = 1500;
		const child = spawnChild(
			process.execPath,
			[
				'--no-warnings',
				WORKER,
				JSON.stringify({ mode: 'hold', store: store(), agent: a, limit, leaseMs }),
			],
			{ stdio: ['ignore', 'pipe', 'inherit'] },
		);
		await new Promise<void>((resolve, reject) => {
			child.stdout?.on('data', (chunk: Buffer) => {
				if (chunk.toString().includes('holding')) resolve();
			});
			child.on('exit', (code) => reject(new Error(`The holder exited with ${String(code)}`)));
		});
		const leases = await leasesAt(store(), leaseMs);
		// Alive, the holder renews: its lines stay taken past one lease.
		await sleep(leaseMs * 1.5);
		expect(await leases.take(a, limit, 'me')).toBeUndefined();

		killGroup(child, 'SIGKILL');
		await new Promise((resolve) => child.once('exit', resolve));
		const killedAt = Date.now();
		const back = [];
		while (back.length < limit && Date.now() - killedAt < leaseMs * 3) {
			const lease = await leases.take(a, limit, 'me');
			if (lease) back.push({ line: lease.line, after: Date.now() - killedAt });
			else await sleep(50);
		}
		expect(back.map((b) => b.line).sort()).toEqual([0, 1]);
		// A lease outlives its last renewal by at most its length (plus this loop's step).
		for (const b of back) expect(b.after).toBeLessThanOrEqual(leaseMs + 500);
	}, 30_000);

	it('releases the line however the work ends, and keeps it while the work runs', async () => {
		const leases = await leasesAt(store(), 300);
		const a = agent();
		const done = await leases.withLine(a, 1, 'me', async (lease) => lease.line);
		expect(done).toEqual({ taken: true, value: 0 });
		expect(await leases.held(a)).toBe(0);

		await expect(
			leases.withLine(a, 1, 'me', async () => {
				throw new Error('dial failed');
			}),
		).rejects.toThrow('dial failed');
		expect(await leases.held(a)).toBe(0);

		// Work longer than the lease: renewals keep the line from a second taker.
		const long = leases.withLine(a, 1, 'me', async () => await sleep(1000));
		await sleep(700);
		expect(await leases.withLine(a, 1, 'other', async () => 'dialled')).toEqual({ taken: false });
		await long;
		expect(await leases.held(a)).toBe(0);
	});

	it('tells the work when a renewal found its lease gone, so it does not dial on it', async () => {
		const leases = await leasesAt(store(), 300);
		// The other taker's lease outlasts the test, so the count at the end is its line alone.
		const other = await leasesAt(store(), 60_000);
		const a = agent();
		const lost = await leases.withLine(a, 1, 'me', async (lease) => {
			expect(lease.lost).toBeFalsy();
			// Taken away from under the holder, as an expiry and another taker would.
			await other.release(lease);
			expect((await other.take(a, 1, 'other'))?.line).toBe(0);
			await sleep(250);
			return lease.lost;
		});
		expect(lost).toEqual({ taken: true, value: true });
		expect(await leases.held(a)).toBe(1);
	});

	it('does not let an expired lease release or renew the line another took', async () => {
		const leases = await leasesAt(store(), 200);
		const a = agent();
		const old = (await leases.take(a, 1, 'dead'))!;
		await sleep(300);
		const fresh = await leases.take(a, 1, 'alive');
		expect(fresh?.line).toBe(0);
		expect(await leases.renew(old)).toBe(false);
		await leases.release(old);
		expect(await leases.held(a)).toBe(1);
		await leases.release(fresh!);
		expect(await leases.held(a)).toBe(0);
	});
});
