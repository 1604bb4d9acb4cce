/**
 * ElevenLabs knowledge-base text documents: `POST /v1/convai/knowledge-base/text`
 * (documents.createFromText), `GET /v1/convai/knowledge-base` (knowledgeBase.list: `search` is a
 * name prefix), `GET …/{id}` (documents.get), `GET …/{id}/content` (documents.getContent, plain
 * text), `GET …/{id}/dependent-agents` (documents.getAgents) and `DELETE …/{id}?force`
 * (documents.delete). Documents belong to a workspace, not to an agent: creating one attaches
 * nothing (agents list them in `conversation_config.agent.prompt.knowledge_base`).
 *
 * Where the real API's behaviour is not documented, the sandbox picks a plausible rule and says so:
 * - a text over MAX_TEXT_CHARACTERS is refused with 400 `max_character_limit_exceeded` (a real
 *   ElevenLabs code; the limit is ElevenLabs' stated knowledge-base size for non-enterprise
 *   workspaces, 300k characters, applied per document);
 * - deleting a document that agents still use, without `force`, answers 400 `document_in_use`
 *   (code not verified); with `force=true` it is deleted and removed from those agents, as the SDK's
 *   doc of `force` says.
 */
import { ElevenLabs } from '@elevenlabs/elevenlabs-js';
import * as schemas from '@elevenlabs/elevenlabs-js/serialization';
import type { FastifyRequest } from 'fastify';

import type { RouteContext, RouteModule } from '../context';
import { cursorPage } from '../pages';
import { moduleRecords } from '../state';
import type { SandboxState, StoredAgent } from '../state';
import { query } from '../validation';

/** The longest text document the sandbox accepts, in characters. */
export const MAX_TEXT_CHARACTERS = 300_000;

export interface StoredDocument {
	workspaceId: string;
	id: string;
	name: string;
	text: string;
	createdAtUnixSecs: number;
	updatedAtUnixSecs: number;
}

/** The documents of every workspace, by id (a module store: a reset empties it). */
export function knowledgeBaseDocuments(holder: {
	readonly state: SandboxState;
}): Map<string, StoredDocument> {
	return moduleRecords<StoredDocument>(holder, 'knowledgeBase');
}

/** The agents of the document's workspace that list it in their knowledge base. */
export function dependentAgents(state: SandboxState, document: StoredDocument): StoredAgent[] {
	return [...state.agents.values()].filter(
		(stored) =>
			stored.workspaceId === document.workspaceId &&
			(stored.agent.conversationConfig.agent?.prompt?.knowledgeBase ?? []).some(
				(locator) => locator.id === document.id,
			),
	);
}

const ACCESS_INFO: ElevenLabs.ResourceAccessInfo = {
	isCreator: true,
	creatorName: 'Sandbox Recruiting',
	creatorEmail: 'recruiting@example.com',
	role: 'admin',
};

function metadata(document: StoredDocument): ElevenLabs.KnowledgeBaseDocumentMetadataResponseModel {
	return {
		createdAtUnixSecs: document.createdAtUnixSecs,
		lastUpdatedAtUnixSecs: document.updatedAtUnixSecs,
		sizeBytes: Buffer.byteLength(document.text, 'utf8'),
	};
}

function dependentIdentifiers(state: SandboxState, document: StoredDocument) {
	return dependentAgents(state, document).map((stored) => ({
		type: 'available' as const,
		id: stored.agent.agentId,
		name: stored.agent.name,
		createdAtUnixSecs: stored.agent.metadata.createdAtUnixSecs,
		accessLevel: 'admin' as const,
	}));
}

const LIST_QUERY = {
	page_size: query.withDefault(query.int({ min: 1, max: 100 }), 30),
	search: query.string(),
	types: query.list(),
	sort_direction: query.withDefault(query.oneOf(Object.values(ElevenLabs.SortDirection)), 'desc'),
	sort_by: query.withDefault(
		query.oneOf(Object.values(ElevenLabs.KnowledgeBaseSortBy)),
		'created_at',
	),
	cursor: query.string(),
};

function sortKey(document: StoredDocument, by: ElevenLabs.KnowledgeBaseSortBy): string | number {
	switch (by) {
		case 'name':
			return document.name.toLowerCase();
		case 'updated_at':
			return document.updatedAtUnixSecs;
		case 'size':
			return Buffer.byteLength(document.text, 'utf8');
		default:
			return document.createdAtUnixSecs;
	}
}

function compare(a: string | number, b: string | number): number {
	return typeof a === 'number' && typeof b === 'number'
		? a - b
		: String(a).localeCompare(String(b));
}

