/**
 * ElevenLabs agents: `GET /v1/convai/agents` (agents.list), `GET /v1/convai/agents/{agent_id}`
 * (agents.get) and `PATCH /v1/convai/agents/{agent_id}` (agents.update).
 */
import { ElevenLabs } from '@elevenlabs/elevenlabs-js';
import * as schemas from '@elevenlabs/elevenlabs-js/serialization';

import type { RouteContext, RouteModule } from '../context';
import { cursorPage } from '../pages';
import type { StoredAgent } from '../state';
import { query, toFastApiError } from '../validation';
import { checkAgentUpdate, replacedWhole } from './agentUpdates';

type Wire = Record<string, unknown>;

/** The agent with the phone numbers assigned to it, as `agents.get` returns it. */
export function agentResponse(
	ctx: RouteContext,
	stored: StoredAgent,
): ElevenLabs.GetAgentResponseModel {
	const phoneNumbers = [...ctx.state.phoneNumbers.values()]
		.filter(
			(number) =>
				number.workspaceId === stored.workspaceId &&
				number.phoneNumber.assignedAgent?.agentId === stored.agent.agentId,
		)
		.map((number) => ({
			...number.phoneNumber,
			assignedAgent: { ...number.phoneNumber.assignedAgent!, agentName: stored.agent.name },
		}));
	return { ...stored.agent, phoneNumbers };
}

function summary(stored: StoredAgent): ElevenLabs.AgentSummaryResponseModel {
	const { agent } = stored;
	return {
		agentId: agent.agentId,
		name: agent.name,
		voiceId: agent.conversationConfig.tts?.voiceId ?? '',
		tags: agent.tags ?? [],
		createdAtUnixSecs: agent.metadata.createdAtUnixSecs,
		accessInfo: agent.accessInfo ?? {
			isCreator: true,
			creatorName: '',
			creatorEmail: '',
			role: 'admin',
		},
		lastCallTimeUnixSecs: stored.lastCallTimeUnixSecs,
		archived: stored.archived,
	};
}

const LIST_QUERY = {
	page_size: query.withDefault(query.int({ min: 1, max: 100 }), 30),
	search: query.string(),
	archived: query.bool(),
	show_only_owned_agents: query.bool(),
	created_by_user_id: query.string(),
	tags: query.list(),
	sort_direction: query.withDefault(query.oneOf(Object.values(ElevenLabs.SortDirection)), 'desc'),
	sort_by: query.withDefault(query.oneOf(Object.values(ElevenLabs.AgentSortBy)), 'created_at'),
	cursor: query.string(),
};

/**
 * Objects merge key by key; lists, scalars and the maps of agentUpdates.ts replace (ElevenLabs'
 * partial update); null removes.
 */
function mergePatch(target: unknown, patch: unknown, path: string[] = []): unknown {
	if (patch === null) return undefined;
	if (typeof patch !== 'object' || Array.isArray(patch) || replacedWhole(path)) return patch;
	const base: Wire =
		target !== null && typeof target === 'object' && !Array.isArray(target)
			? { ...(target as Wire) }
			: {};
	for (const [key, value] of Object.entries(patch as Wire)) {
		const merged = mergePatch(base[key], value, [...path, key]);
		if (merged === undefined) delete base[key];
		else base[key] = merged;
	}
	return base;
}

/** Body keys of an update that are part of the stored agent (the rest only affect versioning). */
const AGENT_KEYS = [
	'conversation_config',
	'platform_settings',
	'workflow',
	'name',
	'tags',
	'procedures',
];

export const agentRoutes: RouteModule = (app, ctx) => {
	const el = ctx.elevenLabs;

	app.get('/v1/convai/agents', async (request) => {
		const q = el.query(request, LIST_QUERY);
		const workspaceId = el.workspaceId(request);
		const search = q.search?.toLowerCase();
		const direction = q.sort_direction === 'asc' ? 1 : -1;
		const agents = [...ctx.state.agents.values()]
			.filter((stored) => stored.workspaceId === workspaceId)
			.filter((stored) =>
				q.archived === undefined ? !stored.archived : stored.archived === q.archived,
			)
			.filter((stored) => !search || stored.agent.name.toLowerCase().includes(search))
			.filter((stored) => !q.tags || q.tags.some((tag) => stored.agent.tags?.includes(tag)))
			.sort((a, b) => {
				const order =
					q.sort_by === 'name'
						? a.agent.name.localeCompare(b.agent.name)
						: a.agent.metadata.createdAtUnixSecs - b.agent.metadata.createdAtUnixSecs;
				return order * direction || a.agent.agentId.localeCompare(b.agent.agentId);
			});
		const { page, hasMore, nextCursor } = cursorPage(agents, q.cursor, q.page_size);
		const response: ElevenLabs.GetAgentsPageResponseModel = {
			agents: page.map(summary),
			hasMore,
			nextCursor,
		};
		return el.wire(schemas.GetAgentsPageResponseModel, response);
	});

	app.get<{ Params: { agent_id: string } }>('/v1/convai/agents/:agent_id', async (request) => {
		const stored = el.agent(request, request.params.agent_id);
		return el.wire(schemas.GetAgentResponseModel, agentResponse(ctx, stored));
	});

	app.patch<{ Params: { agent_id: string } }>('/v1/convai/agents/:agent_id', async (request) => {
		const stored = el.agent(request, request.params.agent_id);
		el.body(request, schemas.conversationalAi.UpdateAgentRequest);
		const patch = request.body as Wire;
		let merged: Wire = { ...el.wire(schemas.GetAgentResponseModel, stored.agent) };
		for (const key of AGENT_KEYS) {
			if (key in patch) merged = mergePatch(merged, { [key]: patch[key] }) as Wire;
		}
		const parsed = schemas.GetAgentResponseModel.parse(merged, {
			unrecognizedObjectKeys: 'strip',
			allowUnrecognizedEnumValues: false,
		});
		if (!parsed.ok) {
			throw el.errors.validation(
				parsed.errors.map((error) => toFastApiError(error, merged, 'body')),
			);
		}
		// phone_numbers is derived from the numbers' assignments, not stored on the agent.
		const agent = { ...parsed.value };
		delete agent.phoneNumbers;
		checkAgentUpdate(ctx, request, patch, agent);
		stored.agent = {
			...agent,
			metadata: { ...agent.metadata, updatedAtUnixSecs: ctx.clock.nowSeconds() },
		};
		return el.wire(schemas.GetAgentResponseModel, agentResponse(ctx, stored));
	});
};
