/** Call → Place: claims, waits for a free line, dials and settles one candidate per item */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { mapItems } from '../../../shared/n8n/items';
import type { OutputField } from '../../../shared/n8n/outputFields';
import { withAttempt } from '../../helpers/clientData';
import type { CallLedger, Claim } from '../../../shared/ledger/callLedger';
import { withHeldClaims } from '../../../shared/ledger/heldClaims';
import { ElevenLabsLookups } from '../common/lookups';
import { openItemLedger } from '../../../shared/ledger/itemLedger';
import { claimCandidate, listedNow } from '../common/ledgerClaim';
import { readCallRequest } from './callRequest';
import { newCallRun } from './callRun';
import type { CallRun } from './callRun';
import { historyCall, outsideCallingWindow } from './clearance';
import { dialWithRetry } from './dialWithRetry';
import type { DialTurn, GuardedLine } from './dialWithRetry';
import { releaseFailed, reportOutcome, settleClaim } from './outcome';
import { prepareCall } from './preflight';
import type { PreparedCall } from './preflight';
import { sideBySide } from './sideBySide';

export { description } from './place.description';

const HELD_BY_LEDGER = '`status` `already_called`, `too_soon` or `attempts_exhausted`';

/** The fields Place adds to each input item, by outcome (`status`). */
export const outputFields: OutputField[] = [
	{
		name: 'status',
		type: 'string',
		description:
			'`initiated` (called), `outside_window`, `already_called`, `do_not_call`, `too_soon`, `attempts_exhausted`; `unknown` only on a failed item with continue on fail (the call may have been placed)',
	},
	{ name: 'toNumber', type: 'string', description: 'The number in E.164' },
	{
		name: 'idempotencyKey',
		type: 'string',
		description:
			'`vr1_` and a hash of campaign and candidate ID (or number), or your own *Idempotency Key*. Stored on the conversation as `user_id`; Get Transcript shows it as `userId`',
	},
	{
		name: 'conversationId',
		type: 'string or null',
		description:
			'ElevenLabs conversation (not known yet for own-Twilio calls: find it by `userId`); for a call held back by the ledger, the earlier one',
		when: `\`status\` \`initiated\`, or ${HELD_BY_LEDGER}`,
	},
	{
		name: 'callSid',
		type: 'string',
		description: 'Twilio call SID',
		when: '`status` `initiated` through Twilio',
	},
	{
		name: 'sipCallId',
		type: 'string',
		description: 'SIP call ID',
		when: '`status` `initiated` through a SIP trunk',
	},
	{
		name: 'transport',
		type: 'string',
		description: '`twilio`, `sip_trunk` or `own_twilio`',
		when: '`status` `initiated`',
	},
	{ name: 'agentId', type: 'string', description: 'The agent', when: '`status` `initiated`' },
	{
		name: 'placedAt',
		type: 'string',
		description: 'ISO time of the call (for `already_called`: of the earlier call).',
		when: '`status` `initiated` or `already_called`',
	},
	{
		name: 'nextWindowStart',
		type: 'string or null',
		description: "The next allowed moment (ISO, candidate's offset).",
		when: '`status` `outside_window`',
	},
	{ name: 'reason', type: 'string', description: 'Why not now', when: '`status` `outside_window`' },
	{
		name: 'previousCallStatus',
		type: 'string',
		description:
			"The earlier call's outcome in the ledger (`initiated`, `unknown`, or `dialling` while another execution dials)",
		when: '`status` `already_called`',
	},
	{
		name: 'campaignId',
		type: 'string',
		description: 'The campaign that called the candidate earlier',
		when: `${HELD_BY_LEDGER}, when a campaign made the earlier call`,
	},
	{
		name: 'attempts',
		type: 'number',
		description: 'The attempts of this candidate in this campaign so far',
		when: HELD_BY_LEDGER,
	},
	{
		name: 'nextAttemptAfter',
		type: 'string',
		description: 'The ISO time from which the next attempt is allowed',
		when: '`status` `too_soon`',
	},
	{
		name: 'doNotCallSince',
		type: 'string',
		description: 'When the number was listed',
		when: '`status` `do_not_call`',
	},
	{
		name: 'doNotCallReason',
		type: 'string',
		description: 'Why the number was listed',
		when: '`status` `do_not_call`',
	},
];

/** Under the concurrency guard, the agent's lines in the item's call ledger; none without it. */
function guardedLine(
	run: CallRun,
	ledger: CallLedger,
	call: PreparedCall,
): GuardedLine | undefined {
	if (call.options.concurrencyGuard === false || !call.concurrencyLimit) return undefined;
	const holder = `execution ${String(run.ctx.getExecutionId?.() ?? '')} item ${call.itemIndex}`;
	return { leases: ledger.store.lines, limit: call.concurrencyLimit, holder };
}

/**
 * The dial of a claimed candidate: the attempt in its client data, its line, and the last look
 * before each dial (a wait may last minutes: the window may close, the person may opt out).
 */
function dialTurn(run: CallRun, call: PreparedCall, ledger: CallLedger, claim: Claim): DialTurn {
	const clientData = withAttempt(call.dial.clientData, claim.attempt);
	const e164 = call.candidate.phone.e164;
	return {
		run,
		call: { ...call, dial: { ...call.dial, clientData } },
		claim,
		line: guardedLine(run, ledger, call),
		lastLook: async () =>
			outsideCallingWindow(run, call) ?? (await listedNow(run.ctx, ledger, e164, call.itemIndex)),
	};
}

/**
 * One item, top-down: its parameters into a request, the checks against the account and the
 * calling window, the claim in the call ledger, a free line and the dial, the settled claim, the
 * output.
 */
async function placeOne(run: CallRun, item: INodeExecutionData, i: number): Promise<IDataObject> {
	const request = readCallRequest(run.ctx, item, i);
	const call = await prepareCall(run, request);
	const base = {
		...item.json,
		toNumber: call.candidate.phone.e164,
		idempotencyKey: call.candidate.key,
	};
	const closed = outsideCallingWindow(run, call);
	if (closed) return { ...base, ...closed };
	const ledger = await openItemLedger(run.ctx, call.ledger, i);
	return await withHeldClaims(releaseFailed(run.ctx, i), async (held) => {
		const history = async () => await historyCall(run, call);
		const cleared = await claimCandidate({ ...run, ledger, held }, { ...call, history }, i);
		if (cleared.kind === 'held') return { ...base, ...cleared.fields };
		const outcome = await dialWithRetry(dialTurn(run, call, ledger, cleared.claim));
		await settleClaim(run.ctx, cleared.claim, outcome, i);
		return { ...base, ...reportOutcome(run.ctx, call, outcome, i) };
	});
}

/**
 * Calls each item's candidate: pre-flight (nothing is dialled on a problem), the calling window,
 * then the claim in the call ledger (only the execution that wins it dials), then the dial with
 * its retries, then its outcome, which settles the claim. Under the concurrency guard items are
 * dialled side by side, up to the agent's lines, each on a line lease of its own.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const run = newCallRun(this, new ElevenLabsLookups(this));
	const width = sideBySide(this);
	return await mapItems(
		this,
		async (item, i, stoppedBefore) => {
			run.clock.stoppedBefore = stoppedBefore;
			try {
				return await placeOne(run, item, i);
			} finally {
				// The first item may end without a dial (held back, skipped, failed): the others go on.
				if (i === 0) run.clock.firstDialed?.();
			}
		},
		width,
	);
}
