import type { IExecuteFunctions } from 'n8n-workflow';

import { toNodeError } from '../../../shared/n8n/problems';
import type { Problem } from '../../../shared/n8n/problems';

function chosen(ctx: IExecuteFunctions, name: string, i: number, none: Problem): string {
	const id = String(ctx.getNodeParameter(name, i, '', { extractValue: true }) ?? '').trim();
	if (!id) throw toNodeError(ctx.getNode(), none, i);
	return id;
}

/** The agent of a call or campaign (parameter `agentId`). */
export function readAgentId(ctx: IExecuteFunctions, i: number): string {
	return chosen(ctx, 'agentId', i, {
		message: 'No agent is chosen',
		hint: 'Pick the agent under "Agent".',
	});
}

/** The ElevenLabs number the agent calls from (parameter `phoneNumberId`). */
export function readPhoneNumberId(ctx: IExecuteFunctions, i: number): string {
	return chosen(ctx, 'phoneNumberId', i, {
		message: 'No agent phone number is chosen',
		hint: 'Pick the number the agent calls from under "Agent Phone Number".',
	});
}
