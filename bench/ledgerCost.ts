/**
 * What the call ledger costs a dial: the claim before it and the settle after it (the node's two
 * writes per candidate), and the line lease around it (take, place in the order, release), timed
 * on the built package against a fresh embedded ledger and a fresh Postgres database, one dial
 * after another as a waiting item does them. The calling benchmark divides these by the dial
 * request's own time in the same run.
 */
import { processN8nFolder } from '../test/ledger/n8nFolder';
import { freshEmbedded, freshPostgres } from '../test/ledger/ledgerSql';

/* eslint-disable @typescript-eslint/no-require-imports */
const built =
	require('../dist/nodes/shared/ledger/openLedger') as typeof import('../nodes/shared/ledger/openLedger');
/* eslint-enable @typescript-eslint/no-require-imports */

const DIALS = 300;
const AGENT = 'agent_ledger_cost';

export interface LedgerCost {
	/** Claim and settle of one candidate, mean ms. */
	claimSettleMs: number;
	/** Taking a line lease, its place in the order and its release, mean ms. */
	leaseMs: number;
}

async function measure(location: import('../nodes/shared/ledger/openLedger').LedgerLocation) {
	const opened = await built.openLedger(location, 180);
	if (!opened.ok) throw new Error(`${opened.message}: ${opened.hint}`);
	const ledger = opened.value;
	const policy = { maxAttempts: 3, hoursBetweenAttempts: 4 };
	let claimSettle = 0;
	let lease = 0;
	// The first round opens tables and statements: not a dial's cost.
	for (let n = -1; n < DIALS; n++) {
		const e164 = `+4917180${String(n + 1).padStart(5, '0')}`;
		const t0 = performance.now();
		const claimed = await ledger.claim({
			scope: `${AGENT}\nledger-cost`,
			callKey: `cost-${n + 1}`,
			e164,
			executionId: 'bench',
			policy,
			reachOf: async () => ({ reach: 'unknown' as const }),
			waitForOthersMs: 0,
		});
		if (claimed.kind !== 'claimed') throw new Error(`not claimed: ${claimed.kind}`);
		const t1 = performance.now();
		await ledger.store.lines.withLine(AGENT, 20, 'bench', async (held) => {
			await ledger.store.lines.rank(held);
		});
		const t2 = performance.now();
		await claimed.claim.initiated({ conversationId: `conv_cost_${n + 1}` });
		const t3 = performance.now();
		if (n < 0) continue;
		claimSettle += t1 - t0 + (t3 - t2);
		lease += t2 - t1;
	}
	const round = (ms: number) => Math.round((ms / DIALS) * 100) / 100;
	return { claimSettleMs: round(claimSettle), leaseMs: round(lease) };
}

export async function embeddedLedgerCost(): Promise<LedgerCost> {
	processN8nFolder();
	return await measure(freshEmbedded().location);
}

export async function postgresLedgerCost(): Promise<LedgerCost> {
	processN8nFolder();
	const db = await freshPostgres('ledger_cost');
	try {
		return await measure(db.location);
	} finally {
		await db.close();
	}
}
