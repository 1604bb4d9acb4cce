/**
 * Do Not Call → Add while a campaign (ElevenLabs batch) runs, through n8n's engine against the
 * sandbox: a listed person the batch has not dialled yet is taken out of it (the batch is
 * cancelled and the rest submitted again), nobody else is dialled twice or lost. The sandbox's
 * batch dials on its own clock, which stands still here (only Date is faked) and is moved by hand.
 */
import type { IDataObject, OnError } from 'n8n-workflow';

import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { conversationStore } from '../../sandbox/conversations';
import { CANDIDATE, NODE, campaignNode, dialAttempts, placeNode } from './agentCall.helpers';
import { runError, runNode } from './harness';
import type { CredentialData } from './harness';
import { elevenLabsCredential } from './sandbox.helpers';
import { standingDate } from './standingDate';

/** Wednesday 2 December 2026, 10:00 in Berlin. */
const START = new Date('2026-12-02T09:00:00Z');
const HOUR = 3_600_000;
const CAMPAIGN = 'lager-leipzig';
const SUBMIT = '/v1/convai/batch-calling/submit';

let sandbox: Sandbox;

standingDate(START);

beforeEach(async () => {
	jest.setSystemTime(START);
	sandbox = await startSandbox({
		port: 0,
		clock: { start: START },
		callLengths: { minSecs: 180, maxSecs: 180, seed: 'dnc-batch' },
	});
});
afterEach(async () => await sandbox.close());

/** Eight candidates, each with a number of their own that answers. */
const EIGHT: IDataObject[] = Array.from({ length: 8 }, (_, n) => ({
	...CANDIDATE,
	candidateId: `dnc-${n}`,
	phone: `0151 2345700${n}`,
}));
const e164Of = (n: number) => `+49151234570${String(n).padStart(2, '0')}`;

/** Campaign → Submit of the eight, two at a time: 0 and 1 are dialled at once, 2 … 7 wait. */
async function submitEight(): Promise<IDataObject> {
	const node = campaignNode(sandbox, 'submit', {
		callName: CAMPAIGN,
		campaign: CAMPAIGN,
		useCallingWindow: false,
		options: { concurrencyLimit: 2 },
	});
	const run = await runNode(node, { credentials: elevenLabsCredential(sandbox), items: EIGHT });
	expect(run.status).toBe('success');
	const out = run.json(NODE)[0];
	expect(out.recipients).toBe(8);
	return out;
}

async function addToList(
	n: number,
	credentials: CredentialData = elevenLabsCredential(sandbox),
	onError?: OnError,
) {
	const node = {
		type: 'agentCall',
		name: NODE,
		parameters: { resource: 'doNotCall', operation: 'add', phone: EIGHT[n].phone as string },
		onError,
	};
	return await runNode(node, { credentials, items: [{ candidateId: EIGHT[n].candidateId }] });
}

/** How often each of the eight was called (batch calls of every batch). */
function callsToEach(): number[] {
	const calls = conversationStore(sandbox).list();
	return EIGHT.map((_, n) => calls.filter((c) => c.phoneCall?.externalNumber === e164Of(n)).length);
}

async function campaign(operation: 'get' | 'cancel', campaignId: string) {
	const node = campaignNode(sandbox, operation, { campaignId });
	return await runNode(node, { credentials: elevenLabsCredential(sandbox), items: [{}] });
}

