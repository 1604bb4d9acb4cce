/** The candidate of one item: number, idempotency key, overrides, variables, or the problem */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { Checked } from '../../../shared/n8n/problems';
import { cleanValue, isGiven, isScalar } from '../../../shared/text/cleanText';
import { variablesUsed } from '../../helpers/agentChecks';
import type { AgentSettings } from '../../helpers/agentChecks';
import {
	buildClientData,
	checkOverrides,
	dynamicVariables,
	isPromptObject,
	promptFromItem,
} from '../../helpers/clientData';
import type { ClientData, PromptOverrides } from '../../helpers/clientData';
import { idempotencyKey } from '../../helpers/idempotency';
import { checkUserIdLength } from '../../../shared/text/idLengths';
import { parseCandidatePhone } from '../../helpers/phone';
import type { CandidateNumber } from '../../helpers/phone';

/** Options both Place Call and Submit Campaign read. */
export interface CandidateOptions {
	allowNonGeographic?: boolean;
	defaultRegion?: string;
	firstMessage?: string;
	idempotencyKey?: string;
	language?: string;
	systemPrompt?: string;
}

export interface Candidate {
	phone: CandidateNumber;
	key: string;
	overrides: PromptOverrides;
	clientData: ClientData;
}

export function text(value: unknown): string {
	return typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
}

/** The number parameter of an item as it was given (for listing a number that was not usable). */
export function givenPhone(ctx: IExecuteFunctions, i: number): unknown {
	return ctx.getNodeParameter('phone', i, '');
}

/**
 * The candidate of one item: number (E.164), idempotency key, overrides and variables; or the
 * problem with it, so that a campaign can list every bad item, not only the first.
 */
export function readCandidate(
	ctx: IExecuteFunctions,
	item: INodeExecutionData,
	i: number,
	options: CandidateOptions,
): Checked<Candidate> {
	const parsed = parseCandidatePhone(givenPhone(ctx, i), options.defaultRegion || 'DE', {
		nonGeographic: options.allowNonGeographic === true,
	});
	if (!parsed.ok) return parsed;

	const fromItem = ctx.getNodeParameter('sendItemPrompt', i, true)
		? promptFromItem(item.json.prompt)
		: { overrides: {}, variables: {} };
	const overrides = checkOverrides({
		systemPrompt: options.systemPrompt || fromItem.overrides.systemPrompt,
		firstMessage: options.firstMessage || fromItem.overrides.firstMessage,
		language: options.language || fromItem.overrides.language,
	});
	if (!overrides.ok) return overrides;
	// A null prototype keeps a variable named __proto__ as a key, so that it is refused by name.
	const extra = Object.create(null) as IDataObject;
	for (const v of ctx.getNodeParameter('dynamicVariables.variable', i, []) as Array<{
		name?: string;
		value?: unknown;
	}>) {
		if (v.name?.trim()) extra[v.name.trim()] = v.value as IDataObject[string];
	}
	const variables = dynamicVariables(fromItem.variables, extra);
	if (!variables.ok) return variables;

	const key = idempotencyKey({
		explicit: options.idempotencyKey,
		campaign: text(ctx.getNodeParameter('campaign', i, '')),
		candidateId: text(ctx.getNodeParameter('candidateId', i, '')),
		e164: parsed.value.e164,
	});
	const keyLength = checkUserIdLength(key, 'Idempotency Key');
	if (!keyLength.ok) return keyLength;
	const clientData = buildClientData(key, overrides.value, variables.value);
	return { ok: true, value: { phone: parsed.value, key, overrides: overrides.value, clientData } };
}

/**
 * A row without Build Recruiting Prompt's `prompt` (a bare sheet row after Publish): the agent's
 * own prompt and first message name their variables after the candidate fields, so each one the
 * call does not supply is read from the item field of that name. Values are cleaned as Render
 * cleans them, since they land inside the prompt's data fence. The node's Dynamic Variables win.
 */
export function withItemVariables(
	candidate: Candidate,
	item: INodeExecutionData,
	agent: AgentSettings,
): Candidate {
	if (isPromptObject(item.json.prompt)) return candidate;
	const supplied = candidate.clientData.dynamicVariables ?? {};
	const used = variablesUsed(agent, candidate.clientData);
	const fromItem: Record<string, string> = {};
	for (const name of new Set([...used.prompt, ...used.firstMessage])) {
		const value = item.json[name];
		if (!(name in supplied) && isGiven(value) && isScalar(value))
			fromItem[name] = cleanValue(value);
	}
	if (!Object.keys(fromItem).length) return candidate;
	return {
		...candidate,
		clientData: buildClientData(candidate.key, candidate.overrides, { ...fromItem, ...supplied }),
	};
}
