/**
 * The output fields Place Agent Call and Campaign → Submit declare (their node page's tables) hold
 * for real output: every field an item gets is declared, every field declared as always there is.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { DateTime } from 'luxon';

import { outputFields as placeFields } from '../../nodes/AgentCall/actions/call/place.operation';
import { outputFields as cancelFields } from '../../nodes/AgentCall/actions/campaign/cancel.operation';
import { outputFields as campaignGetFields } from '../../nodes/AgentCall/actions/campaign/get.operation';
import { outputFields as retryFields } from '../../nodes/AgentCall/actions/campaign/retry.operation';
import { outputFields as submitFields } from '../../nodes/AgentCall/actions/campaign/submit.operation';
import { outputFields as addFields } from '../../nodes/AgentCall/actions/doNotCall/add.operation';
import { outputFields as doNotCallGetFields } from '../../nodes/AgentCall/actions/doNotCall/get.operation';
import { outputFields as removeFields } from '../../nodes/AgentCall/actions/doNotCall/remove.operation';
import { outputFields as textFields } from '../../nodes/AgentCall/actions/textMessage/send.operation';
import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { declarationGaps, neverProduced, NO_GAPS } from '../outputFields';
import {
	ALWAYS_OPEN,
	CANDIDATE,
	CANDIDATES,
	campaignNode,
	NODE,
	runPlace,
	submitParameters,
} from './agentCall.helpers';
import { runNode } from './harness';
import { elevenLabsCredential } from './sandbox.helpers';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

const inputKeys = Object.keys(CANDIDATE);

const dncInput = CANDIDATES[1];

/** Calling days that leave today out (Berlin): the item is outside its window. */
function otherDaysThanToday(): number[] {
	const today = DateTime.now().setZone('Europe/Berlin').weekday;
	return [1, 2, 3, 4, 5, 6, 7].filter((day) => day !== today);
}

/** A Do Not Call operation for the second candidate's number, on the test's embedded ledger. */
async function doNotCall(operation: string, parameters: IDataObject = {}) {
	return await runNode(
		{
			type: 'agentCall',
			name: NODE,
			parameters: { resource: 'doNotCall', operation, ...parameters },
		},
		{ credentials: { ...sandbox.credentials() }, items: [dncInput] },
	);
}

describe('Place Agent Call: declared output fields', () => {
	it('hold for a call, a repeat, a closed window and a listed number', async () => {
		const outputs: IDataObject[] = [];
		const placed = await runPlace(sandbox, [CANDIDATE]);
		outputs.push(...placed.json(NODE));
		outputs.push(...(await runPlace(sandbox, [CANDIDATE])).json(NODE));
		outputs.push(
			...(await runPlace(sandbox, [CANDIDATES[0]], { callingDays: otherDaysThanToday() })).json(
				NODE,
			),
		);
		const listed = await doNotCall('add', { reason: 'opted out' });
		expect(listed.status).toBe('success');
		outputs.push(...(await runPlace(sandbox, [CANDIDATES[1]])).json(NODE));

		expect(outputs.map((out) => out.status)).toEqual([
			'initiated',
			'already_called',
			'outside_window',
			'do_not_call',
		]);
		for (const output of outputs)
			expect(declarationGaps(output, placeFields, inputKeys)).toEqual(NO_GAPS);
	});
});

describe('Campaign → Submit: declared output fields', () => {
	it('hold for a submitted campaign and for one with nobody left to call', async () => {
		const submit = async () =>
			await runNode(campaignNode(sandbox, 'submit', submitParameters(sandbox)), {
				credentials: elevenLabsCredential(sandbox),
				items: CANDIDATES,
			});
		const [first] = (await submit()).json(NODE);
		const [again] = (await submit()).json(NODE);
		expect([first.status, again.status]).not.toContain(undefined);
		expect(again.status).toBe('nothing_to_submit');
		for (const output of [first, again])
			expect(declarationGaps(output, submitFields)).toEqual(NO_GAPS);
	});
});

describe('Campaign → Cancel and Do Not Call → Get, Remove: declared output fields', () => {
	it('hold for a cancelled campaign', async () => {
		const [submitted] = (
			await runNode(campaignNode(sandbox, 'submit', submitParameters(sandbox)), {
				credentials: elevenLabsCredential(sandbox),
				items: CANDIDATES,
			})
		).json(NODE);
		const cancelled = await runNode(
			campaignNode(sandbox, 'cancel', { campaignId: String(submitted.campaignId) }),
			{ credentials: elevenLabsCredential(sandbox), items: [{}] },
		);
		const [output] = cancelled.json(NODE);
		expect(output.status).toBeDefined();
		expect(declarationGaps(output, cancelFields)).toEqual(NO_GAPS);
	});

	it('hold for a listed number, its removal and the number once it is off the list', async () => {
		await doNotCall('add', { reason: 'opted out' });
		const dncKeys = Object.keys(dncInput);
		const [listed] = (await doNotCall('get')).json(NODE);
		const [removed] = (await doNotCall('remove')).json(NODE);
		const [free] = (await doNotCall('get')).json(NODE);
		expect([listed.doNotCall, removed.removed, free.doNotCall]).toEqual([true, true, false]);
		expect(declarationGaps(listed, doNotCallGetFields, dncKeys)).toEqual(NO_GAPS);
		expect(declarationGaps(free, doNotCallGetFields, dncKeys)).toEqual(NO_GAPS);
		expect(declarationGaps(removed, removeFields, dncKeys)).toEqual(NO_GAPS);
	});
});

