/**
 * Reading an agent and an agent phone number, the same way for every node: one action in the
 * message, and one wording for an id that the credential's workspace does not know.
 */
import type { ElevenLabs, ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import type { INode } from 'n8n-workflow';

import type { ElevenLabsConnection } from './elevenLabsClient';
import { elevenLabsRequest } from './elevenLabsTransport';

/** What a 404 for an agent means: most often the key belongs to another workspace. */
export function agentNotFoundHint(agentId: string): string {
	return `No agent "${agentId}" in the workspace of this API key. Pick the agent from the list, or use a key of the workspace the agent belongs to.`;
}

/** One object read by id; a 404 (ElevenLabs: document_not_found) says that id is unknown. */
async function readById<T>(
	node: INode,
	connection: ElevenLabsConnection,
	read: { action: string; unknown: string; itemIndex?: number },
	call: (client: ElevenLabsClient) => Promise<T>,
): Promise<T> {
	const context = {
		action: read.action,
		itemIndex: read.itemIndex,
		hints: { document_not_found: read.unknown },
		statusHints: { 404: read.unknown },
	};
	return await elevenLabsRequest(node, connection, context, call);
}

/** The agent's settings as ElevenLabs returns them. */
export async function readAgent(
	node: INode,
	connection: ElevenLabsConnection,
	agentId: string,
	itemIndex?: number,
): Promise<ElevenLabs.GetAgentResponseModel> {
	const read = {
		action: `load the agent "${agentId}"`,
		unknown: agentNotFoundHint(agentId),
		itemIndex,
	};
	return await readById(node, connection, read, (client) =>
		client.conversationalAi.agents.get(agentId),
	);
}

/** An agent phone number, as a dial's pre-flight needs it. */
export interface AgentPhoneNumber {
	phoneNumberId: string;
	phoneNumber: string;
	label: string;
	provider: string;
	supportsOutbound?: boolean;
	/** SIP only: whether an outbound trunk is configured. */
	hasOutboundTrunk?: boolean;
}

export async function readPhoneNumber(
	node: INode,
	connection: ElevenLabsConnection,
	phoneNumberId: string,
	itemIndex?: number,
): Promise<AgentPhoneNumber> {
	const read = {
		action: `load the agent phone number "${phoneNumberId}"`,
		unknown: `No phone number "${phoneNumberId}" in the workspace of this API key. Pick the number from the list (ElevenLabs → Phone Numbers), or use a key of that workspace.`,
		itemIndex,
	};
	const number = await readById(node, connection, read, (client) =>
		client.conversationalAi.phoneNumbers.get(phoneNumberId),
	);
	const sip = number.provider === 'sip_trunk';
	const trunk = sip ? (number.outboundTrunk ?? number.providerConfig) : undefined;
	return {
		phoneNumberId: number.phoneNumberId,
		phoneNumber: number.phoneNumber,
		label: number.label,
		provider: number.provider,
		supportsOutbound: number.supportsOutbound,
		hasOutboundTrunk: sip
			? Boolean(trunk?.address) && trunk?.hasOutboundTrunk !== false
			: undefined,
	};
}
