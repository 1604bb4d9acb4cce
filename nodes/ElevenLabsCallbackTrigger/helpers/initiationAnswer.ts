/**
 * What the trigger answers ElevenLabs' conversation-initiation request with: the wire shape
 * `{ type: "conversation_initiation_client_data", dynamic_variables, conversation_config_override }`,
 * and the generic intake for a caller who gets no candidate data. Pure functions.
 */
import type { InitiationAnswerBody } from './pendingAnswers';

export const INITIATION_TYPE = 'conversation_initiation_client_data';

/** What activation learnt of an agent, for answering its calls without reading it again. */
export interface AgentProfile {
	agentId: string;
	/** The dynamic variables its prompt and first message use: each must be in every answer. */
	variables: string[];
	/** Whether the agent lets a call replace its first message (agent → Security). */
	firstMessageOverride: boolean;
	/** Whether it took client data from the webhook before activation (given back on deactivation). */
	hadPermission: boolean;
}

/** The request ElevenLabs sends while the phone rings. */
export interface InitiationRequest {
	callerId: string;
	agentId: string;
	calledNumber: string;
	callSid: string;
}

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}/g;

/** The dynamic variables a text uses; ElevenLabs fills the `system__` ones itself. */
export function placeholdersOf(...texts: Array<string | undefined>): string[] {
	const names = texts.flatMap((text) => [...(text ?? '').matchAll(PLACEHOLDER)].map((m) => m[1]));
	return [...new Set(names)].filter((name) => !name.startsWith('system__'));
}

/** A bundled greeting as ElevenLabs gets it: without the template's Handlebars comments. */
export function greetingText(template: string | undefined): string | undefined {
	return template?.replace(/\{\{!--[\s\S]*?--\}\}/g, '').trim() || undefined;
}

const text = (value: unknown): string | undefined =>
	typeof value === 'string' && value.trim() ? value.trim() : undefined;

/** ElevenLabs' request body read into plain values, or undefined when it is not one. */
export function readInitiationRequest(body: unknown): InitiationRequest | undefined {
	if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
	const wire = body as Record<string, unknown>;
	const callerId = text(wire.caller_id);
	const agentId = text(wire.agent_id);
	if (!callerId || !agentId) return undefined;
	return {
		callerId,
		agentId,
		calledNumber: text(wire.called_number) ?? '',
		callSid: text(wire.call_sid) ?? '',
	};
}

/**
 * The generic, polite intake: every variable the agent needs, with the neutral value given for
 * it (else empty), and the intake greeting where the agent allows a first message of the call.
 * It carries nothing of any candidate.
 */
export function genericAnswer(
	profile: AgentProfile | undefined,
	values: Record<string, string>,
	intakeGreeting: string | undefined,
): InitiationAnswerBody {
	const dynamicVariables: Record<string, string> = {};
	for (const name of profile?.variables ?? []) dynamicVariables[name] = values[name] ?? '';
	const greeting =
		profile?.firstMessageOverride && intakeGreeting && !placeholdersOf(intakeGreeting).length
			? intakeGreeting
			: undefined;
	return {
		type: INITIATION_TYPE,
		dynamic_variables: dynamicVariables,
		...(greeting ? { conversation_config_override: { agent: { first_message: greeting } } } : {}),
	};
}

/** The client data of a call, in the SDK's camelCase (as Place Agent Call builds it). */
export interface CallClientData {
	userId: string;
	dynamicVariables?: Record<string, string | number | boolean>;
	conversationConfigOverride?: {
		agent?: { firstMessage?: string; language?: string; prompt?: { prompt: string } };
	};
}

/**
 * The answer in ElevenLabs' wire names. Mapped here field by field (the few fields a call
 * sends): loading the SDK's serializers costs a second on a cold n8n, a second the ringing
 * phone does not have.
 */
export function initiationAnswer(clientData: CallClientData): InitiationAnswerBody {
	const agent = clientData.conversationConfigOverride?.agent;
	const override = {
		...(agent?.firstMessage !== undefined ? { first_message: agent.firstMessage } : {}),
		...(agent?.language !== undefined ? { language: agent.language } : {}),
		...(agent?.prompt ? { prompt: { prompt: agent.prompt.prompt } } : {}),
	};
	return {
		type: INITIATION_TYPE,
		user_id: clientData.userId,
		dynamic_variables: { ...clientData.dynamicVariables },
		...(Object.keys(override).length ? { conversation_config_override: { agent: override } } : {}),
	};
}

/** The variables of `needed` that the answer does not supply (ElevenLabs would fail the call). */
export function missingVariables(needed: string[], supplied: Record<string, unknown>): string[] {
	return needed.filter((name) => supplied[name] === undefined || supplied[name] === null);
}