describe('Campaign → Get and Retry: declared output fields', () => {
	const campaign = async (operation: string, parameters: INodeParameters = {}) =>
		await runNode(campaignNode(sandbox, operation, parameters), {
			credentials: elevenLabsCredential(sandbox),
			items: [{}],
		});

	it('hold for a campaign, and for each recipient with One Item per Recipient', async () => {
		const [submitted] = (
			await runNode(campaignNode(sandbox, 'submit', submitParameters(sandbox)), {
				credentials: elevenLabsCredential(sandbox),
				items: CANDIDATES,
			})
		).json(NODE);
		const campaignId = String(submitted.campaignId);
		const [whole] = (await campaign('get', { campaignId })).json(NODE);
		const split = (await campaign('get', { campaignId, splitRecipients: true })).json(NODE);
		// Each item's status is its recipient's; the campaign's is campaignStatus.
		expect(split.map((out) => out.status)).toEqual(['dispatched', 'dispatched', 'dispatched']);
		expect(split[0].campaignStatus).toBe(whole.status);
		for (const output of [whole, ...split])
			expect(declarationGaps(output, campaignGetFields)).toEqual(NO_GAPS);
		expect(neverProduced([whole, ...split], campaignGetFields)).toEqual([]);
	});

	it('hold for a retried campaign and for one with nobody to call again', async () => {
		const busy = [{ ...CANDIDATE, candidateId: 'busy', phone: '+4917112345603' }];
		const [submitted] = (
			await runNode(campaignNode(sandbox, 'submit', submitParameters(sandbox)), {
				credentials: elevenLabsCredential(sandbox),
				items: busy,
			})
		).json(NODE);
		const campaignId = String(submitted.campaignId);
		sandbox.clock.advance(5_000);
		const [tooSoon] = (await campaign('retry', { campaignId, ...ALWAYS_OPEN })).json(NODE);
		const [retried] = (
			await campaign('retry', {
				campaignId,
				...ALWAYS_OPEN,
				options: { hoursBetweenAttempts: 0 },
			})
		).json(NODE);
		expect([tooSoon.status, retried.recipients]).toEqual(['nothing_to_submit', 1]);
		for (const output of [tooSoon, retried])
			expect(declarationGaps(output, retryFields)).toEqual(NO_GAPS);
		expect(neverProduced([tooSoon, retried], retryFields)).toEqual([]);
	});
});

describe('Do Not Call → Add and Text Message → Send: declared output fields', () => {
	it('hold for a number listed while a campaign runs, again, and without a credential', async () => {
		await runNode(campaignNode(sandbox, 'submit', submitParameters(sandbox)), {
			credentials: elevenLabsCredential(sandbox),
			items: CANDIDATES,
		});
		const [first] = (await doNotCall('add', { reason: 'opted out' })).json(NODE);
		const [again] = (await doNotCall('add', { reason: 'twice' })).json(NODE);
		const unchecked = await runNode(
			{ type: 'agentCall', name: NODE, parameters: { resource: 'doNotCall', operation: 'add' } },
			{ credentials: {}, items: [CANDIDATES[2]] },
		);
		const [pending] = unchecked.json(NODE);
		expect([first.added, again.added, pending.added]).toEqual([true, false, true]);
		const outputs = [first, again, pending];
		for (const output of outputs)
			expect(declarationGaps(output, addFields, inputKeys)).toEqual(NO_GAPS);
		expect(neverProduced(outputs, addFields)).toEqual([]);
	});

	it('hold for a text sent, sent before, outside the window and to a listed number', async () => {
		const send = async (items: IDataObject[], parameters: INodeParameters = {}) => {
			const node = {
				type: 'agentCall',
				name: NODE,
				parameters: {
					resource: 'textMessage',
					operation: 'send',
					fromNumber: sandbox.numbers.twilioBerlin,
					message: 'custom',
					text: 'Muster GmbH: Wir rufen Sie morgen an. Keine SMS mehr? STOPP',
					...ALWAYS_OPEN,
					...parameters,
				},
			};
			return (await runNode(node, { credentials: { ...sandbox.credentials() }, items })).json(NODE);
		};
		const outputs = [...(await send([CANDIDATE])), ...(await send([CANDIDATE]))];
		outputs.push(...(await send([CANDIDATES[0]], { callingDays: otherDaysThanToday() })));
		await doNotCall('add', { reason: 'opted out' });
		outputs.push(...(await send([dncInput])));
		expect(outputs.map((out) => out.status)).toEqual([
			'sent',
			'already_sent',
			'outside_window',
			'do_not_call',
		]);
		for (const output of outputs)
			expect(declarationGaps(output, textFields, inputKeys)).toEqual(NO_GAPS);
		expect(neverProduced(outputs, textFields)).toEqual([]);
	});
});
