/**
 * ElevenLabs phone numbers: `GET /v1/convai/phone-numbers` (phoneNumbers.list: a bare array, a
 * union on `provider`) and `GET /v1/convai/phone-numbers/{phone_number_id}` (phoneNumbers.get).
 */
import { ElevenLabs } from '@elevenlabs/elevenlabs-js';
import * as schemas from '@elevenlabs/elevenlabs-js/serialization';

import type { RouteContext, RouteModule } from '../context';
import type { PhoneNumberModel, StoredPhoneNumber } from '../state';
import { query } from '../validation';

/** The number with its assigned agent's current name (agents can be renamed). */
export function phoneNumberResponse(
	ctx: RouteContext,
	stored: StoredPhoneNumber,
): PhoneNumberModel {
	const number = stored.phoneNumber;
	const assigned = number.assignedAgent;
	if (!assigned) return number;
	const agent = ctx.state.agents.get(assigned.agentId);
	return {
		...number,
		assignedAgent: { ...assigned, agentName: agent?.agent.name ?? assigned.agentName },
	};
}

const LIST_QUERY = {
	provider: query.oneOf(Object.values(ElevenLabs.TelephonyProvider)),
	agent_id: query.string(),
	branch_id: query.string(),
};

export const phoneNumberRoutes: RouteModule = (app, ctx) => {
	const el = ctx.elevenLabs;

	app.get('/v1/convai/phone-numbers', async (request) => {
		const q = el.query(request, LIST_QUERY);
		const workspaceId = el.workspaceId(request);
		const numbers = [...ctx.state.phoneNumbers.values()]
			.filter((stored) => stored.workspaceId === workspaceId)
			.filter((stored) => !q.provider || stored.phoneNumber.provider === q.provider)
			.filter((stored) => !q.agent_id || stored.phoneNumber.assignedAgent?.agentId === q.agent_id)
			.map((stored) => phoneNumberResponse(ctx, stored));
		return el.wire(schemas.conversationalAi.phoneNumbers.list.Response, numbers);
	});

	app.get<{ Params: { phone_number_id: string } }>(
		'/v1/convai/phone-numbers/:phone_number_id',
		async (request) => {
			const stored = el.phoneNumber(request, request.params.phone_number_id);
			return el.wire(
				schemas.conversationalAi.PhoneNumbersGetResponse,
				phoneNumberResponse(ctx, stored),
			);
		},
	);
};
