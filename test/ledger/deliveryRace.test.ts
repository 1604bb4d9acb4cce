/**
 * The trigger's memory of deliveries in the Postgres call ledger, with real processes recording
 * the same events at the same moment, as queue mode's webhook processors do when ElevenLabs
 * sends an event twice: each event is first in exactly one process.
 */
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';

import type { LedgerLocation } from '../../nodes/shared/ledger/openLedger';
import { runChecked } from '../../scripts/process';
import { freshPostgresDatabase } from './postgres';
import type { FreshDatabase } from './postgres';
import { processN8nFolder } from './n8nFolder';

const WORKER = path.join(__dirname, 'deliveryRace.worker.js');
const PROCESSES = 4;

let database: FreshDatabase;

beforeAll(async () => {
	database = await freshPostgresDatabase('deliveries');
});
afterAll(async () => {
	await database?.drop();
});

async function race(location: LedgerLocation, receiver: string, deliveries: string[]) {
	const arg = JSON.stringify({
		location,
		startAt: Date.now() + 3000,
		receiver,
		deliveries,
		signedAt: Date.now(),
	});
	const runs = await Promise.all(
		Array.from({ length: PROCESSES }, () =>
			runChecked(process.execPath, ['--no-warnings', WORKER, arg], { timeoutMs: 60_000 }),
		),
	);
	return runs.map(({ stdout }) => JSON.parse(stdout) as string[]);
}

it('records each delivery as first in exactly one of several processes', async () => {
	const location: LedgerLocation = {
		kind: 'postgres',
		postgres: database.credential,
		n8nFolder: processN8nFolder(),
	};
	const receiver = `workflow-${randomBytes(4).toString('hex')}\ntrigger`;
	const deliveries = Array.from({ length: 20 }, (_, i) => `post_call_transcription:conv_${i}`);
	const won = await race(location, receiver, deliveries);
	expect(won.flat().sort()).toEqual([...deliveries].sort());
	// Another trigger receiving the same events is not affected by the first one's memory.
	const other = await race(location, `${receiver}-other`, deliveries.slice(0, 5));
	expect(other.flat().sort()).toEqual(deliveries.slice(0, 5).sort());
});
