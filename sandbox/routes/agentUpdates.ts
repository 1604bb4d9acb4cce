/**
 * What `PATCH /v1/convai/agents/{agent_id}` checks beyond the SDK schema, and which of its maps
 * it replaces instead of merging (agents.ts applies both). Objects merge key by key and lists are
 * replaced, as ElevenLabs documents its partial agent update; besides:
 * - the answers to collect (`platform_settings.data_collection`, a map) are replaced as a whole
 *   (whether the real API merges the map is not documented: replacing is the stricter choice, a
 *   client that sends only its own fields loses the others here);
 * - every knowledge-base document the agent lists must exist in the workspace (404
 *   `document_not_found` otherwise);
 * - data-collection ids are letters, digits, `_` and `-`, at most 128 characters (422; the exact
 *   rule of the real API is not documented, the dashboard asks for such an identifier);
 * - evaluation criteria ids are unique (422; `PromptEvaluationCriteria.id` is "the unique
 *   identifier");
 * - a non-English agent cannot use an English-only voice model (400, the message ElevenLabs
 *   sends: "Non-english Agents must use turbo or flash v2_5");
 * - the agent's webhook override (`platform_settings.workspace_overrides.webhooks`) is replaced
 *   as a whole (it is one setting in the dashboard; merging would keep a webhook id a client
 *   meant to remove), and the post-call webhook it selects must be one of the workspace's (404).
 */
import type { FastifyRequest } from 'fastify';

import type { RouteContext } from '../context';
import type { FastApiError } from '../errors';
import type { AgentModel } from '../state';
import { knowledgeBaseDocuments } from './knowledgeBase';
import { workspaceWebhooks } from './workspaceWebhooks';

type Wire = Record<string, unknown>;

/** Wire paths of maps that a PATCH replaces as a whole. */
const REPLACED_MAPS = [
	'platform_settings.data_collection',
	'platform_settings.data_collection_scopes',
	'platform_settings.workspace_overrides.webhooks',
];

export function replacedWhole(path: readonly string[]): boolean {
	return REPLACED_MAPS.includes(path.join('.'));
}

export const DATA_COLLECTION_ID = /^[A-Za-z0-9_-]{1,128}$/;

/** Voice models that speak English only. */
const ENGLISH_ONLY_MODELS = new Set(['eleven_turbo_v2', 'eleven_flash_v2']);

function at(value: unknown, path: string[]): unknown {
	let current = value;
	for (const key of path) {
		if (current === null || typeof current !== 'object') return undefined;
		current = (current as Wire)[key];
	}
	return current;
}

function validationErrors(patch: Wire): FastApiError[] {
	const errors: FastApiError[] = [];
	const fields = at(patch, ['platform_settings', 'data_collection']);
	if (fields && typeof fields === 'object') {
		for (const id of Object.keys(fields)) {
			if (DATA_COLLECTION_ID.test(id)) continue;
			errors.push({
				type: 'value_error',
				loc: ['body', 'platform_settings', 'data_collection', id],
				msg: 'Value error, a data collection identifier may only contain letters, digits, underscores and hyphens (at most 128 characters)',
				input: id,
			});
		}
	}
	const criteria = at(patch, ['platform_settings', 'evaluation', 'criteria']);
	if (Array.isArray(criteria)) {
		const seen = new Set<unknown>();
		criteria.forEach((criterion, index) => {
			const id = (criterion as Wire | null)?.id;
			if (!seen.has(id)) {
				seen.add(id);
				return;
			}
			errors.push({
				type: 'value_error',
				loc: ['body', 'platform_settings', 'evaluation', 'criteria', index, 'id'],
				msg: `Value error, evaluation criteria ids must be unique: "${String(id)}" is used twice`,
				input: id,
			});
		});
	}
	return errors;
}

/**
 * Throws the API's error when the update (wire body `patch`, giving `agent` once applied) breaks
 * one of the rules above; returns when the update may be stored.
 */
export function checkAgentUpdate(
	ctx: RouteContext,
	request: FastifyRequest,
	patch: Wire,
	agent: AgentModel,
): void {
	const el = ctx.elevenLabs;
	const errors = validationErrors(patch);
	if (errors.length) throw el.errors.validation(errors);

	const documents = knowledgeBaseDocuments(ctx);
	const workspaceId = el.workspaceId(request);
	for (const locator of agent.conversationConfig.agent?.prompt?.knowledgeBase ?? []) {
		const document = documents.get(locator.id);
		if (!document || document.workspaceId !== workspaceId || locator.type !== 'text') {
			throw el.errors.notFound('Document', locator.id);
		}
	}

	const webhookId = agent.platformSettings?.workspaceOverrides?.webhooks?.postCallWebhookId;
	const webhook = webhookId ? workspaceWebhooks(ctx).get(webhookId) : undefined;
	if (webhookId && webhook?.workspaceId !== workspaceId)
		throw el.errors.notFound('Webhook', webhookId);

	const language = agent.conversationConfig.agent?.language ?? 'en';
	const model = agent.conversationConfig.tts?.modelId;
	if (!language.toLowerCase().startsWith('en') && model && ENGLISH_ONLY_MODELS.has(model)) {
		throw el.errors.detail(
			400,
			'invalid_conversation_config',
			'Invalid conversation config: Non-english Agents must use turbo or flash v2_5.',
		);
	}
}