describe('Do Not Call → Add while a campaign runs', () => {
	it('takes a person the batch has not dialled out of it; everybody else is dialled once, by the new batch', async () => {
		const batch = await submitEight();
		const run = await addToList(5);
		expect(run.status).toBe('success');
		const out = run.json(NODE)[0];
		expect(out).toMatchObject({
			candidateId: 'dnc-5',
			toNumber: e164Of(5),
			doNotCall: true,
			added: true,
			removedFromCampaigns: [
				{ campaignId: batch.campaignId, replacedBy: expect.any(String), resubmitted: 5 },
			],
			alreadyDialledIn: [],
		});
		const [removed] = out.removedFromCampaigns as IDataObject[];
		expect(removed.replacedBy).not.toBe(batch.campaignId);

		sandbox.clock.advance(24 * HOUR);
		expect(callsToEach()).toEqual([1, 1, 1, 1, 1, 0, 1, 1]);

		const got = await campaign('get', removed.replacedBy as string);
		expect(got.status).toBe('success');
		const detail = got.json(NODE)[0];
		expect(detail).toMatchObject({ campaignId: removed.replacedBy, name: CAMPAIGN });
		const recipients = detail.recipients as IDataObject[];
		expect(recipients.map((r) => r.toNumber)).toEqual([2, 3, 4, 6, 7].map(e164Of));
		expect(recipients.every((r) => r.status === 'completed')).toBe(true);
		// Each keeps the key it was submitted with: the ledger and the reports still match them.
		const [first] = sandbox.requests.filter('POST', SUBMIT);
		const keyOf = (body: unknown, e164: string) =>
			(body as { recipients: IDataObject[] }).recipients.find((r) => r.phone_number === e164)
				?.conversation_initiation_client_data;
		expect(keyOf(sandbox.requests.filter('POST', SUBMIT)[1].body, e164Of(6))).toEqual(
			keyOf(first.body, e164Of(6)),
		);
	});

	it('moves the ledger’s records to the new batch: its Cancel frees the people it stopped', async () => {
		await submitEight();
		const out = (await addToList(5)).json(NODE)[0];
		const [removed] = out.removedFromCampaigns as IDataObject[];
		const cancel = await campaign('cancel', removed.replacedBy as string);
		// 2, 3 (now dialled) and 4, 6, 7 (stopped): only the stopped ones are freed.
		expect(cancel.json(NODE)[0]).toMatchObject({ status: 'cancelled', releasedRecipients: 3 });
	});

	it('two Adds at the same moment: neither person is dialled, nobody else twice', async () => {
		const batch = await submitEight();
		const runs = await Promise.all([addToList(4), addToList(6)]);
		const outs = runs.map((run) => run.json(NODE)[0]);
		for (const out of outs) {
			expect(out.removedFromCampaigns).toContainEqual(
				expect.objectContaining({ campaignId: batch.campaignId }),
			);
		}
		sandbox.clock.advance(24 * HOUR);
		expect(callsToEach()).toEqual([1, 1, 1, 1, 0, 1, 0, 1]);
	});

	it('leaves a batch that dialled the person already as it is, and says so', async () => {
		const batch = await submitEight();
		const out = (await addToList(0)).json(NODE)[0];
		expect(out).toMatchObject({
			added: true,
			removedFromCampaigns: [],
			alreadyDialledIn: [{ campaignId: batch.campaignId, status: expect.any(String) }],
		});
		expect(sandbox.requests.count('POST', /\/cancel$/)).toBe(0);
		expect(sandbox.requests.count('POST', SUBMIT)).toBe(1);
		sandbox.clock.advance(24 * HOUR);
		expect(callsToEach()).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
	});

	it('without an ElevenLabs credential: the entry is added and the campaigns that may still dial are named', async () => {
		const batch = await submitEight();
		const run = await addToList(5, {});
		expect(run.status).toBe('success');
		expect(run.json(NODE)[0]).toMatchObject({
			added: true,
			pendingCampaigns: [batch.campaignId],
			pendingCampaignsHint: expect.stringMatching(/ElevenLabs Agents API/),
		});
		expect(sandbox.requests.count('POST', /\/cancel$/)).toBe(0);
	});

	it('a resubmit ElevenLabs refuses: the rest are named, and the ledger lets them be submitted again', async () => {
		const batch = await submitEight();
		sandbox.faults.add({ method: 'POST', path: SUBMIT, kind: 'status', status: 400 });
		const run = await addToList(5, elevenLabsCredential(sandbox), 'continueRegularOutput');
		const out = run.json(NODE)[0];
		expect(out).toMatchObject({
			added: true,
			error: expect.stringMatching(/5 other recipients/),
			notResubmitted: [2, 3, 4, 6, 7].map((n) =>
				expect.objectContaining({ campaignId: batch.campaignId, toNumber: e164Of(n) }),
			),
		});
		// Freed in the ledger: the next Submit of the list dials them, and not the listed one.
		const node = campaignNode(sandbox, 'submit', {
			callName: CAMPAIGN,
			campaign: CAMPAIGN,
			useCallingWindow: false,
		});
		const next = await runNode(node, { credentials: elevenLabsCredential(sandbox), items: EIGHT });
		const submitted = next.json(NODE)[0];
		expect(submitted.recipients).toBe(5);
		expect((submitted.alreadyCalled as IDataObject[]).map((a) => a.itemIndex)).toEqual([0, 1]);
		expect(submitted.heldBack).toEqual([
			expect.objectContaining({ itemIndex: 5, status: 'do_not_call' }),
		]);
		sandbox.clock.advance(24 * HOUR);
		expect(callsToEach()).toEqual([1, 1, 1, 1, 1, 0, 1, 1]);
	});

	it('a resubmit without a clear answer: the rest count as maybe called and are named, never submitted twice', async () => {
		await submitEight();
		sandbox.faults.add({ method: 'POST', path: SUBMIT, kind: 'status', status: 503 });
		const run = await addToList(5, elevenLabsCredential(sandbox), 'continueRegularOutput');
		expect(run.json(NODE)[0]).toMatchObject({
			added: true,
			error: expect.stringMatching(/5 other recipients .* may have been submitted again/),
			notResubmitted: expect.arrayContaining([expect.objectContaining({ toNumber: e164Of(2) })]),
		});
		const node = campaignNode(sandbox, 'submit', {
			callName: CAMPAIGN,
			campaign: CAMPAIGN,
			useCallingWindow: false,
		});
		const next = await runNode(node, { credentials: elevenLabsCredential(sandbox), items: EIGHT });
		expect(next.json(NODE)[0]).toMatchObject({ campaignId: null, status: 'nothing_to_submit' });
	});

	it('a cancel ElevenLabs refuses leaves the batch as it was and says the number may still be called', async () => {
		await submitEight();
		sandbox.faults.add({ method: 'POST', path: /\/cancel$/, kind: 'status', status: 400 });
		const error = runError(await addToList(5));
		expect(error.itemIndex).toBe(0);
		expect(error.message).toMatch(/refused to cancel campaign .* which may still dial the number/);
		expect(sandbox.requests.count('POST', SUBMIT)).toBe(1);
		// The claim was given up: the next Add takes the number out.
		const again = (await addToList(5)).json(NODE)[0];
		expect(again).toMatchObject({ added: false, removedFromCampaigns: [expect.any(Object)] });
		sandbox.clock.advance(24 * HOUR);
		expect(callsToEach()).toEqual([1, 1, 1, 1, 1, 0, 1, 1]);
	});

	it('a resubmit ElevenLabs refuses stops the run with an error that says who was not submitted', async () => {
		await submitEight();
		sandbox.faults.add({ method: 'POST', path: SUBMIT, kind: 'status', status: 400 });
		const error = runError(await addToList(5));
		expect(error.itemIndex).toBe(0);
		expect(error.message).toMatch(/5 other recipients/);
		expect(error.description).toMatch(/Nobody of them was called.*Campaign → Submit/);
	});
});

describe('The ElevenLabs credential, optional on the node for Do Not Call', () => {
	it('a Place without one says which credential to choose, and dials nobody', async () => {
		const run = await runNode(placeNode(sandbox), { credentials: {}, items: [CANDIDATE] });
		const error = runError(run);
		expect(error).toMatchObject({ message: 'No ElevenLabs credential is chosen', itemIndex: 0 });
		expect(error.description).toMatch(/ElevenLabs Agents API/);
		expect(dialAttempts(sandbox)).toBe(0);
	});
});
