/** Reads ElevenLabs post-call webhook bodies: event type, ids, initiation failures and audio */
import type { InitiationFailure } from '../../shared/conversation/conversationOutput';

/** The post-call webhook types ElevenLabs sends (`type` of the body). */
export const POST_CALL_EVENTS = [
	'post_call_transcription',
	'post_call_audio',
	'call_initiation_failure',
] as const;
export type PostCallEvent = (typeof POST_CALL_EVENTS)[number];

export type WireObject = Record<string, unknown>;

/** A verified body read as `{ type, event_timestamp, data }`, or what is wrong with it. */
export type ParsedBody =
	| { ok: true; type: string; eventTimestamp: number | null; data: WireObject }
	| { ok: false; message: string };

const isObject = (value: unknown): value is WireObject =>
	typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | undefined =>
	typeof value === 'string' && value.trim() ? value.trim() : undefined;

export function parseEventBody(raw: Buffer): ParsedBody {
	let body: unknown;
	// JSON.parse makes "__proto__" an own key; copied on (as the SDK's parse does) it would set a
	// prototype. No ElevenLabs event has such a field: the body is refused.
	let prototypeKey = false;
	try {
		body = JSON.parse(raw.toString('utf8'), (key, value: unknown) => {
			if (key === '__proto__') prototypeKey = true;
			return value;
		});
	} catch {
		return { ok: false, message: 'The body is not JSON' };
	}
	if (prototypeKey)
		return {
			ok: false,
			message: 'The body has a field named "__proto__", which no ElevenLabs event has',
		};
	if (!isObject(body) || typeof body.type !== 'string' || !isObject(body.data)) {
		return {
			ok: false,
			message: 'The body is not an ElevenLabs post-call event ({ type, event_timestamp, data })',
		};
	}
	const timestamp = typeof body.event_timestamp === 'number' ? body.event_timestamp : null;
	return { ok: true, type: body.type, eventTimestamp: timestamp, data: body.data };
}

/** The parts of a transcription event that the output reads as lists or objects, where they are not. */
export function transcriptionShapeProblem(data: WireObject): string | undefined {
	const wrong: string[] = [];
	if (data.transcript !== undefined && data.transcript !== null) {
		if (!Array.isArray(data.transcript)) wrong.push('transcript is not a list');
		else if (!data.transcript.every(isObject))
			wrong.push('transcript has entries that are not turns');
	}
	for (const field of ['analysis', 'metadata'] as const) {
		if (data[field] !== undefined && data[field] !== null && !isObject(data[field]))
			wrong.push(`${field} is not an object`);
	}
	const analysis = isObject(data.analysis) ? data.analysis : {};
	for (const field of ['data_collection_results', 'evaluation_criteria_results'] as const) {
		if (analysis[field] !== undefined && analysis[field] !== null && !isObject(analysis[field]))
			wrong.push(`analysis.${field} is not an object`);
	}
	return wrong.length ? `The transcription event is malformed: ${wrong.join(', ')}` : undefined;
}

/** `conversation_id` and `agent_id`, which every post-call event carries. */
export function eventIds(
	data: WireObject,
): { conversationId: string; agentId: string } | undefined {
	const conversationId = text(data.conversation_id);
	const agentId = text(data.agent_id);
	return conversationId && agentId ? { conversationId, agentId } : undefined;
}

/**
 * A `call_initiation_failure` in plain values. ElevenLabs publishes no schema for it: the dialled
 * number is read from the provider's payload in `metadata.body` (Twilio's `To`; `to_number` /
 * `to` otherwise), where handlers in the field find it.
 */
export function initiationFailureFromWire(
	data: WireObject,
	ids: { conversationId: string; agentId: string },
): InitiationFailure {
	const metadata = isObject(data.metadata) ? data.metadata : {};
	const providerBody = isObject(metadata.body) ? metadata.body : {};
	const clientData = isObject(data.conversation_initiation_client_data)
		? data.conversation_initiation_client_data
		: {};
	return {
		...ids,
		failureReason: text(data.failure_reason) ?? 'unknown',
		toNumber:
			text(providerBody.To) ??
			text(providerBody.to_number) ??
			text(providerBody.to) ??
			text(data.to_number) ??
			null,
		userId: text(data.user_id) ?? text(clientData.user_id) ?? null,
		dynamicVariables: isObject(clientData.dynamic_variables) ? clientData.dynamic_variables : {},
	};
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The MP3 of a `post_call_audio` event (`full_audio`, base64), or undefined when absent or not base64. */
export function audioFromWire(data: WireObject): Buffer | undefined {
	const encoded = typeof data.full_audio === 'string' ? data.full_audio.replace(/\s+/g, '') : '';
	if (!encoded || encoded.length % 4 !== 0 || !BASE64.test(encoded)) return undefined;
	return Buffer.from(encoded, 'base64');
}
