/**
 * ElevenLabs batch calling: submit, get, list, cancel, retry and delete
 * (`/v1/convai/batch-calling/…`). Recipients are dialled through the same conversation lifecycle
 * as single calls, at most `target_concurrency_limit` at a time (else the agent's limit), from
 * the scheduled time on; each recipient's status follows its conversation.
 */
import type { ElevenLabs } from '@elevenlabs/elevenlabs-js';
import * as schemas from '@elevenlabs/elevenlabs-js/serialization';

import type { RouteContext, RouteModule } from '../context';
import { conversationStore } from '../conversations';
import type { ConversationRecord } from '../conversations';
import { HttpError } from '../errors';
import { query } from '../validation';
import { forbiddenOverrides, startConversation } from './outboundCalls';

interface StoredBatch {
	workspaceId: string;
	batch: Omit<ElevenLabs.BatchCallDetailedResponse, 'recipients'>;
	recipients: ElevenLabs.OutboundCallRecipientResponseModel[];
	/** Per recipient, what to send when dialling. */
	clientData: Map<string, ElevenLabs.ConversationInitiationClientDataRequestInput | undefined>;
}

const batches = new WeakMap<object, Map<string, StoredBatch>>();

export function batchesOf(ctx: RouteContext): Map<string, StoredBatch> {
	let map = batches.get(ctx.state.agents);
	if (!map) batches.set(ctx.state.agents, (map = new Map()));
	return map;
}

const TERMINAL = new Set<string>(['completed', 'failed', 'cancelled', 'voicemail']);
const ACTIVE = new Set<string>(['dispatched', 'initiated', 'in_progress']);

function recipientStatus(c: ConversationRecord): ElevenLabs.BatchCallRecipientStatus {
	switch (c.status) {
		case 'initiated':
			return 'initiated';
		case 'in-progress':
		case 'processing':
			return 'in_progress';
		case 'done':
			return c.callResult === 'voicemail' ? 'voicemail' : 'completed';
		default:
			return 'failed';
	}
}

function response(stored: StoredBatch): ElevenLabs.BatchCallDetailedResponse {
	return { ...stored.batch, recipients: stored.recipients };
}

function summary(stored: StoredBatch): ElevenLabs.BatchCallResponse {
	return { ...stored.batch };
}

/** Dials pending recipients while the batch is below its concurrency limit. */
function pump(ctx: RouteContext, stored: StoredBatch): void {
	const b = stored.batch;
	if (b.status === 'cancelled' || b.status === 'completed' || b.status === 'failed') return;
	if (b.scheduledTimeUnix > ctx.clock.nowSeconds()) return;
	const agent = ctx.state.agents.get(b.agentId);
	const number = b.phoneNumberId ? ctx.state.phoneNumbers.get(b.phoneNumberId) : undefined;
	const now = ctx.clock.nowSeconds();
	if (!agent || !number) {
		b.status = 'failed';
		b.lastUpdatedAtUnix = now;
		return;
	}
	b.status = 'in_progress';
	const agentLimit = agent.agent.platformSettings?.callLimits?.agentConcurrencyLimit;
	const limit = b.targetConcurrencyLimit ?? (agentLimit && agentLimit > 0 ? agentLimit : 1);
	let active = stored.recipients.filter((r) => ACTIVE.has(r.status)).length;
	for (const r of stored.recipients) {
		if (active >= limit) break;
		if (r.status !== 'pending') continue;
		const clientData = stored.clientData.get(r.id);
		const phone = number.phoneNumber;
		const conversation = startConversation(ctx, agent, {
			toNumber: r.phoneNumber!,
			clientData,
			source: phone.provider === 'sip_trunk' ? 'sip_trunk' : 'twilio',
			ringingTimeoutSecs: b.telephonyCallConfig?.ringingTimeoutSecs,
			batchCall: { batchCallId: b.id, batchCallRecipientId: r.id },
			phoneCall: {
				type: phone.provider === 'sip_trunk' ? 'sip_trunking' : 'twilio',
				direction: 'outbound',
				phoneNumberId: phone.phoneNumberId,
				agentNumber: phone.phoneNumber,
				externalNumber: r.phoneNumber!,
				callSid: ctx.newId('twilioCall'),
			},
		});
		r.conversationId = conversation.conversationId;
		r.status = 'dispatched';
		r.updatedAtUnix = now;
		b.totalCallsDispatched++;
		active++;
	}
	if (stored.recipients.every((r) => TERMINAL.has(r.status))) b.status = 'completed';
	b.lastUpdatedAtUnix = now;
}

