/**
 * Nobody is dialled twice: re-running the same campaign (single calls or an ElevenLabs batch)
 * finds the earlier calls by their idempotency key at ElevenLabs and dials nobody again. No
 * state is kept in n8n, so this holds for any number of workers.
 */
import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { CANDIDATE, NODE, dialAttempts, dialled, runPlace } from './agentCall.helpers';
import { runWorkflow, singleNodeWorkflow } from './harness';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

const list = [1, 2, 3].map((n) => ({ ...CANDIDATE, candidateId: `c${n}`, phone: `0171 123456${n}0` }));

describe('Place Agent Call: skip if already called', () => {
	it('a second execution of the same campaign dials nobody', async () => {
		const first = await runPlace(sandbox, list, { skipIfAlreadyCalled: true });
		expect(first.json(NODE).map((o) => o.status)).toEqual(['initiated', 'initiated', 'initiated']);
		const attemptsAfterFirst = dialAttempts(sandbox);

		const second = await runPlace(sandbox, list, { skipIfAlreadyCalled: true });
		const out = second.json(NODE);
		expect(out.map((o) => o.status)).toEqual(['already_called', 'already_called', 'already_called']);
		expect(out.map((o) => o.conversationId)).toEqual(first.json(NODE).map((o) => o.conversationId));
		expect(dialAttempts(sandbox)).toBe(attemptsAfterFirst);
		expect(dialled(sandbox)).toBe(3);
	});

	it('another campaign name is another key: the same people are called for a new job', async () => {
		await runPlace(sandbox, list.slice(0, 1), { skipIfAlreadyCalled: true });
		const other = await runPlace(sandbox, list.slice(0, 1), { skipIfAlreadyCalled: true, campaign: 'next-job' });
		expect(other.json(NODE)[0]).toMatchObject({ status: 'initiated' });
		expect(dialled(sandbox)).toBe(2);
	});

	it('a re-run after an unknown outcome finds the call that was placed and does not dial again', async () => {
		sandbox.faults.add({ method: 'POST', path: '/v1/convai/twilio/outbound-call', kind: 'status5xxAfter' });
		const first = await runPlace(sandbox, list.slice(0, 1), { skipIfAlreadyCalled: true }, { continueOnFail: true });
		expect(first.json(NODE)[0]).toMatchObject({ status: 'unknown' });
		const again = await runPlace(sandbox, list.slice(0, 1), { skipIfAlreadyCalled: true });
		expect(again.json(NODE)[0]).toMatchObject({ status: 'already_called' });
		expect(dialled(sandbox)).toBe(1);
	});
});

function campaignWorkflow(sb: Sandbox, operation: string, parameters: object = {}) {
	return singleNodeWorkflow({
		name: NODE,
		type: 'n8n-nodes-voice-recruiting.agentCall',
		parameters: {
			resource: 'campaign',
			operation,
			...(operation === 'submit'
				? {
						agentId: { __rl: true, mode: 'id', value: sb.ids.agents.recruitingDe },
						phoneNumberId: { __rl: true, mode: 'id', value: sb.ids.phoneNumbers.twilioDe },
						callName: 'Lager Leipzig',
						campaign: 'lager-leipzig',
						callingDays: [1, 2, 3, 4, 5, 6, 7],
						windowStart: '00:00',
						windowEnd: '24:00',
						options: { holidayCountry: '', concurrencyLimit: 2 },
					}
				: {}),
			...parameters,
		},
		credentials: { elevenLabsAgentsApi: { id: '1', name: 'ElevenLabs' } },
	});
}

const submitRequests = (sb: Sandbox) => sb.requests.count('POST', '/v1/convai/batch-calling/submit');

