/** One conversation's checked ID, and the guard against acting on another agent's calls */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { ProblemError } from '../../shared/n8n/problems';
import { MAX_CONVERSATION_ID_LENGTH } from '../../shared/text/idLengths';

/** Letters, digits, `_` and `-`: what ElevenLabs ids are made of (`conv_…`). */
const CONVERSATION_ID = /^[A-Za-z0-9_-]+$/;

/** The item's conversation id (parameter `conversationId`, `$json.conversationId` by default). */
export function readConversationId(
	ctx: IExecuteFunctions,
	item: INodeExecutionData,
	itemIndex: number,
): string {
	const raw = ctx.getNodeParameter('conversationId', itemIndex, '') as unknown;
	const id = typeof raw === 'string' ? raw.trim() : typeof raw === 'number' ? String(raw) : '';
	if (!id) {
		const status = typeof item.json.status === 'string' ? item.json.status : undefined;
		throw new ProblemError(
			'No conversation ID for this item',
			status
				? `The item has status "${status}" and no conversationId, so no call was placed for it. Filter such items out (an IF node on "conversationId" is not empty) before this node.`
				: 'Map "Conversation ID" to the field that holds it, for example {{ $json.conversationId }} from Place Agent Call.',
		);
	}
	if (id.length > MAX_CONVERSATION_ID_LENGTH) {
		throw new ProblemError(
			`The conversation ID has ${id.length.toLocaleString('en')} characters, more than the ${MAX_CONVERSATION_ID_LENGTH} an ElevenLabs ID can have`,
			'ElevenLabs conversation IDs look like conv_01abc… (33 characters). Check what "Conversation ID" is mapped to.',
		);
	}
	if (!CONVERSATION_ID.test(id)) {
		throw new ProblemError(
			`"${id.slice(0, 80)}" is not a conversation ID`,
			'A conversation ID has only letters, digits, _ and -, for example conv_01abc…. Check what "Conversation ID" is mapped to.',
		);
	}
	return id;
}

/** Guards against acting on another agent's conversation (option "Only for Agent"). */
export function assertAgent(
	conversation: { conversationId: string; agentId: string },
	expectedAgentId: string | undefined,
): void {
	if (!expectedAgentId || conversation.agentId === expectedAgentId) return;
	throw new ProblemError(
		`Conversation ${conversation.conversationId} belongs to another agent (${conversation.agentId}), not to ${expectedAgentId}`,
		'Check the conversation ID, or choose the right agent under Options → Only for Agent (or remove that option to accept any agent of the workspace).',
	);
}
