/**
 * Calls from candidates to an agent's number, and the workspace settings that personalise them:
 * `GET` / `PATCH /v1/convai/settings` (`conversation_initiation_client_data_webhook`: URL and
 * request headers; one per workspace) and the admin route `POST /_sandbox/inbound-call` that rings
 * an agent's number. As at ElevenLabs, while the phone rings the sandbox POSTs
 * `{ caller_id, agent_id, called_number, call_sid }` with the configured headers to the webhook
 * (only for an agent whose `platform_settings.overrides.enable_conversation_initiation_client_data_from_webhook`
 * is on), takes `dynamic_variables`, `conversation_config_override` and `user_id` from an answer
 * of type `conversation_initiation_client_data`, and then starts the conversation with the same
 * rules as an outbound call: a variable the agent needs and nobody supplied, or an override the
 * agent does not allow, fails the conversation ("Missing required dynamic variables …").
 *
 * Not published by ElevenLabs, chosen here: how long it waits for the webhook (default 5 s, the
 * `timeoutMs` of the admin request changes it) and what a late, failed or malformed answer does
 * (the call goes on without client data, so an agent with call variables fails the conversation).
 */
import type { ElevenLabs } from '@elevenlabs/elevenlabs-js';
import * as schemas from '@elevenlabs/elevenlabs-js/serialization';

import type { RouteContext, RouteModule } from '../context';
import { conversationStore } from '../conversations';
import type { ConversationRecord } from '../conversations';
import { normaliseNumber } from '../scenarios';
import { moduleRecords } from '../state';
import type { StoredAgent, StoredPhoneNumber } from '../state';
import { ADMIN_PREFIX } from './admin';
import { outcomeFor } from './outboundCalls';

type ClientData = ElevenLabs.ConversationInitiationClientDataRequestInput;

/** How long the sandbox waits for the initiation webhook unless the admin request says otherwise. */
export const DEFAULT_INITIATION_TIMEOUT_MS = 5_000;

/** One request to the initiation webhook, as the sandbox sent it and what came back. */
export interface InitiationDelivery {
	url: string;
	body: { caller_id: string; agent_id: string; called_number: string; call_sid: string };
	headers: Record<string, string>;
	/** HTTP status; undefined when nothing came back in time or the request failed. */
	status?: number;
	/** Real milliseconds until the answer (or until the sandbox gave up). */
	elapsedMs: number;
	timedOut: boolean;
	/** The answer's JSON, when it was JSON. */
	answer?: unknown;
	/** Whether the answer was used as the call's client data. */
	used: boolean;
}

/** The workspace settings that `PATCH /v1/convai/settings` changed, by workspace id. */
function workspaceSettings(ctx: RouteContext) {
	return moduleRecords<ElevenLabs.GetConvAiSettingsResponseModel>(ctx, 'convaiSettings');
}