describe('Campaign', () => {
	it('submits all items as recipients with their own variables and keys; a second submit dials nobody', async () => {
		const first = await runWorkflow(campaignWorkflow(sandbox, 'submit'), { credentials: sandbox.credentials() as never, items: list });
		expect(first.status).toBe('success');
		const [out] = first.json(NODE);
		expect(out).toMatchObject({ campaignId: expect.stringMatching(/^btcal_/), recipients: 3, alreadyCalled: [], invalid: [], concurrencyLimit: 2 });
		expect(first.output(NODE)[0].pairedItem).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		const [submit] = sandbox.requests.all().filter((r) => r.path === '/v1/convai/batch-calling/submit');
		const recipients = (submit.body as { recipients: Array<{ phone_number: string; conversation_initiation_client_data: { user_id: string; dynamic_variables: object } }> }).recipients;
		expect(recipients.map((r) => r.phone_number)).toEqual(['+4917112345610', '+4917112345620', '+4917112345630']);
		expect(new Set(recipients.map((r) => r.conversation_initiation_client_data.user_id)).size).toBe(3);
		expect(recipients[0].conversation_initiation_client_data.dynamic_variables).toEqual(CANDIDATE.prompt.dynamicVariables);
		// The batch dials at most 2 at a time.
		expect(dialled(sandbox)).toBe(2);

		const second = await runWorkflow(campaignWorkflow(sandbox, 'submit'), { credentials: sandbox.credentials() as never, items: list });
		expect(second.json(NODE)[0]).toMatchObject({ campaignId: null, status: 'nothing_to_submit', recipients: 0 });
		expect((second.json(NODE)[0].alreadyCalled as unknown[]).length).toBe(3);
		expect(submitRequests(sandbox)).toBe(1);
	});

	it('lists invalid numbers instead of dropping them silently (or stops, by default)', async () => {
		const items = [...list, { ...CANDIDATE, candidateId: 'bad', phone: '0900 1234567' }];
		const stopped = await runWorkflow(campaignWorkflow(sandbox, 'submit'), { credentials: sandbox.credentials() as never, items });
		expect(stopped.status).toBe('error');
		expect(submitRequests(sandbox)).toBe(0);
		const reported = await runWorkflow(
			campaignWorkflow(sandbox, 'submit', { options: { holidayCountry: '', invalidNumbers: 'report' }, callingDays: [1, 2, 3, 4, 5, 6, 7], windowStart: '00:00', windowEnd: '24:00' }),
			{ credentials: sandbox.credentials() as never, items },
		);
		expect(reported.json(NODE)[0]).toMatchObject({ recipients: 3, invalid: [{ itemIndex: 3, error: expect.stringContaining('premium-rate') }] });
	});

	it('gets, cancels and retries a campaign', async () => {
		const submitted = await runWorkflow(campaignWorkflow(sandbox, 'submit'), { credentials: sandbox.credentials() as never, items: list });
		const campaignId = String(submitted.json(NODE)[0].campaignId);

		const got = await runWorkflow(campaignWorkflow(sandbox, 'get', { splitRecipients: true }), { credentials: sandbox.credentials() as never, items: [{ campaignId }] });
		const recipients = got.json(NODE);
		expect(recipients).toHaveLength(3);
		expect(recipients.map((r) => r.status)).toEqual(['dispatched', 'dispatched', 'pending']);
		expect(recipients[0]).toMatchObject({ campaignId, toNumber: '+4917112345610', conversationId: expect.stringMatching(/^conv_/), idempotencyKey: expect.any(String) });

		const cancelled = await runWorkflow(campaignWorkflow(sandbox, 'cancel'), { credentials: sandbox.credentials() as never, items: [{ campaignId }] });
		expect(cancelled.json(NODE)[0]).toMatchObject({ campaignId, status: 'cancelled' });
		const after = await runWorkflow(campaignWorkflow(sandbox, 'get'), { credentials: sandbox.credentials() as never, items: [{ campaignId }] });
		expect((after.json(NODE)[0].recipients as Array<{ status: string }>)[2].status).toBe('cancelled');

		const retried = await runWorkflow(campaignWorkflow(sandbox, 'retry'), { credentials: sandbox.credentials() as never, items: [{ campaignId }] });
		expect(retried.status).toBe('error');
		expect(String((retried.error as unknown as { message: string }).message)).toMatch(/refused to retry the campaign/);
	});

	it('retries failed and unanswered recipients', async () => {
		const busy = [{ ...CANDIDATE, candidateId: 'busy', phone: '+4917112345603' }];
		const submitted = await runWorkflow(campaignWorkflow(sandbox, 'submit'), { credentials: sandbox.credentials() as never, items: busy });
		const campaignId = String(submitted.json(NODE)[0].campaignId);
		sandbox.clock.advance(5_000);
		const got = await runWorkflow(campaignWorkflow(sandbox, 'get'), { credentials: sandbox.credentials() as never, items: [{ campaignId }] });
		expect(got.json(NODE)[0]).toMatchObject({ status: 'completed', recipients: [{ status: 'failed' }] });
		const retried = await runWorkflow(campaignWorkflow(sandbox, 'retry'), { credentials: sandbox.credentials() as never, items: [{ campaignId }] });
		expect(retried.json(NODE)[0]).toMatchObject({ campaignId, retryCount: 1, status: 'in_progress' });
		expect(dialled(sandbox)).toBe(2);
	});
});
