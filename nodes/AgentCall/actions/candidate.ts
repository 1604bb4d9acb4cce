import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { Checked } from '../../shared/problems';
import { buildClientData, checkOverrides, dynamicVariables, promptFromItem } from '../helpers/clientData';
import type { ClientData, PromptOverrides } from '../helpers/clientData';
import { idempotencyKey } from '../helpers/idempotency';
import { parseCandidatePhone } from '../helpers/phone';
import type { CandidateNumber } from '../helpers/phone';

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
	const parsed = parseCandidatePhone(givenPhone(ctx, i), options.defaultRegion || 'DE', { nonGeographic: options.allowNonGeographic === true });
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
	for (const v of ctx.getNodeParameter('dynamicVariables.variable', i, []) as Array<{ name?: string; value?: unknown }>) {
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
	const clientData = buildClientData(key, overrides.value, variables.value);
	return { ok: true, value: { phone: parsed.value, key, overrides: overrides.value, clientData } };
}
