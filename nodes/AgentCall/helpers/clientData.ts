import type { IDataObject } from 'n8n-workflow';

import { problem } from '../../shared/problems';
import type { Checked } from '../../shared/problems';

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
export function promptFromItem(value: unknown): { overrides: PromptOverrides; variables: IDataObject } {
	if (!isPromptObject(value)) return { overrides: {}, variables: {} };
	const prompt = value as IDataObject;
	const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v : undefined);
	const variables = prompt.dynamicVariables;
	return {
		overrides: { systemPrompt: text(prompt.system), firstMessage: text(prompt.firstMessage), language: text(prompt.language) },
		variables: variables && typeof variables === 'object' && !Array.isArray(variables) ? (variables as IDataObject) : {},
	};
}

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/**
 * Dynamic variables as ElevenLabs takes them (string, number or boolean). Objects and lists are
 * sent as JSON text; empty values count as not given, so the missing-variable check sees them.
 */
export function dynamicVariables(...sources: IDataObject[]): Checked<Record<string, string | number | boolean>> {
	const out: Record<string, string | number | boolean> = {};
	for (const source of sources) {
		for (const [name, value] of Object.entries(source)) {
			if (!VARIABLE_NAME.test(name)) {
				return problem(
					`"${name}" is not a valid dynamic variable name`,
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
			out[name] = typeof value === 'object' ? JSON.stringify(value) : (value as string | number | boolean);
		}
	}
	return { ok: true, value: out };
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
