/** The client data sent with a call: dynamic variables, prompt overrides, the attempt number */
import type { IDataObject } from 'n8n-workflow';

import { cleanLines, cleanValue } from '../../shared/text/cleanText';
import { LANGUAGE_CODE_HINT, isLanguageCode } from '../../shared/text/languageCode';
import { problem } from '../../shared/n8n/problems';
import type { Checked } from '../../shared/n8n/problems';
import { quoted } from '../../shared/text/quoted';
import { ATTEMPT_VARIABLE } from '../../shared/conversation/reachedVia';

/** What the node sends as `conversation_initiation_client_data` (SDK camelCase shape). */
export interface ClientData {
	userId: string;
	dynamicVariables?: Record<string, string | number | boolean>;
	conversationConfigOverride?: {
		agent?: {
			firstMessage?: string;
			language?: string;
			prompt?: { prompt: string };
		};
	};
}

/** The override texts a call sends; an empty text is not sent. */
export interface PromptOverrides {
	systemPrompt?: string;
	firstMessage?: string;
	language?: string;
}

/** Whether an item field holds a prompt object (Build Recruiting Prompt's output). */
export function isPromptObject(value: unknown): value is IDataObject {
	return Boolean(value) && typeof value === 'object' && !Array.isArray(value);
}

/** Build Recruiting Prompt's output on the item (`prompt: { system, firstMessage, language, dynamicVariables }`). */
export function promptFromItem(value: unknown): {
	overrides: PromptOverrides;
	variables: IDataObject;
} {
	if (!isPromptObject(value)) return { overrides: {}, variables: {} };
	const prompt = value as IDataObject;
	const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v : undefined);
	const variables = prompt.dynamicVariables;
	return {
		overrides: {
			systemPrompt: text(prompt.system),
			firstMessage: text(prompt.firstMessage),
			language: text(prompt.language),
		},
		variables:
			variables && typeof variables === 'object' && !Array.isArray(variables)
				? (variables as IDataObject)
				: {},
	};
}

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** The longest dynamic variable value sent (characters; cut with "…"). Build Recruiting Prompt's are 1,000 by default. */
export const MAX_DYNAMIC_VARIABLE_LENGTH = 10_000;

/** The longest override texts sent: far above real prompts, far below what would flood the agent. */
export const MAX_SYSTEM_PROMPT_LENGTH = 200_000;
export const MAX_FIRST_MESSAGE_LENGTH = 5_000;

/**
 * An object or list as valid JSON text: each string in it cleaned like a value, and a space
 * between adjacent braces, so that no `{{` or `}}` (a placeholder to ElevenLabs) appears and
 * nothing has to be cut out of the JSON.
 */
export function jsonText(value: object): string {
	const json =
		JSON.stringify(value, (_key, inner: unknown) =>
			typeof inner === 'string' ? cleanValue(inner, MAX_DYNAMIC_VARIABLE_LENGTH) : inner,
		) ?? '';
	return json.replace(/([{}])(?=[{}])/g, '$1 ');
}

/**
 * Dynamic variables as ElevenLabs takes them (string, number or boolean), text cleaned as Build
 * Recruiting Prompt cleans its values and cut at MAX_DYNAMIC_VARIABLE_LENGTH. Objects and lists
 * are sent as valid JSON text (refused when too long to send whole); empty values count as not given, so the missing-variable check sees them.
 */
export function dynamicVariables(
	...sources: IDataObject[]
): Checked<Record<string, string | number | boolean>> {
	// A null prototype, so that a variable named __proto__ is a key like any other (and refused).
	const out = Object.create(null) as Record<string, string | number | boolean>;
	for (const source of sources) {
		for (const [name, value] of Object.entries(source)) {
			if (!VARIABLE_NAME.test(name) || name === '__proto__') {
				return problem(
					`${quoted(name, 40)} is not a valid dynamic variable name`,
					'Use letters, digits and underscores, starting with a letter, e.g. candidate_name.',
				);
			}
			if (name.startsWith('system__')) {
				return problem(
					`The dynamic variable "${name}" uses the reserved prefix system__`,
					'ElevenLabs fills system__ variables itself. Rename the variable.',
				);
			}
			if (value === undefined || value === null || value === '') continue;
			if (typeof value === 'number' || typeof value === 'boolean') {
				out[name] = typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
				continue;
			}
			if (typeof value !== 'object') {
				out[name] = cleanValue(String(value), MAX_DYNAMIC_VARIABLE_LENGTH);
				continue;
			}
			const json = jsonText(value);
			if (json.length > MAX_DYNAMIC_VARIABLE_LENGTH) {
				return problem(
					`The dynamic variable "${name}" is an object of ${json.length.toLocaleString('en')} characters as JSON, more than ${MAX_DYNAMIC_VARIABLE_LENGTH.toLocaleString('en')}`,
					'Cut JSON would be broken, so it is not sent. Map only the field the agent needs to a variable of its own.',
				);
			}
			out[name] = json;
		}
	}
	return { ok: true, value: { ...out } };
}

/**
 * The override texts as they are sent: without control or invisible characters, within their
 * limits (too long is an error: a cut prompt would lose its end), and a language code.
 */
export function checkOverrides(overrides: PromptOverrides): Checked<PromptOverrides> {
	const systemPrompt =
		overrides.systemPrompt === undefined ? undefined : cleanLines(overrides.systemPrompt);
	const firstMessage =
		overrides.firstMessage === undefined ? undefined : cleanLines(overrides.firstMessage);
	const language = overrides.language?.trim();
	for (const [label, text, max] of [
		['system prompt', systemPrompt, MAX_SYSTEM_PROMPT_LENGTH],
		['first message', firstMessage, MAX_FIRST_MESSAGE_LENGTH],
	] as const) {
		if (text && text.length > max) {
			return problem(
				`The ${label} to send has ${text.length.toLocaleString('en')} characters, more than ${max.toLocaleString('en')}`,
				`Shorten it (Build Recruiting Prompt: switch off phases or lower Max Prompt Characters), or check the field it comes from.`,
			);
		}
	}
	if (language && !isLanguageCode(language)) {
		return problem(
			`The language ${quoted(language)} is not a language code`,
			`${LANGUAGE_CODE_HINT} (Options → Language, or the item's prompt.language).`,
		);
	}
	return { ok: true, value: { systemPrompt, firstMessage, language } };
}

export function buildClientData(
	userId: string,
	overrides: PromptOverrides,
	variables: Record<string, string | number | boolean>,
): ClientData {
	const agent: NonNullable<NonNullable<ClientData['conversationConfigOverride']>['agent']> = {};
	if (overrides.firstMessage) agent.firstMessage = overrides.firstMessage;
	if (overrides.language) agent.language = overrides.language;
	if (overrides.systemPrompt) agent.prompt = { prompt: overrides.systemPrompt };
	return {
		userId,
		...(Object.keys(variables).length ? { dynamicVariables: variables } : {}),
		...(Object.keys(agent).length ? { conversationConfigOverride: { agent } } : {}),
	};
}

/**
 * The client data of the attempt the call ledger claimed: from the second attempt on, the attempt
 * number goes with the call, so that its conversation tells a retry from a first call
 * (reachedVia). A first attempt sends the data unchanged.
 */
export function withAttempt(clientData: ClientData, attempt: number): ClientData {
	if (attempt <= 1) return clientData;
	return {
		...clientData,
		dynamicVariables: { ...clientData.dynamicVariables, [ATTEMPT_VARIABLE]: attempt },
	};
}
