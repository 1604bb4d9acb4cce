import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { buildClientData, dynamicVariables, promptFromItem } from '../helpers/clientData';
import type { ClientData, PromptOverrides } from '../helpers/clientData';
import { idempotencyKey } from '../helpers/idempotency';
import { parseCandidatePhone } from '../helpers/phone';
import type { CandidateNumber } from '../helpers/phone';
import { setupError } from './call/lookups';

/** Options both Place Call and Submit Campaign read. */
export interface CandidateOptions {
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

/** The candidate of one item: number (E.164), idempotency key, overrides and variables. */
export function readCandidate(ctx: IExecuteFunctions, item: INodeExecutionData, i: number, options: CandidateOptions): Candidate {
	const phone = parseCandidatePhone(ctx.getNodeParameter('phone', i, ''), options.defaultRegion || 'DE');
	if (!phone.ok) throw setupError(ctx, phone, i);

	const fromItem = ctx.getNodeParameter('sendItemPrompt', i, true)
		? promptFromItem(item.json.prompt)
		: { overrides: {}, variables: {} };
	const overrides: PromptOverrides = {
		systemPrompt: options.systemPrompt || fromItem.overrides.systemPrompt,
		firstMessage: options.firstMessage || fromItem.overrides.firstMessage,
		language: options.language || fromItem.overrides.language,
	};
	const extra: IDataObject = {};
	for (const v of ctx.getNodeParameter('dynamicVariables.variable', i, []) as Array<{ name?: string; value?: unknown }>) {
		if (v.name?.trim()) extra[v.name.trim()] = v.value as IDataObject[string];
	}
	const variables = dynamicVariables(fromItem.variables, extra);
	if (!variables.ok) throw setupError(ctx, variables, i);

	const key = idempotencyKey({
		explicit: options.idempotencyKey,
		campaign: text(ctx.getNodeParameter('campaign', i, '')),
		candidateId: text(ctx.getNodeParameter('candidateId', i, '')),
		e164: phone.e164,
	});
	const number: CandidateNumber = { e164: phone.e164, country: phone.country, type: phone.type };
	return { phone: number, key, overrides, clientData: buildClientData(key, overrides, variables.value) };
}

/** readCandidate, with its error as a value: a campaign lists every bad number, not only the first. */
export function tryReadCandidate(
	ctx: IExecuteFunctions,
	item: INodeExecutionData,
	i: number,
	options: CandidateOptions,
): { ok: true; candidate: Candidate } | { ok: false; error: NodeOperationError } {
	try {
		return { ok: true, candidate: readCandidate(ctx, item, i, options) };
	} catch (error) {
		return { ok: false, error: error instanceof NodeOperationError ? error : new NodeOperationError(ctx.getNode(), error as Error, { itemIndex: i }) };
	}
}
