/**
 * ElevenLabs conversations: `GET /v1/convai/conversations` (conversations.list),
 * `GET /v1/convai/conversations/{id}` (conversations.get), `GET …/{id}/audio`
 * (conversations.audio.get, audio/mpeg) and `DELETE …/{id}` (conversations.delete); plus the
 * post-call webhooks each conversation sends, signed, when it ends.
 */
import { ElevenLabs } from '@elevenlabs/elevenlabs-js';
import * as schemas from '@elevenlabs/elevenlabs-js/serialization';
import type { FastifyRequest } from 'fastify';

import type { RouteContext, RouteModule } from '../context';
import { conversationStore } from '../conversations';
import type { ConversationRecord, ConversationStatus } from '../conversations';
import { HttpError } from '../errors';
import { cursorPage } from '../pages';
import {
	conversationDetails,
	conversationSummary,
	hasAudio,
	initiationFailureData,
	silentMp3,
} from '../transcripts';
import { query } from '../validation';
import { agentWebhookTarget } from './workspaceWebhooks';

const STATUSES: ConversationStatus[] = ['initiated', 'in-progress', 'processing', 'done', 'failed'];

const LIST_QUERY = {
	cursor: query.string(),
	agent_id: query.string(),
	user_id: query.string(),
	call_successful: query.oneOf(Object.values(ElevenLabs.EvaluationResultFilter)),
	call_start_before_unix: query.int(),
	call_start_after_unix: query.int(),
	page_size: query.withDefault(query.int({ min: 1, max: 100 }), 30),
	summary_mode: query.withDefault(
		query.oneOf(Object.values(ElevenLabs.conversationalAi.ConversationsListRequestSummaryMode)),
		'exclude',
	),
	exclude_statuses: query.list(),
	sort_direction: query.withDefault(query.oneOf(Object.values(ElevenLabs.SortDirection)), 'desc'),
};

function excludedStatuses(raw: string[] | undefined): ConversationStatus[] | undefined {
	if (!raw) return undefined;
	const invalid = raw.findIndex((status) => !(STATUSES as string[]).includes(status));
	if (invalid >= 0) {
		const expected = STATUSES.map((status) => `'${status}'`)
			.join(', ')
			.replace(/, ([^,]*)$/, ' or $1');
		throw new HttpError(422, {
			detail: [
				{
					type: 'enum',
					loc: ['query', 'exclude_statuses', invalid],
					msg: `Input should be ${expected}`,
					input: raw[invalid],
					ctx: { expected },
				},
			],
		});
	}
	return raw as ConversationStatus[];
}

function details(
	ctx: RouteContext,
	record: ConversationRecord,
): ElevenLabs.GetConversationResponseModel {
	return conversationDetails(record, ctx.state.agents.get(record.agentId)?.agent);
}

/** A conversation of the caller's workspace (its agent's), or 404 as ElevenLabs answers. */
function owned(
	ctx: RouteContext,
	request: FastifyRequest,
	conversationId: string,
): ConversationRecord {
	const record = conversationStore(ctx).get(conversationId);
	const agent = record && ctx.state.agents.get(record.agentId);
	if (!record || !agent || agent.workspaceId !== ctx.elevenLabs.workspaceId(request)) {
		throw ctx.elevenLabs.errors.notFound('Conversation', conversationId);
	}
	return record;
}

const followed = new WeakSet<object>();

/**
 * Sends the post-call webhooks of every conversation of the store: the transcription (and the
 * audio) when it is done, `call_initiation_failure` when the phone never connected.
 */
export function sendPostCallWebhooks(ctx: RouteContext): void {
	const store = conversationStore(ctx);
	if (followed.has(store)) return;
	followed.add(store);
	store.onChange((record, previous) => {
		if (record.status === previous) return;
		// The agent's own post-call webhook wins over the sandbox's configured URL.
		const target = agentWebhookTarget(ctx, record.agentId);
		if (record.status === 'failed' && record.acceptedTimeUnixSecs === undefined) {
			void ctx.webhooks.send('call_initiation_failure', initiationFailureData(record), target);
			return;
		}
		if (record.status !== 'done' && record.status !== 'failed') return;
		const data = ctx.elevenLabs.wire(schemas.GetConversationResponseModel, details(ctx, record));
		void ctx.webhooks.send('post_call_transcription', data, target).then(() => {
			if (!hasAudio(record)) return;
			return ctx.webhooks.send(
				'post_call_audio',
				{
					agent_id: record.agentId,
					conversation_id: record.conversationId,
					full_audio: silentMp3(record.callDurationSecs).toString('base64'),
				},
				target,
			);
		});
	});
}

export const conversationRoutes: RouteModule = (app, ctx) => {
	const el = ctx.elevenLabs;
	// Every request first makes sure the current store (a reset starts a new one) sends webhooks,
	// so the call-placing request itself subscribes before its conversation exists.
	app.addHook('onRequest', async () => sendPostCallWebhooks(ctx));

	app.get('/v1/convai/conversations', async (request) => {
		const q = el.query(request, LIST_QUERY);
		const workspaceId = el.workspaceId(request);
		const records = conversationStore(ctx)
			.list({
				agentId: q.agent_id,
				userId: q.user_id,
				startAfterUnix: q.call_start_after_unix,
				startBeforeUnix: q.call_start_before_unix,
				excludeStatuses: excludedStatuses(q.exclude_statuses),
				ascending: q.sort_direction === 'asc',
			})
			.filter((record) => ctx.state.agents.get(record.agentId)?.workspaceId === workspaceId);
		const summaries = records
			.map((record) => conversationSummary(details(ctx, record), q.summary_mode === 'include'))
			.filter((summary) => !q.call_successful || summary.callSuccessful === q.call_successful);
		const { page, hasMore, nextCursor } = cursorPage(summaries, q.cursor, q.page_size);
		const response: ElevenLabs.GetConversationsPageResponseModel = {
			conversations: page,
			hasMore,
			nextCursor,
		};
		return el.wire(schemas.GetConversationsPageResponseModel, response);
	});

	app.get<{ Params: { conversation_id: string } }>(
		'/v1/convai/conversations/:conversation_id',
		async (request) => {
			const record = owned(ctx, request, request.params.conversation_id);
			return el.wire(schemas.GetConversationResponseModel, details(ctx, record));
		},
	);

	app.get<{ Params: { conversation_id: string } }>(
		'/v1/convai/conversations/:conversation_id/audio',
		async (request, reply) => {
			const record = owned(ctx, request, request.params.conversation_id);
			if (!hasAudio(record))
				throw el.errors.notFound('Audio of conversation', record.conversationId);
			return reply.type('audio/mpeg').send(silentMp3(record.callDurationSecs));
		},
	);

	app.delete<{ Params: { conversation_id: string } }>(
		'/v1/convai/conversations/:conversation_id',
		async (request) => {
			const record = owned(ctx, request, request.params.conversation_id);
			conversationStore(ctx).delete(record.conversationId);
			return {};
		},
	);
};
