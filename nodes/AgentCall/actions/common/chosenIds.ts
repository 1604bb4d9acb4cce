/** The chosen agent and agent phone number of a call or campaign, or an error saying where */
import type { IExecuteFunctions } from 'n8n-workflow';

import { toNodeError } from '../../../shared/n8n/problems';
import type { Problem } from '../../../shared/n8n/problems';

/** The id chosen in a resource-locator parameter, trimmed; empty when none is. */
export function chosenId(ctx: IExecuteFunctions, name: string, i: number): string {
	return String(ctx.getNodeParameter(name, i, '', { extractValue: true }) ?? '').trim();
}

function chosen(ctx: IExecuteFunctions, name: string, i: number, none: Problem): string {
	const id = chosenId(ctx, name, i);
	if (!id) throw toNodeError(ctx.getNode(), none, i);
	return id;
}

/** No number under Agent Phone Number (parameter `phoneNumberId`). */
export const NO_PHONE_NUMBER: Problem = {
	message: 'No agent phone number is chosen',
	hint: 'Pick the number the agent calls from under "Agent Phone Number".',
};

/** The agent of a call or campaign (parameter `agentId`). */
export function readAgentId(ctx: IExecuteFunctions, i: number): string {
	return chosen(ctx, 'agentId', i, {
		message: 'No agent is chosen',
		hint: 'Pick the agent under "Agent".',
	});
}

/** The ElevenLabs number the agent calls from (parameter `phoneNumberId`). */
export function readPhoneNumberId(ctx: IExecuteFunctions, i: number): string {
	return chosen(ctx, 'phoneNumberId', i, NO_PHONE_NUMBER);
}
