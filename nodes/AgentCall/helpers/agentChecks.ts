/** Pre-flight checks of the agent: allowed overrides, needed variables, numbers that dial out */
import type { AgentPhoneNumber } from '../../shared/vendors/agentsAndNumbers';
import type { Problem } from '../../shared/n8n/problems';
import type { ClientData, PromptOverrides } from './clientData';

/** The parts of ElevenLabs' agent (SDK GetAgentResponseModel) the pre-flight reads. */
export interface AgentSettings {
	agentId: string;
	name: string;
	conversationConfig?: {
		agent?: { firstMessage?: string; language?: string; prompt?: { prompt?: string } };
	};
	platformSettings?: {
		overrides?: {
			conversationConfigOverride?: {
				agent?: { firstMessage?: boolean; language?: boolean; prompt?: { prompt?: boolean } };
			};
		};
		callLimits?: { agentConcurrencyLimit?: number };
	};
}

/** The Security → Overrides toggles each override needs, in the dashboard's words. */
const TOGGLES: Array<{
	key: keyof PromptOverrides;
	label: string;
	allowed: (a: AgentSettings) => boolean | undefined;
}> = [
	{
		key: 'systemPrompt',
		label: 'System prompt',
		allowed: (a) =>
			a.platformSettings?.overrides?.conversationConfigOverride?.agent?.prompt?.prompt,
	},
	{
		key: 'firstMessage',
		label: 'First message',
		allowed: (a) => a.platformSettings?.overrides?.conversationConfigOverride?.agent?.firstMessage,
	},
	{
		key: 'language',
		label: 'Language',
		allowed: (a) => a.platformSettings?.overrides?.conversationConfigOverride?.agent?.language,
	},
];

/**
 * ElevenLabs accepts the call and then fails the conversation when an override is sent that
 * the agent does not allow: find that before dialling.
 */
export function overridesNotAllowed(
	agent: AgentSettings,
	overrides: PromptOverrides,
): Problem | undefined {
	const blocked = TOGGLES.filter((t) => overrides[t.key] && !t.allowed(agent)).map((t) => t.label);
	if (!blocked.length) return undefined;
	const list = blocked.map((label) => `"${label}"`).join(', ');
	return {
		message: `The agent "${agent.name}" does not allow this call to replace its ${blocked.map((l) => l.toLowerCase()).join(', ')}`,
		hint: `In ElevenLabs open the agent, tab Security, section Overrides, and switch on ${list}; then save. Or stop sending ${
			blocked.length > 1 ? 'them' : 'it'
		}: switch off "Send Prompt From Item" or clear the override in the node.`,
	};
}

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}/g;

/** `{{name}}` placeholders of a text, without ElevenLabs' own system__ variables. */
export function placeholders(text: string | undefined): string[] {
	if (!text) return [];
	const names = new Set<string>();
	for (const match of text.matchAll(PLACEHOLDER))
		if (!match[1].startsWith('system__')) names.add(match[1]);
	return [...names];
}

/** The placeholders of the conversation's prompt and first message: those sent with the call, else the agent's own. */
export function variablesUsed(
	agent: AgentSettings,
	clientData: ClientData,
): { prompt: string[]; firstMessage: string[] } {
	const config = agent.conversationConfig?.agent;
	const sent = clientData.conversationConfigOverride?.agent;
	return {
		prompt: placeholders(sent?.prompt?.prompt ?? config?.prompt?.prompt),
		firstMessage: placeholders(sent?.firstMessage ?? config?.firstMessage),
	};
}

/**
 * Every variable the conversation's prompt and first message use must be supplied, or the
 * conversation fails right after the candidate picks up.
 */
export function missingVariables(
	agent: AgentSettings,
	clientData: ClientData,
): Problem | undefined {
	const used = variablesUsed(agent, clientData);
	const supplied = new Set(Object.keys(clientData.dynamicVariables ?? {}));
	const missing = [...new Set([...used.prompt, ...used.firstMessage])].filter(
		(n) => !supplied.has(n),
	);
	if (!missing.length) return undefined;
	const where = [
		used.prompt.some((n) => missing.includes(n)) ? 'system prompt' : '',
		used.firstMessage.some((n) => missing.includes(n)) ? 'first message' : '',
	]
		.filter(Boolean)
		.join(' and ');
	const them = missing.length > 1 ? 'them' : 'it';
	return {
		message: `The ${where} use${where.includes(' and ') ? '' : 's'} the dynamic variable${missing.length > 1 ? 's' : ''} ${missing
			.map((n) => `{{${n}}}`)
			.join(', ')}, which this call does not supply`,
		hint: `Give the item ${missing.length > 1 ? 'fields' : 'a field'} named ${missing.join(', ')} (read when the item has no prompt from Build Recruiting Prompt), add ${them} under "Dynamic Variables" in the node, or to prompt.dynamicVariables in Build Recruiting Prompt. Without ${them} ElevenLabs ends the conversation as soon as the candidate answers.`,
	};
}

/** The agent's own concurrency limit, when it has one (−1 or absent means none). */
export function agentConcurrencyLimit(agent: AgentSettings): number | undefined {
	const limit = agent.platformSettings?.callLimits?.agentConcurrencyLimit;
	return typeof limit === 'number' && limit > 0 ? limit : undefined;
}

/** What the agent would refuse or fail on in this call: an override or a missing variable. */
export function agentProblem(
	agent: AgentSettings,
	call: { overrides: PromptOverrides; clientData: ClientData },
): Problem | undefined {
	return overridesNotAllowed(agent, call.overrides) ?? missingVariables(agent, call.clientData);
}

/** "+4930123456789 (Recruiting)": the number as the dashboard shows it. */
export function numberLabel(number: AgentPhoneNumber): string {
	return `${number.phoneNumber}${number.label ? ` (${number.label})` : ''}`;
}

/** An agent phone number that cannot dial out (inbound only, or a SIP trunk without outbound). */
export function outboundProblem(number: AgentPhoneNumber): Problem | undefined {
	if (number.supportsOutbound !== false && number.hasOutboundTrunk !== false) return undefined;
	return {
		message: `The phone number ${numberLabel(number)} cannot make outgoing calls`,
		hint:
			number.provider === 'sip_trunk'
				? 'In ElevenLabs → Phone Numbers, give the SIP trunk number an outbound trunk (address and credentials), or choose another number.'
				: 'In ElevenLabs → Phone Numbers, choose a number that supports outbound calls (a purchased Twilio number or a verified caller ID).',
	};
}