/** Every initiation webhook request of the sandbox, oldest first (a reset empties it). */
export function initiationDeliveries(holder: {
	readonly state: RouteContext['state'];
}): InitiationDelivery[] {
	const records = moduleRecords<InitiationDelivery[]>(holder, 'initiationDeliveries');
	if (!records.has('all')) records.set('all', []);
	return records.get('all')!;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/** The agent number a call to `to` rings, and the agent it is assigned to. */
function ringing(
	ctx: RouteContext,
	to: string,
): { number: StoredPhoneNumber; agent: StoredAgent } | undefined {
	const wanted = normaliseNumber(to);
	for (const number of ctx.state.phoneNumbers.values()) {
		if (normaliseNumber(number.phoneNumber.phoneNumber) !== wanted) continue;
		const agentId = number.phoneNumber.assignedAgent?.agentId;
		const agent = agentId ? ctx.state.agents.get(agentId) : undefined;
		return agent ? { number, agent } : undefined;
	}
	return undefined;
}

/** The answer's client data in the SDK's shape, or undefined for anything that is not one. */
function clientDataOf(answer: unknown): ClientData | undefined {
	if (!isObject(answer) || answer.type !== 'conversation_initiation_client_data') return undefined;
	const rest = { ...answer };
	delete rest.type;
	const parsed = schemas.ConversationInitiationClientDataRequestInput.parse(rest, {
		unrecognizedObjectKeys: 'fail',
	});
	return parsed.ok ? parsed.value : undefined;
}

/** Asks the workspace's initiation webhook for the call's client data, as ElevenLabs does while it rings. */
async function askWebhook(
	ctx: RouteContext,
	webhook: ElevenLabs.ConversationInitiationClientDataWebhook,
	body: InitiationDelivery['body'],
	timeoutMs: number,
): Promise<ClientData | undefined> {
	// Secret locators name the agent's secret store, which the sandbox does not keep.
	const headers = Object.fromEntries(
		Object.entries(webhook.requestHeaders).filter(
			(entry): entry is [string, string] => typeof entry[1] === 'string',
		),
	);
	const delivery: InitiationDelivery = {
		url: webhook.url,
		body,
		headers,
		elapsedMs: 0,
		timedOut: false,
		used: false,
	};
	initiationDeliveries(ctx).push(delivery);
	const started = Date.now();
	try {
		const response = await fetch(webhook.url, {
			method: 'POST',
			headers: { ...headers, 'content-type': 'application/json' },
			body: JSON.stringify(body),
			signal: AbortSignal.timeout(timeoutMs),
		});
		delivery.status = response.status;
		const text = await response.text();
		delivery.elapsedMs = Date.now() - started;
		try {
			delivery.answer = JSON.parse(text);
		} catch {
			delivery.answer = undefined;
		}
		if (!response.ok) return undefined;
		const clientData = clientDataOf(delivery.answer);
		delivery.used = clientData !== undefined;
		return clientData;
	} catch {
		delivery.elapsedMs = Date.now() - started;
		delivery.timedOut = delivery.elapsedMs >= timeoutMs - 5;
		return undefined;
	}
}

/** Rings the agent's number from `from`: the initiation webhook, then the conversation. */
export async function inboundCall(
	ctx: RouteContext,
	input: { from: string; to: string; timeoutMs?: number },
): Promise<{ conversation: ConversationRecord; delivery?: InitiationDelivery } | undefined> {
	const target = ringing(ctx, input.to);
	if (!target) return undefined;
	const { agent, number } = target;
	const callSid = ctx.newId('twilioCall');
	const webhook = workspaceSettings(ctx).get(
		agent.workspaceId,
	)?.conversationInitiationClientDataWebhook;
	const allowed =
		agent.agent.platformSettings?.overrides?.enableConversationInitiationClientDataFromWebhook ===
		true;
	let clientData: ClientData | undefined;
	let delivery: InitiationDelivery | undefined;
	if (webhook && allowed) {
		clientData = await askWebhook(
			ctx,
			webhook,
			{
				caller_id: input.from,
				agent_id: agent.agent.agentId,
				called_number: number.phoneNumber.phoneNumber,
				call_sid: callSid,
			},
			input.timeoutMs ?? DEFAULT_INITIATION_TIMEOUT_MS,
		);
		delivery = initiationDeliveries(ctx).at(-1);
	}
	// The candidate called, so the agent answers: the caller's scenario sets how the talk goes
	// (a caller whose number stands for "not reached" talks as a cooperative one); a missing
	// variable or a forbidden override fails the conversation as for an outbound call.
	const talks = ctx.scenarioForNumber(input.from).callResult === 'answered';
	const outcome = { ...outcomeFor(ctx, agent, talks ? input.from : '', clientData), ringSecs: 1 };
	agent.lastCallTimeUnixSecs = ctx.clock.nowSeconds();
	const conversation = conversationStore(ctx).create({
		agentId: agent.agent.agentId,
		source: 'twilio',
		userId: clientData?.userId,
		clientData: clientData as Record<string, unknown> | undefined,
		phoneCall: {
			type: 'twilio',
			direction: 'inbound',
			phoneNumberId: number.phoneNumber.phoneNumberId,
			agentNumber: number.phoneNumber.phoneNumber,
			externalNumber: input.from,
			callSid,
		},
		outcome,
	});
	return { conversation, delivery };
}

const followed = new WeakSet<object>();

/**
 * Scenario numbers that call back: when a call to such a number has ended, the person rings the
 * agent number that called them, `callsBackAfterSecs` later on the sandbox clock.
 */
function followCallBacks(ctx: RouteContext): void {
	const store = conversationStore(ctx);
	if (followed.has(store)) return;
	followed.add(store);
	store.onChange((record, previous) => {
		const call = record.phoneCall;
		if (record.status === previous || call?.direction !== 'outbound') return;
		if (record.status !== 'failed' && record.status !== 'done') return;
		const after = ctx.scenarioForNumber(call.externalNumber).callsBackAfterSecs;
		if (after === undefined) return;
		ctx.clock.after(after * 1000, () => {
			void inboundCall(ctx, { from: call.externalNumber, to: call.agentNumber });
		});
	});
}

export const inboundCallRoutes: RouteModule = (app, ctx) => {
	const el = ctx.elevenLabs;
	app.addHook('onRequest', async () => followCallBacks(ctx));

	app.get('/v1/convai/settings', async (request) =>
		el.wire(
			schemas.GetConvAiSettingsResponseModel,
			workspaceSettings(ctx).get(el.workspaceId(request)) ?? {},
		),
	);

	app.patch('/v1/convai/settings', async (request) => {
		const body = el.body(request, schemas.conversationalAi.PatchConvAiSettingsRequest);
		const raw = isObject(request.body) ? request.body : {};
		const workspaceId = el.workspaceId(request);
		const settings = { ...workspaceSettings(ctx).get(workspaceId) };
		// A field sent replaces the setting whole; null clears it (the wire allows null).
		for (const [wire, key] of [
			['conversation_initiation_client_data_webhook', 'conversationInitiationClientDataWebhook'],
			['webhooks', 'webhooks'],
		] as const) {
			if (raw[wire] === null) delete settings[key];
			else if (body[key] !== undefined) Object.assign(settings, { [key]: body[key] });
		}
		workspaceSettings(ctx).set(workspaceId, settings);
		return el.wire(schemas.GetConvAiSettingsResponseModel, settings);
	});

	app.post<{ Body: { from?: unknown; to?: unknown; timeoutMs?: unknown } }>(
		`${ADMIN_PREFIX}/inbound-call`,
		async (request, reply) => {
			const { from, to, timeoutMs } = request.body ?? {};
			if (typeof from !== 'string' || typeof to !== 'string') {
				return reply
					.code(400)
					.send({ message: 'Give "from" (the caller) and "to" (the agent number)' });
			}
			const call = await inboundCall(ctx, {
				from,
				to,
				timeoutMs: typeof timeoutMs === 'number' ? timeoutMs : undefined,
			});
			if (!call) return reply.code(404).send({ message: `No agent answers ${to}` });
			return {
				conversationId: call.conversation.conversationId,
				callSid: call.conversation.phoneCall?.callSid,
				error: call.conversation.outcome.error ?? null,
				initiation: call.delivery ?? null,
			};
		},
	);
};
