/**
 * Nobody is dialled twice: re-running the same campaign of single calls finds the earlier calls
 * by their idempotency key at ElevenLabs and dials nobody again. No state is kept in n8n, so this
 * holds for any number of workers. (A campaign submitted as an ElevenLabs batch does the same:
 * agentCall.campaign.test.ts.)
 */
import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { CANDIDATES, NODE, dialAttempts, dialled, runPlace } from './agentCall.helpers';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

describe('Place Agent Call: skip if already called', () => {
	it('a second execution of the same campaign dials nobody', async () => {
		const first = await runPlace(sandbox, CANDIDATES, { skipIfAlreadyCalled: true });
		expect(first.json(NODE).map((o) => o.status)).toEqual(['initiated', 'initiated', 'initiated']);
		const attemptsAfterFirst = dialAttempts(sandbox);

		const second = await runPlace(sandbox, CANDIDATES, { skipIfAlreadyCalled: true });
		const out = second.json(NODE);
		expect(out.map((o) => o.status)).toEqual([
			'already_called',
			'already_called',
			'already_called',
		]);
		expect(out.map((o) => o.conversationId)).toEqual(first.json(NODE).map((o) => o.conversationId));
		expect(dialAttempts(sandbox)).toBe(attemptsAfterFirst);
		expect(dialled(sandbox)).toBe(3);
	});

	it('another campaign name is another key: the same people are called for a new job', async () => {
		await runPlace(sandbox, CANDIDATES.slice(0, 1), { skipIfAlreadyCalled: true });
		const other = await runPlace(sandbox, CANDIDATES.slice(0, 1), {
			skipIfAlreadyCalled: true,
			campaign: 'next-job',
		});
		expect(other.json(NODE)[0]).toMatchObject({ status: 'initiated' });
		expect(dialled(sandbox)).toBe(2);
	});

	it('a re-run after an unknown outcome finds the call that was placed and does not dial again', async () => {
		sandbox.faults.add({
			method: 'POST',
			path: '/v1/convai/twilio/outbound-call',
			kind: 'status5xxAfter',
		});
		const first = await runPlace(
			sandbox,
			CANDIDATES.slice(0, 1),
			{ skipIfAlreadyCalled: true },
			{ onError: 'continueRegularOutput' },
		);
		expect(first.json(NODE)[0]).toMatchObject({ status: 'unknown' });
		const again = await runPlace(sandbox, CANDIDATES.slice(0, 1), { skipIfAlreadyCalled: true });
		expect(again.json(NODE)[0]).toMatchObject({ status: 'already_called' });
		expect(dialled(sandbox)).toBe(1);
	});
});
