/**
 * ElevenLabs workspace webhooks: `POST /v1/workspace/webhooks` (webhooks.create, HMAC settings;
 * the answer carries the secret, the only time it is shown), `GET /v1/workspace/webhooks`
 * (webhooks.list, `include_usages`), `PATCH /v1/workspace/webhooks/{id}` (webhooks.update: name,
 * disabled, `retry_enabled`, off until set, as at ElevenLabs) and `DELETE
 * /v1/workspace/webhooks/{id}` (webhooks.delete).
 * Agents select one as post-call webhook in `platform_settings.workspace_overrides.webhooks`
 * (agentUpdates.ts checks the id); post-call events of such an agent go to its URL, signed with
 * its secret, with the override's events (conversations.ts).
 *
 * Not documented, chosen here: the URL must be http(s) (the real API asks for HTTPS; plain http
 * is allowed so that local tests can receive), and deleting a webhook an agent still selects is
 * allowed (the agent then sends nothing).
 */
import * as schemas from '@elevenlabs/elevenlabs-js/serialization';
import type { ElevenLabs } from '@elevenlabs/elevenlabs-js';

import type { RouteModule } from '../context';
import { moduleRecords } from '../state';
import type { SandboxState } from '../state';
import { query } from '../validation';
import type { WebhookConfig } from '../webhooks';

export interface StoredWebhook {
	workspaceId: string;
	webhookId: string;
	name: string;
	webhookUrl: string;
	secret: string;
	createdAtUnix: number;
	isDisabled: boolean;
	/** ElevenLabs' retries of transient failures (5xx, 429, timeout); off by default. */
	retryEnabled: boolean;
}

/** The workspace webhooks of every workspace, by id (a module store: a reset empties it). */
export function workspaceWebhooks(holder: {
	readonly state: SandboxState;
}): Map<string, StoredWebhook> {
	return moduleRecords<StoredWebhook>(holder, 'workspaceWebhooks');
}

/** Where an agent's post-call events go when it selects a workspace webhook; undefined otherwise. */
export function agentWebhookTarget(
	holder: { readonly state: SandboxState },
	agentId: string,
): WebhookConfig | undefined {
	const stored = holder.state.agents.get(agentId);
	const selected = stored?.agent.platformSettings?.workspaceOverrides?.webhooks;
	const webhook = selected?.postCallWebhookId
		? workspaceWebhooks(holder).get(selected.postCallWebhookId)
		: undefined;
	if (!webhook || webhook.isDisabled || webhook.workspaceId !== stored?.workspaceId)
		return undefined;
	return {
		url: webhook.webhookUrl,
		secret: webhook.secret,
		events: selected?.events ?? [],
		retry: webhook.retryEnabled,
	};
}

/** The agents of the webhook's workspace that select it. */
function selectingAgents(
	holder: { readonly state: SandboxState },
	webhook: StoredWebhook,
): string[] {
	return [...holder.state.agents.values()]
		.filter((stored) => stored.workspaceId === webhook.workspaceId)
		.filter(
			(stored) =>
				stored.agent.platformSettings?.workspaceOverrides?.webhooks?.postCallWebhookId ===
				webhook.webhookId,
		)
		.map((stored) => stored.agent.agentId);
}

export const workspaceWebhookRoutes: RouteModule = (app, ctx) => {
	const el = ctx.elevenLabs;
	const webhooks = () => workspaceWebhooks(ctx);

	app.post('/v1/workspace/webhooks', async (request) => {
		const body = el.body(request, schemas.BodyCreateWorkspaceWebhookV1WorkspaceWebhooksPost);
		const url = body.settings.webhookUrl;
		if (!/^https?:\/\/[^\s/]+/.test(url)) {
			throw el.errors.validation([
				{
					type: 'url_parsing',
					loc: ['body', 'settings', 'webhook_url'],
					msg: 'Input should be a valid URL',
					input: url,
				},
			]);
		}
		const webhook: StoredWebhook = {
			workspaceId: el.workspaceId(request),
			webhookId: ctx.newId('workspaceWebhook'),
			name: body.settings.name,
			webhookUrl: url,
			secret: ctx.newId('webhookSecret'),
			createdAtUnix: ctx.clock.nowSeconds(),
			isDisabled: false,
			retryEnabled: false,
		};
		webhooks().set(webhook.webhookId, webhook);
		const response: ElevenLabs.WorkspaceCreateWebhookResponseModel = {
			webhookId: webhook.webhookId,
			webhookSecret: webhook.secret,
		};
		return el.wire(schemas.WorkspaceCreateWebhookResponseModel, response);
	});

	app.get('/v1/workspace/webhooks', async (request) => {
		const q = el.query(request, { include_usages: query.withDefault(query.bool(), false) });
		const workspaceId = el.workspaceId(request);
		const list = [...webhooks().values()]
			.filter((webhook) => webhook.workspaceId === workspaceId)
			.map(
				(webhook): ElevenLabs.WorkspaceWebhookResponseModel => ({
					name: webhook.name,
					webhookId: webhook.webhookId,
					webhookUrl: webhook.webhookUrl,
					isDisabled: webhook.isDisabled,
					isAutoDisabled: false,
					createdAtUnix: webhook.createdAtUnix,
					authType: 'hmac',
					...(q.include_usages
						? {
								usage: selectingAgents(ctx, webhook).length
									? [{ usageType: 'ConvAI Agent Settings' as const }]
									: [],
							}
						: {}),
				}),
			);
		return el.wire(schemas.WorkspaceWebhookListResponseModel, { webhooks: list });
	});

	app.patch<{ Params: { webhook_id: string } }>(
		'/v1/workspace/webhooks/:webhook_id',
		async (request) => {
			const webhook = el.owned(request, webhooks(), request.params.webhook_id, 'Webhook');
			const body = el.body(
				request,
				schemas.BodyUpdateWorkspaceWebhookV1WorkspaceWebhooksWebhookIdPatch,
			);
			webhook.name = body.name;
			webhook.isDisabled = body.isDisabled;
			if (body.retryEnabled !== undefined) webhook.retryEnabled = body.retryEnabled;
			return el.wire(schemas.PatchWorkspaceWebhookResponseModel, { status: 'ok' });
		},
	);

	app.delete<{ Params: { webhook_id: string } }>(
		'/v1/workspace/webhooks/:webhook_id',
		async (request) => {
			const webhook = el.owned(request, webhooks(), request.params.webhook_id, 'Webhook');
			webhooks().delete(webhook.webhookId);
			return el.wire(schemas.DeleteWorkspaceWebhookResponseModel, { status: 'ok' });
		},
	);
};
