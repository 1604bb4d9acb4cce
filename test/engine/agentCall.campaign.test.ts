/**
 * Place Agent Call's campaign resource through n8n's engine against the sandbox: a whole list
 * submitted as one ElevenLabs batch call (each recipient with its own variables and idempotency
 * key, so that a second submit dials nobody), invalid numbers, and get, cancel and retry.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import {
	ALWAYS_OPEN,
	CANDIDATE,
	CANDIDATES,
	NODE,
	dialled,
	submitParameters,
} from './agentCall.helpers';
import { runError, runNode } from './harness';
import type { PackageNode } from './harness';
import { elevenLabsCredential } from './sandbox.helpers';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

/** The campaign operation; Submit with a window open at any moment and at most two calls at once. */
function campaignNode(operation: string, parameters: INodeParameters = {}): PackageNode {
	const submit = submitParameters(sandbox, { concurrencyLimit: 2 });
	return {
		type: 'agentCall',
		name: NODE,
		parameters: {
			resource: 'campaign',
			operation,
			...(operation === 'submit' ? submit : {}),
			...parameters,
		},
	};
}

async function runCampaign(
	operation: string,
	items: IDataObject[],
	parameters: INodeParameters = {},
) {
	return await runNode(campaignNode(operation, parameters), {
		credentials: elevenLabsCredential(sandbox),
		items,
	});
}

const submitRequests = (sb: Sandbox) =>
	sb.requests.count('POST', '/v1/convai/batch-calling/submit');

describe('Campaign', () => {
	it('submits all items as recipients with their own variables and keys; a second submit dials nobody', async () => {
		const first = await runCampaign('submit', CANDIDATES);
		expect(first.status).toBe('success');
		const [out] = first.json(NODE);
		expect(out).toMatchObject({
			campaignId: expect.stringMatching(/^btcal_/),
			recipients: 3,
			alreadyCalled: [],
			invalid: [],
			concurrencyLimit: 2,
		});
		expect(first.output(NODE)[0].pairedItem).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		const [submit] = sandbox.requests
			.all()
			.filter((r) => r.path === '/v1/convai/batch-calling/submit');
		const recipients = (
			submit.body as {
				recipients: Array<{
					phone_number: string;
					conversation_initiation_client_data: { user_id: string; dynamic_variables: object };
				}>;
			}
		).recipients;
		expect(recipients.map((r) => r.phone_number)).toEqual([
			'+4917112345610',
			'+4917112345620',
			'+4917112345630',
		]);
		expect(new Set(recipients.map((r) => r.conversation_initiation_client_data.user_id)).size).toBe(
			3,
		);
		expect(recipients[0].conversation_initiation_client_data.dynamic_variables).toEqual(
			CANDIDATE.prompt.dynamicVariables,
		);
		// The batch dials at most 2 at a time.
		expect(dialled(sandbox)).toBe(2);

		const second = await runCampaign('submit', CANDIDATES);
		expect(second.json(NODE)[0]).toMatchObject({
			campaignId: null,
			status: 'nothing_to_submit',
			recipients: 0,
		});
		expect((second.json(NODE)[0].alreadyCalled as unknown[]).length).toBe(3);
		expect(submitRequests(sandbox)).toBe(1);
	});

	it('lists invalid numbers instead of dropping them silently (or stops, by default)', async () => {
		const items = [...CANDIDATES, { ...CANDIDATE, candidateId: 'bad', phone: '0900 1234567' }];
		const stopped = await runCampaign('submit', items);
		expect(stopped.status).toBe('error');
		expect(submitRequests(sandbox)).toBe(0);
		const reported = await runCampaign('submit', items, {
			options: { skipHolidays: false, invalidNumbers: 'report' },
			callingDays: [1, 2, 3, 4, 5, 6, 7],
			windowStart: '00:00',
			windowEnd: '24:00',
		});
		expect(reported.json(NODE)[0]).toMatchObject({
			recipients: 3,
			invalid: [{ itemIndex: 3, error: expect.stringContaining('premium-rate') }],
		});
	});

	it('gets, cancels and retries a campaign', async () => {
		const submitted = await runCampaign('submit', CANDIDATES);
		const campaignId = String(submitted.json(NODE)[0].campaignId);

		const got = await runCampaign('get', [{ campaignId }], { splitRecipients: true });
		const recipients = got.json(NODE);
		expect(recipients).toHaveLength(3);
		expect(recipients.map((r) => r.status)).toEqual(['dispatched', 'dispatched', 'pending']);
		expect(recipients[0]).toMatchObject({
			campaignId,
			toNumber: '+4917112345610',
			conversationId: expect.stringMatching(/^conv_/),
			idempotencyKey: expect.any(String),
		});

		const cancelled = await runCampaign('cancel', [{ campaignId }]);
		expect(cancelled.json(NODE)[0]).toMatchObject({ campaignId, status: 'cancelled' });
		const after = await runCampaign('get', [{ campaignId }]);
		expect((after.json(NODE)[0].recipients as Array<{ status: string }>)[2].status).toBe(
			'cancelled',
		);

		const retried = await runCampaign('retry', [{ campaignId }]);
		expect(retried.status).toBe('error');
		expect(runError(retried).message).toMatch(/was cancelled, so it cannot be retried/);
	});

	it('retries failed and unanswered recipients', async () => {
		const busy = [{ ...CANDIDATE, candidateId: 'busy', phone: '+4917112345603' }];
		const submitted = await runCampaign('submit', busy);
		const campaignId = String(submitted.json(NODE)[0].campaignId);
		sandbox.clock.advance(5_000);
		const got = await runCampaign('get', [{ campaignId }]);
		expect(got.json(NODE)[0]).toMatchObject({
			status: 'completed',
			recipients: [{ status: 'failed' }],
		});
		// No pause: the default four hours would hold the busy recipient back (too_soon); the
		// window is open at any hour (Retry's window has its own test).
		const retried = await runCampaign('retry', [{ campaignId }], {
			...ALWAYS_OPEN,
			options: { hoursBetweenAttempts: 0 },
		});
		expect(retried.json(NODE)[0]).toMatchObject({
			retriedFrom: campaignId,
			recipients: 1,
			status: expect.stringMatching(/^(pending|in_progress)$/),
		});
		expect(retried.json(NODE)[0].campaignId).not.toBe(campaignId);
		expect(dialled(sandbox)).toBe(2);
	});
});
