/** An agent phone number as the dials need it: provider, outbound support, trunk. */
import type { INode } from 'n8n-workflow';

import { getPhoneNumber } from './elevenLabsApi';
import type { ElevenLabsConnection } from './elevenLabsClient';

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
	const number = await getPhoneNumber(connection, { node, itemIndex }, phoneNumberId);
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
