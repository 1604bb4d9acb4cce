/**
 * A claim whose execution died (a queue-mode worker killed between its claim and the record of
 * its outcome), through n8n's engine against the sandbox. Past the staleness the next run asks
 * ElevenLabs' history whether that claim dialled: found, the call is recorded and nobody is
 * dialled again; not found, the claimant died before dialling and the person is called now.
 */
import { join } from 'node:path';

import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { conversationStore } from '../../sandbox/conversations';
import type { IDataObject } from 'n8n-workflow';

import {
	CANDIDATE,
	NODE,
	campaignNode,
	dialAttempts,
	dialled,
	placeNode,
	runPlace,
} from './agentCall.helpers';
import { runNode } from './harness';
import { elevenLabsCredential } from './sandbox.helpers';

const LEDGER = join(
	process.env.N8N_USER_FOLDER!,
	'.n8n',
	'storage',
	'n8n-nodes-voice-recruiting.agentCall',
	'call-ledger.sqlite',
);
const ELEVEN_MINUTES = 11 * 60_000;
const builtSqlite =
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	require('../../dist/nodes/shared/ledger/sqliteDatabase') as typeof import('../../nodes/shared/ledger/sqliteDatabase');
const { DatabaseSync } = builtSqlite.loadSqlite()!;

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

/**
 * Turns the ledger's attempts back into claims without an outcome, made eleven minutes ago: what
 * a worker killed after its claim (before or after the dial) leaves behind.
 */
function strandClaims(): void {
	const db = new DatabaseSync(LEDGER);
	try {
		db.exec('PRAGMA busy_timeout = 10000');
		db.prepare(
			`UPDATE voice_recruiting_call_attempts SET outcome = 'claimed', conversation_id = NULL,
				call_sid = NULL, batch_id = NULL, claimed_at = claimed_at - ?, updated_at = updated_at - ?`,
		).run(ELEVEN_MINUTES, ELEVEN_MINUTES);
	} finally {
		db.close();
	}
}

function attempts(): Array<{ attempt: number; outcome: string; conversation_id: string | null }> {
	const db = new DatabaseSync(LEDGER);
	try {
		return db
			.prepare(
				'SELECT attempt, outcome, conversation_id FROM voice_recruiting_call_attempts ORDER BY attempt',
			)
			.all() as Array<{ attempt: number; outcome: string; conversation_id: string | null }>;
	} finally {
		db.close();
	}
}

describe('Call ledger: a claim whose execution died, past the staleness', () => {
	it('that had dialled: the call is found in the history and recorded, nobody is dialled twice', async () => {
		const placed = (await runPlace(sandbox, [CANDIDATE])).json(NODE)[0];
		expect(placed).toMatchObject({ status: 'initiated' });
		strandClaims();

		const next = (await runPlace(sandbox, [CANDIDATE])).json(NODE)[0];
		expect(next).toMatchObject({
			status: 'already_called',
			conversationId: placed.conversationId,
		});
		expect(dialled(sandbox)).toBe(1);
		expect(attempts()).toEqual([
			{ attempt: 1, outcome: 'initiated', conversation_id: placed.conversationId },
		]);
	}, 120_000);

	it('that died before dialling: ElevenLabs knows no call, so the next run calls the person', async () => {
		const placed = (await runPlace(sandbox, [CANDIDATE])).json(NODE)[0];
		strandClaims();
		// The claimant never dialled: ElevenLabs has no conversation for the person.
		conversationStore(sandbox).delete(placed.conversationId as string);

		const next = (await runPlace(sandbox, [CANDIDATE])).json(NODE)[0];
		expect(next).toMatchObject({ status: 'initiated' });
		expect(dialled(sandbox)).toBe(1);
		// The dead claim's attempt is taken over, not counted against the attempt budget.
		expect(attempts()).toEqual([
			{ attempt: 1, outcome: 'initiated', conversation_id: next.conversationId },
		]);
	}, 120_000);

	it('of a Submit whose campaign has not reached the person yet: found among the campaigns, not dialled by a Place', async () => {
		// Calls of three minutes on five lines: the campaign reaches recipient 50 long after the test.
		const slow = await startSandbox({
			port: 0,
			callLengths: { minSecs: 180, maxSecs: 180, seed: 'stale' },
		});
		try {
			const sixty: IDataObject[] = Array.from({ length: 60 }, (_, n) => ({
				...CANDIDATE,
				candidateId: `stale-${n}`,
				phone: `0151 23460${String(n).padStart(3, '0')}`,
			}));
			const submit = campaignNode(slow, 'submit', {
				callName: 'stale',
				campaign: 'stale',
				useCallingWindow: false,
			});
			const batch = (
				await runNode(submit, { credentials: elevenLabsCredential(slow), items: sixty })
			).json(NODE)[0];
			expect(batch.recipients).toBe(60);
			// The worker died after submitting, before it recorded the campaign on its claims.
			strandClaims();

			const place = placeNode(slow, {
				campaign: 'stale',
				useCallingWindow: false,
				options: { callsPerMinute: 0, concurrencyGuard: false },
			});
			const run = await runNode(place, {
				credentials: { ...slow.credentials() },
				items: [sixty[50]],
			});
			expect(run.json(NODE)[0]).toMatchObject({
				status: 'already_called',
				campaignId: batch.campaignId,
			});
			expect(dialAttempts(slow)).toBe(0);
		} finally {
			await slow.close();
		}
	}, 120_000);
});