/** Follows every batch conversation's status into its recipient and keeps the batch going. */
function follow(ctx: RouteContext): void {
	const store = conversationStore(ctx);
	const followed = following.get(store);
	if (followed) return;
	following.set(store, true);
	store.onChange((c) => {
		if (!c.batchCall) return;
		const stored = batchesOf(ctx).get(c.batchCall.batchCallId);
		const r = stored?.recipients.find((x) => x.id === c.batchCall!.batchCallRecipientId);
		if (!stored || !r || r.conversationId !== c.conversationId) return;
		const before = r.status;
		r.status = recipientStatus(c);
		r.updatedAtUnix = ctx.clock.nowSeconds();
		if (TERMINAL.has(r.status) && !TERMINAL.has(before)) stored.batch.totalCallsFinished++;
		pump(ctx, stored);
	});
}

const following = new WeakMap<object, boolean>();

const LIST_QUERY = {
	limit: query.withDefault(query.int({ min: 1, max: 100 }), 100),
	last_doc: query.string(),
	agent_id: query.string(),
};

export const batchCallRoutes: RouteModule = (app, ctx) => {
	const el = ctx.elevenLabs;

	const owned = (request: Parameters<typeof el.workspaceId>[0], id: string) =>
		el.owned(request, batchesOf(ctx), id, 'Batch call');

	app.post('/v1/convai/batch-calling/submit', async (request) => {
		const body = el.body(
			request,
			schemas.conversationalAi.batchCalls.BodySubmitABatchCallRequestV1ConvaiBatchCallingSubmitPost,
		);
		const agent = el.agent(request, body.agentId);
		if (!body.agentPhoneNumberId) {
			throw new HttpError(400, {
				detail: {
					status: 'missing_phone_number',
					message: 'A phone batch call needs agent_phone_number_id.',
				},
			});
		}
		const number = el.phoneNumber(request, body.agentPhoneNumberId);
		if (!body.recipients.length)
			throw new HttpError(400, {
				detail: { status: 'empty_batch', message: 'The batch has no recipients.' },
			});
		for (const [i, r] of body.recipients.entries()) {
			if (!r.phoneNumber || !/^\+[1-9]\d{6,14}$/.test(r.phoneNumber)) {
				throw el.errors.validation([
					{
						type: 'value_error',
						loc: ['body', 'recipients', i, 'phone_number'],
						msg: 'Value error, invalid phone number',
						input: r.phoneNumber ?? null,
					},
				]);
			}
		}
		follow(ctx);
		const now = ctx.clock.nowSeconds();
		const id = ctx.newId('batchCall');
		// "The batch call will fail if those fields are passed but are not set to be overridable."
		const forbidden = body.recipients.some(
			(r) => forbiddenOverrides(agent, r.conversationInitiationClientData).length,
		);
		const stored: StoredBatch = {
			workspaceId: agent.workspaceId,
			batch: {
				id,
				phoneNumberId: number.phoneNumber.phoneNumberId,
				phoneProvider: number.phoneNumber.provider,
				name: body.callName,
				agentId: body.agentId,
				createdAtUnix: now,
				scheduledTimeUnix: body.scheduledTimeUnix ?? now,
				timezone: body.timezone,
				totalCallsDispatched: 0,
				totalCallsScheduled: body.recipients.length,
				totalCallsFinished: 0,
				lastUpdatedAtUnix: now,
				status: forbidden ? 'failed' : 'pending',
				retryCount: 0,
				telephonyCallConfig: {
					ringingTimeoutSecs: body.telephonyCallConfig?.ringingTimeoutSecs ?? 60,
				},
				targetConcurrencyLimit: body.targetConcurrencyLimit,
				agentName: agent.agent.name,
			},
			recipients: body.recipients.map((r, i) => ({
				id: r.id ?? `rcp_${i}_${id.slice(-8)}`,
				phoneNumber: r.phoneNumber,
				status: forbidden ? 'failed' : 'pending',
				createdAtUnix: now,
				updatedAtUnix: now,
				conversationInitiationClientData: r.conversationInitiationClientData as
					| ElevenLabs.ConversationInitiationClientDataInternal
					| undefined,
			})),
			clientData: new Map(
				body.recipients.map((r, i) => [
					r.id ?? `rcp_${i}_${id.slice(-8)}`,
					r.conversationInitiationClientData,
				]),
			),
		};
		batchesOf(ctx).set(id, stored);
		if (!forbidden) {
			if (stored.batch.scheduledTimeUnix > now)
				ctx.clock.at(stored.batch.scheduledTimeUnix * 1000, () => pump(ctx, stored));
			else pump(ctx, stored);
		}
		return el.wire(schemas.BatchCallResponse, summary(stored));
	});

	app.get('/v1/convai/batch-calling/workspace', async (request) => {
		const q = el.query(request, LIST_QUERY);
		const workspaceId = el.workspaceId(request);
		const all = [...batchesOf(ctx).values()]
			.filter(
				(b) => b.workspaceId === workspaceId && (!q.agent_id || b.batch.agentId === q.agent_id),
			)
			.sort(
				(a, b) =>
					b.batch.createdAtUnix - a.batch.createdAtUnix || b.batch.id.localeCompare(a.batch.id),
			);
		const start = q.last_doc ? all.findIndex((b) => b.batch.id === q.last_doc) + 1 : 0;
		const page = all.slice(start, start + q.limit);
		const hasMore = start + q.limit < all.length;
		return el.wire(schemas.WorkspaceBatchCallsResponse, {
			batchCalls: page.map(summary),
			nextDoc: hasMore ? page[page.length - 1].batch.id : undefined,
			hasMore,
		});
	});

	app.get<{ Params: { batch_id: string } }>(
		'/v1/convai/batch-calling/:batch_id',
		async (request) => {
			return el.wire(
				schemas.BatchCallDetailedResponse,
				response(owned(request, request.params.batch_id)),
			);
		},
	);

	app.post<{ Params: { batch_id: string } }>(
		'/v1/convai/batch-calling/:batch_id/cancel',
		async (request) => {
			const stored = owned(request, request.params.batch_id);
			const now = ctx.clock.nowSeconds();
			stored.batch.status = 'cancelled';
			for (const r of stored.recipients) {
				if (r.status === 'pending') {
					r.status = 'cancelled';
					r.updatedAtUnix = now;
				}
			}
			stored.batch.lastUpdatedAtUnix = now;
			return el.wire(schemas.BatchCallResponse, summary(stored));
		},
	);

	app.post<{ Params: { batch_id: string } }>(
		'/v1/convai/batch-calling/:batch_id/retry',
		async (request) => {
			const stored = owned(request, request.params.batch_id);
			if (stored.batch.status === 'cancelled') {
				throw new HttpError(400, {
					detail: {
						status: 'batch_cancelled',
						message: 'A cancelled batch call cannot be retried.',
					},
				});
			}
			const now = ctx.clock.nowSeconds();
			let again = 0;
			for (const r of stored.recipients) {
				if (r.status === 'failed') {
					r.status = 'pending';
					r.conversationId = undefined;
					r.updatedAtUnix = now;
					again++;
				}
			}
			if (again) {
				stored.batch.retryCount++;
				stored.batch.status = 'in_progress';
				stored.batch.totalCallsFinished -= again;
				pump(ctx, stored);
			}
			return el.wire(schemas.BatchCallResponse, summary(stored));
		},
	);

	app.delete<{ Params: { batch_id: string } }>(
		'/v1/convai/batch-calling/:batch_id',
		async (request, reply) => {
			owned(request, request.params.batch_id);
			batchesOf(ctx).delete(request.params.batch_id);
			reply.code(200);
			return null;
		},
	);
};
