/** Campaign → Submit: only recipients the batch reaches before their calling window closes */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { toNodeError } from '../../../shared/n8n/problems';
import { agentConcurrencyLimit } from '../../helpers/agentChecks';
import { planWithinWindows } from '../../helpers/windowPlan';
import type { ElevenLabsLookups } from '../common/lookups';
import type { CampaignSettings } from './campaignSettings';
import type { ClaimedRecipient } from './clearance';
import { releaseClaims } from './submitBatch';

/** A call holds a line this long unless the node is told otherwise (a short screen, ringing and wrap-up). */
export const DEFAULT_TYPICAL_CALL_MINUTES = 5;

/** Who is submitted now, who waits for the next window (claim released), and when the batch must stop. */
export interface WindowFit {
	toSubmit: ClaimedRecipient[];
	report: IDataObject;
}

function typicalCallMinutes(ctx: IExecuteFunctions, settings: CampaignSettings): number {
	const given = settings.options.typicalCallMinutes ?? DEFAULT_TYPICAL_CALL_MINUTES;
	const minutes = Number(given);
	if (Number.isFinite(minutes) && minutes > 0) return minutes;
	throw toNodeError(
		ctx.getNode(),
		{
			message: `"Typical Call Length (Minutes)" must be a number above 0, not ${JSON.stringify(given)}`,
			hint: 'Set Options → Typical Call Length (Minutes) to how long a call holds a line, e.g. 5.',
		},
		0,
	);
}

/**
 * ElevenLabs dials a batch until it is done or cancelled, whatever the hour. So only the
 * recipients it reaches before their calling window closes (with the lines it runs and a typical
 * call) are submitted; the others' claims are released, since nobody called them. `cancelAt` is
 * a minute before the earliest close, for a Cancel that stops the batch if calls run long.
 */
export async function fitIntoWindows(
	ctx: IExecuteFunctions,
	lookups: ElevenLabsLookups,
	settings: CampaignSettings,
	cleared: ClaimedRecipient[],
	startAt: Date,
): Promise<WindowFit> {
	const minutes = typicalCallMinutes(ctx, settings);
	const agent = await lookups.agent(settings.agentId, 0);
	const lines = settings.options.concurrencyLimit || agentConcurrencyLimit(agent) || 1;
	const plan = planWithinWindows(cleared, { startAt, lines, callMs: minutes * 60_000 });
	const waiting = plan.wait.map((w) => w.recipient);
	await releaseClaims(ctx, waiting);
	const who = ({ itemIndex, candidate }: ClaimedRecipient) => ({
		itemIndex,
		toNumber: candidate.phone.e164,
		idempotencyKey: candidate.key,
	});
	const closesAt = plan.closesAt;
	return {
		toSubmit: plan.submit.map((s) => s.recipient),
		report: {
			submitted: plan.submit.map((s) => ({
				...who(s.recipient),
				expectedStartAt: s.expectedStartAt.toISOString(),
			})),
			waitingForNextWindow: plan.wait.map((w) => ({
				...who(w.recipient),
				reason: w.reason,
				nextWindowStart: w.nextWindowStart || null,
			})),
			windowClosesAt: closesAt ? closesAt.toISOString() : null,
			cancelAt: closesAt ? new Date(closesAt.getTime() - 60_000).toISOString() : null,
			plannedLines: lines,
			typicalCallMinutes: minutes,
		},
	};
}
