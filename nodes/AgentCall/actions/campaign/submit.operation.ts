/** Campaign → Submit: all input items become recipients of one ElevenLabs batch call */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { withHeldClaims } from '../../../shared/ledger/heldClaims';
import type { OutputField } from '../../../shared/n8n/outputFields';
import { toNodeError } from '../../../shared/n8n/problems';
import { agentProblem, outboundProblem } from '../../helpers/agentChecks';
import { campaignStart } from '../../helpers/campaignStart';
import type { CallingWindow } from '../../helpers/callingWindow';
import { withItemVariables } from '../common/candidate';
import { openItemLedger } from '../../../shared/ledger/itemLedger';
import { ElevenLabsLookups } from '../common/lookups';
import { readSubmitRequest } from './campaignRequest';
import type { SubmitRequest } from './campaignRequest';
import { clearRecipients } from './clearance';
import { releaseFailed, reportSubmit, settleClaims, submitBatch } from './submitBatch';
import { campaignOutputFields } from './output';
import { fitIntoWindows } from './windowFit';

export { description } from './submit.description';

const SUBMITTED = 'a campaign was submitted';
const WITH_WINDOW = 'the calling window is respected';

/**
 * One item for the whole list: the campaign's fields and who was left out and why (each entry
 * with the input's `itemIndex`). When nobody is left to call: `campaignId` null, `status`
 * `nothing_to_submit`, and no other campaign field.
 */
export const outputFields: OutputField[] = [
	...campaignOutputFields.map((field) =>
		field.name === 'campaignId' || field.name === 'status' ? field : { ...field, when: SUBMITTED },
	),
	{ name: 'recipients', type: 'number', description: 'How many were submitted' },
	{
		name: 'alreadyCalled',
		type: 'object[]',
		description:
			'Recipients of an earlier campaign of the same agent (same key, within *Look Back*) or twice in the list',
	},
	{
		name: 'heldBack',
		type: 'object[]',
		description:
			'Left out by the call ledger, with their `status` (`do_not_call`, `too_soon` with `nextAttemptAfter`, `attempts_exhausted`).',
	},
	{
		name: 'invalid',
		type: 'object[]',
		description: 'Invalid numbers left out (*Invalid Numbers* → `report`).',
	},
	{
		name: 'outsideWindow',
		type: 'object[]',
		description: 'Outside their window at the start, with `reason` and `nextWindowStart`',
	},
	{
		name: 'scheduledBecause',
		type: 'string',
		description: "Why the campaign starts later: nobody's window was open",
		when: 'the start was moved to the first open window',
	},
	{
		name: 'submitted',
		type: 'object[]',
		description: '`itemIndex`, `toNumber`, `idempotencyKey`, `expectedStartAt`',
		when: WITH_WINDOW,
	},
	{
		name: 'waitingForNextWindow',
		type: 'object[]',
		description:
			'Not reached before their window closes: `itemIndex`, `toNumber`, `idempotencyKey`, `reason`, `nextWindowStart`',
		when: WITH_WINDOW,
	},
	{
		name: 'windowClosesAt',
		type: 'string or null',
		description: "The campaign's cut-off: the earliest close of the windows of those submitted",
		when: WITH_WINDOW,
	},
	{
		name: 'cancelAt',
		type: 'string or null',
		description: 'A minute before `windowClosesAt`: when to cancel the batch',
		when: WITH_WINDOW,
	},
	{
		name: 'plannedLines',
		type: 'number',
		description: 'Lines the plan counts on',
		when: WITH_WINDOW,
	},
	{
		name: 'typicalCallMinutes',
		type: 'number',
		description: 'How long the plan counts a call to hold a line',
		when: WITH_WINDOW,
	},
];

/**
 * The agent and the number, checked for every recipient before anything is submitted; a bare
 * row gets the agent's variables from its fields.
 */
async function preflight(
	ctx: IExecuteFunctions,
	lookups: ElevenLabsLookups,
	{ settings, recipients }: SubmitRequest,
): Promise<void> {
	const agent = await lookups.agent(settings.agentId, 0);
	const number = await lookups.phoneNumber(settings.phoneNumberId, 0);
	const cannotDialOut = outboundProblem(number);
	if (cannotDialOut) throw toNodeError(ctx.getNode(), cannotDialOut, 0);
	const items = ctx.getInputData();
	for (const recipient of recipients) {
		recipient.candidate = withItemVariables(recipient.candidate, items[recipient.itemIndex], agent);
		const { itemIndex, candidate } = recipient;
		const problem = agentProblem(agent, candidate);
		if (problem) throw toNodeError(ctx.getNode(), problem, itemIndex);
	}
}

/**
 * All input items become the recipients of one ElevenLabs batch call: read and checked first,
 * then the start and who may be dialled then, and of them only those the batch reaches before
 * their window closes (it has no window of its own), then one submit and its outcome.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const request = readSubmitRequest(this);
	const { settings, rules, recipients, invalid } = request;
	const lookups = new ElevenLabsLookups(this);
	await preflight(this, lookups, request);

	const windows = recipients
		.map((r) => r.window)
		.filter((w): w is CallingWindow => w !== undefined);
	const start = campaignStart(windows, settings.scheduled, new Date());
	if (!start.ok) throw toNodeError(this.getNode(), start, 0);
	const ledger = await openItemLedger(this, request.ledger, 0);
	return await withHeldClaims(releaseFailed(this), async (held) => {
		const { policy, skipIfAlreadyCalled } = request;
		const claims = { ctx: this, lookups, ledger, held, settings, policy, skipIfAlreadyCalled };
		const { toDial, alreadyCalled, heldBack, outsideWindow } = await clearRecipients(
			claims,
			recipients,
			start.value.at,
		);

		const { toSubmit, report: fit } = rules
			? await fitIntoWindows(this, lookups, settings, toDial, start.value.at)
			: { toSubmit: toDial, report: {} };

		const pairedItem = this.getInputData().map((_, item) => ({ item }));
		const { movedBecause } = start.value;
		const report = {
			recipients: toSubmit.length,
			alreadyCalled,
			heldBack,
			invalid,
			outsideWindow,
			...(movedBecause ? { scheduledBecause: movedBecause } : {}),
			...fit,
		};
		if (!toSubmit.length) {
			const waiting = toDial.length;
			this.logger.info(
				`Submit Campaign: nobody left to call (${alreadyCalled.length} already called, ${heldBack.length} held back by the call ledger, ${outsideWindow.length} outside their window, ${waiting} not reached before it closes, ${invalid.length} invalid)`,
			);
			return [{ json: { campaignId: null, status: 'nothing_to_submit', ...report }, pairedItem }];
		}
		const scheduled = settings.scheduled ?? (movedBecause ? start.value.at : undefined);
		const scheduledUnix = scheduled ? Math.floor(scheduled.getTime() / 1000) : undefined;
		const outcome = await submitBatch(lookups, settings, toSubmit, scheduledUnix);
		await settleClaims(this, toSubmit, outcome);
		return [{ json: reportSubmit(this, outcome, report), pairedItem }];
	});
}