export const knowledgeBaseRoutes: RouteModule = (app, ctx) => {
	const el = ctx.elevenLabs;
	const documents = () => knowledgeBaseDocuments(ctx);
	const document = (request: FastifyRequest, id: string) =>
		el.owned(request, documents(), id, 'Document');

	app.post('/v1/convai/knowledge-base/text', async (request) => {
		const body = el.body(
			request,
			schemas.conversationalAi.knowledgeBase.BodyCreateTextDocumentV1ConvaiKnowledgeBaseTextPost,
		);
		// The sandbox has no folders: any folder id is unknown.
		if (body.parentFolderId !== undefined) throw el.errors.notFound('Folder', body.parentFolderId);
		const characters = [...body.text].length;
		if (characters > MAX_TEXT_CHARACTERS) {
			throw el.errors.detail(
				400,
				'max_character_limit_exceeded',
				`The text has ${characters} characters; a knowledge base document can have at most ${MAX_TEXT_CHARACTERS}.`,
			);
		}
		const now = ctx.clock.nowSeconds();
		const stored: StoredDocument = {
			workspaceId: el.workspaceId(request),
			id: ctx.newId('knowledgeBase'),
			name: body.name?.trim() || body.text.trim().split('\n')[0].slice(0, 100) || 'Untitled',
			text: body.text,
			createdAtUnixSecs: now,
			updatedAtUnixSecs: now,
		};
		documents().set(stored.id, stored);
		return el.wire(schemas.AddKnowledgeBaseResponseModel, { id: stored.id, name: stored.name });
	});

	app.get('/v1/convai/knowledge-base', async (request) => {
		const q = el.query(request, LIST_QUERY);
		const workspaceId = el.workspaceId(request);
		const prefix = q.search?.toLowerCase();
		const direction = q.sort_direction === 'asc' ? 1 : -1;
		const all = [...documents().values()]
			.filter((stored) => stored.workspaceId === workspaceId)
			.filter((stored) => !prefix || stored.name.toLowerCase().startsWith(prefix))
			// Every stored document is a text document.
			.filter(() => !q.types || q.types.includes('text'))
			.sort(
				(a, b) =>
					compare(sortKey(a, q.sort_by), sortKey(b, q.sort_by)) * direction ||
					a.id.localeCompare(b.id),
			);
		const { page, hasMore, nextCursor } = cursorPage(all, q.cursor, q.page_size);
		const response: ElevenLabs.GetKnowledgeBaseListResponseModel = {
			documents: page.map((stored) => ({
				type: 'text',
				id: stored.id,
				name: stored.name,
				metadata: metadata(stored),
				supportedUsages: ['prompt', 'auto'],
				accessInfo: ACCESS_INFO,
				dependentAgents: dependentIdentifiers(ctx.state, stored),
			})),
			hasMore,
			nextCursor,
		};
		return el.wire(schemas.GetKnowledgeBaseListResponseModel, response);
	});

	app.get<{ Params: { id: string } }>('/v1/convai/knowledge-base/:id', async (request) => {
		el.query(request, { agent_id: query.string() });
		const stored = document(request, request.params.id);
		const response: ElevenLabs.conversationalAi.knowledgeBase.DocumentsGetResponse = {
			type: 'text',
			id: stored.id,
			name: stored.name,
			metadata: metadata(stored),
			supportedUsages: ['prompt', 'auto'],
			accessInfo: ACCESS_INFO,
			extractedInnerHtml: stored.text,
			contentFormat: 'markdown',
		};
		return el.wire(schemas.conversationalAi.knowledgeBase.DocumentsGetResponse, response);
	});

	app.get<{ Params: { id: string } }>(
		'/v1/convai/knowledge-base/:id/content',
		async (request, reply) => {
			const stored = document(request, request.params.id);
			return reply.type('text/plain; charset=utf-8').send(stored.text);
		},
	);

	app.get<{ Params: { id: string } }>(
		'/v1/convai/knowledge-base/:id/dependent-agents',
		async (request) => {
			el.query(request, {
				dependent_type: query.withDefault(
					query.oneOf(Object.values(ElevenLabs.KnowledgeBaseDependentType)),
					'direct',
				),
				page_size: query.withDefault(query.int({ min: 1, max: 100 }), 30),
				cursor: query.string(),
			});
			const stored = document(request, request.params.id);
			const response: ElevenLabs.GetKnowledgeBaseDependentAgentsResponseModel = {
				agents: dependentIdentifiers(ctx.state, stored),
				hasMore: false,
			};
			return el.wire(schemas.GetKnowledgeBaseDependentAgentsResponseModel, response);
		},
	);

	app.delete<{ Params: { id: string } }>('/v1/convai/knowledge-base/:id', async (request) => {
		const q = el.query(request, { force: query.withDefault(query.bool(), false) });
		const stored = document(request, request.params.id);
		const dependents = dependentAgents(ctx.state, stored);
		if (dependents.length && !q.force) {
			throw el.errors.detail(
				400,
				'document_in_use',
				`The document is used by ${dependents.length} agent(s). Remove it from them first, or delete it with force=true.`,
			);
		}
		for (const agent of dependents) detach(ctx, agent, stored.id);
		documents().delete(stored.id);
		return {};
	});
};

/** Removes a document from an agent's knowledge base (what a forced delete does to dependents). */
function detach(ctx: RouteContext, stored: StoredAgent, documentId: string): void {
	const prompt = stored.agent.conversationConfig.agent?.prompt;
	if (!prompt?.knowledgeBase) return;
	prompt.knowledgeBase = prompt.knowledgeBase.filter((locator) => locator.id !== documentId);
	stored.agent.metadata = { ...stored.agent.metadata, updatedAtUnixSecs: ctx.clock.nowSeconds() };
}
