/** The callback this execution answers: the item its ElevenLabs Callback Trigger started it with. */
import type { IExecuteFunctions } from 'n8n-workflow';

import { toNodeError } from '../../shared/n8n/problems';

export const CALLBACK_TRIGGER_TYPE = 'elevenLabsCallbackTrigger';

export interface CallbackRequest {
	callbackId: string;
	callerNumber: string;
	agentId: string;
	callSid: string;
	agentVariables: string[];
	firstMessageAllowed: boolean;
}

/**
 * The trigger's item, found through the workflow: one callback per execution, so its first item.
 * Reading it here (not from a parameter) keeps the answer tied to the request that started the run.
 */
export function callbackRequest(ctx: IExecuteFunctions): CallbackRequest {
	const trigger = ctx
		.getParentNodes(ctx.getNode().name)
		.find((node) => node.type.split('.').pop() === CALLBACK_TRIGGER_TYPE);
	const json = trigger
		? (ctx.getWorkflowDataProxy(0).$items(trigger.name)[0]?.json ?? {})
		: undefined;
	if (!json || typeof json.callbackId !== 'string') {
		throw toNodeError(ctx.getNode(), {
			message: 'This node answers callbacks, and no ElevenLabs Callback Trigger started this run',
			hint: 'Put "ElevenLabs Callback Trigger" at the start of the workflow and this node after the lookup of the caller.',
		});
	}
	return {
		callbackId: json.callbackId,
		callerNumber: String(json.callerNumber ?? ''),
		agentId: String(json.agentId ?? ''),
		callSid: String(json.callSid ?? ''),
		agentVariables: Array.isArray(json.agentVariables) ? json.agentVariables.map(String) : [],
		firstMessageAllowed: json.firstMessageAllowed === true,
	};
}
