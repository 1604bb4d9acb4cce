/** One item of Place Agent Call as plain data: every parameter it needs, read once at the top. */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { AttemptPolicy } from '../../../shared/ledger/decideAttempt';
import { ledgerScope, readLedgerChoice } from '../../../shared/ledger/itemLedger';
import type { LedgerChoice } from '../../../shared/ledger/itemLedger';
import { readCheckedOptions } from '../../../shared/n8n/numberParameters';
import { toNodeError } from '../../../shared/n8n/problems';
import type { WindowSettings } from '../../helpers/windowRules';
import { readCandidate } from '../common/candidate';
import type { Candidate, CandidateOptions } from '../common/candidate';
import { chosenId, readAgentId } from '../common/chosenIds';
import { attemptPolicy } from '../common/ledgerClaim';
import { readWindowSettings } from '../common/windowSettings';
import type { MachineDetection } from './dial';
import { description } from './place.description';

export interface PlaceOptions extends CandidateOptions {
	machineDetection?: MachineDetection;
	callsPerMinute?: number;
	concurrencyGuard?: boolean;
	lookBackDays?: number;
	maxConcurrentCalls?: number;
	maxWaitSeconds?: number;
	recording?: boolean;
	busyRetries?: number;
	requestTimeout?: number;
	ringingTimeout?: number;
	statusCallbackUrl?: string;
	maxAttempts?: number;
	hoursBetweenAttempts?: number;
	ledgerRetentionDays?: number;
}

/**
 * Where the call comes from, as entered (checked in pre-flight, against the account): the
 * agent's ElevenLabs number (empty when none is chosen), or the team's own Twilio number.
 */
export type CallFrom =
	| { transport: 'elevenLabs'; phoneNumberId: string }
	| { transport: 'ownTwilio'; fromNumber: unknown };

/** What one item asks for: whom to call with which agent, from where, when, under which ledger and budget. */
export interface CallRequest {
	itemIndex: number;
	/** The input item: its fields start the output, and a bare row's fill the agent's variables. */
	item: INodeExecutionData;
	agentId: string;
	/** Number, idempotency key, overrides and variables, checked. */
	candidate: Candidate;
	from: CallFrom;
	options: PlaceOptions;
	/** The calling window as set, when Respect Calling Window is on. */
	window?: WindowSettings;
	ledger: LedgerChoice;
	/** The ledger campaign the candidate is claimed in: the agent and Campaign. */
	scope: string;
	policy: AttemptPolicy;
	skipIfAlreadyCalled: boolean;
}

/** Reads the item's parameters; throws the item's error on a problem with one of them. */
export function readCallRequest(
	ctx: IExecuteFunctions,
	item: INodeExecutionData,
	i: number,
): CallRequest {
	const options = readCheckedOptions<PlaceOptions>(ctx, description, 'options', i);
	const agentId = readAgentId(ctx, i);
	const transport = ctx.getNodeParameter('transport', i, 'elevenLabs') as CallFrom['transport'];
	const candidate = readCandidate(ctx, item, i, options);
	if (!candidate.ok) throw toNodeError(ctx.getNode(), candidate, i);
	const from: CallFrom =
		transport === 'ownTwilio'
			? { transport, fromNumber: ctx.getNodeParameter('fromNumber', i, '') }
			: { transport: 'elevenLabs', phoneNumberId: chosenId(ctx, 'phoneNumberId', i) };
	const useWindow = ctx.getNodeParameter('useCallingWindow', i, true);
	return {
		itemIndex: i,
		item,
		agentId,
		candidate: candidate.value,
		from,
		options,
		window: useWindow ? readWindowSettings(ctx, i, 'windowOptions') : undefined,
		ledger: readLedgerChoice(ctx, i),
		scope: ledgerScope(ctx, agentId, i),
		policy: attemptPolicy(options),
		skipIfAlreadyCalled: ctx.getNodeParameter('skipIfAlreadyCalled', i, true) as boolean,
	};
}
