/**
 * The output fields Place Agent Call and Campaign → Submit declare (their node page's tables) hold
 * for real output: every field an item gets is declared, every field declared as always there is.
 */
import type { IDataObject } from 'n8n-workflow';
import { DateTime } from 'luxon';

import { outputFields as placeFields } from '../../nodes/AgentCall/actions/call/place.operation';
import { outputFields as submitFields } from '../../nodes/AgentCall/actions/campaign/submit.operation';
import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { declarationGaps, NO_GAPS } from '../outputFields';
import {
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

describe('Place Agent Call: declared output fields', () => {
	it('hold for a call, a repeat, a closed window and a listed number', async () => {
		const outputs: IDataObject[] = [];
		const placed = await runPlace(sandbox, [CANDIDATE]);
		outputs.push(...placed.json(NODE));
		outputs.push(...(await runPlace(sandbox, [CANDIDATE])).json(NODE));
		const today = DateTime.now().setZone('Europe/Berlin').weekday;
		const otherDays = [1, 2, 3, 4, 5, 6, 7].filter((day) => day !== today);
		outputs.push(
			...(await runPlace(sandbox, [CANDIDATES[0]], { callingDays: otherDays })).json(NODE),
		);
		const listed = await runNode(
			{
				type: 'agentCall',
				name: 'Do Not Call',
				parameters: { resource: 'doNotCall', operation: 'add', reason: 'opted out' },
			},
			{ credentials: { ...sandbox.credentials() }, items: [CANDIDATES[1]] },
		);
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
