/** Conversation parameters shared by operations: Conversation ID, Only for Agent, Simplify */
import type { INodeProperties } from 'n8n-workflow';

import { agentLocator } from '../../../shared/n8n/descriptions';

/** The conversation to act on: Place Agent Call's `conversationId` by default. */
export const conversationIdField: INodeProperties = {
	displayName: 'Conversation ID',
	name: 'conversationId',
	type: 'string',
	required: true,
	default: '={{ $json.conversationId }}',
	placeholder: 'conv_01abc…',
	description: 'The ElevenLabs conversation, as Place Agent Call outputs it in conversationId',
};

/** Option: refuse a conversation that belongs to another agent of the workspace. */
export const onlyForAgentOption: INodeProperties = {
	...agentLocator,
	displayName: 'Only for Agent',
	required: false,
	description: 'Fail the item when the conversation belongs to another agent of the workspace',
};

export const simplifyField: INodeProperties = {
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: false,
	description:
		'Whether to return only the outcome (call result, summary, collected answers, evaluation, IDs) without the transcript, for AI agents and sheets',
};
