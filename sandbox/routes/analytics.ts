/**
 * ElevenLabs analytics: `GET /v1/convai/analytics/live-count` (conversationalAi.analytics.liveCount.get):
 * how many conversations hold a line right now, for one agent, a set of agents, or the workspace.
 */
import * as schemas from '@elevenlabs/elevenlabs-js/serialization';

import type { RouteModule } from '../context';
import { ACTIVE_STATUSES, conversationStore } from '../conversations';
import { query } from '../validation';

const LIVE_COUNT_QUERY = { agent_id: query.string(), agent_ids: query.list() };

export const analyticsRoutes: RouteModule = (app, ctx) => {
	app.get('/v1/convai/analytics/live-count', async (request) => {
		const q = ctx.elevenLabs.query(request, LIVE_COUNT_QUERY);
		const workspace = ctx.elevenLabs.workspaceId(request);
		// `agent_ids` takes precedence over `agent_id`, as the SDK documents.
		const agents = q.agent_ids?.length
			? new Set(q.agent_ids)
			: q.agent_id
				? new Set([q.agent_id])
				: undefined;
		const count = conversationStore(ctx)
			.list()
			.filter(
				(c) =>
					ACTIVE_STATUSES.has(c.status) &&
					(!agents || agents.has(c.agentId)) &&
					ctx.state.agents.get(c.agentId)?.workspaceId === workspace,
			).length;
		return ctx.elevenLabs.wire(schemas.GetLiveCountResponse, { count });
	});
};
