/**
 * Candidate data is untrusted. It reaches a prompt only as a value: cleaned here, and wrapped in
 * a fence (⟦…⟧) that the master prompt tells the agent to read as data, never as instructions.
 * Values are never compiled as template source.
 */

import { FENCE_CLOSE, FENCE_OPEN } from '../../shared/text/cleanText';

export { FENCE_CLOSE, FENCE_OPEN };

export { DEFAULT_MAX_VALUE_LENGTH, cleanValue } from '../../shared/text/cleanText';

export { isGiven, isScalar } from '../../shared/text/cleanText';

/**
 * A cleaned value in a template context. Handlebars (with `noEscape`) prints it through
 * toString: fenced in the system prompt and knowledge base, plain in the spoken first message.
 * It has no own properties (private fields, getters on the prototype, which Handlebars does not
 * read): `{{#with name}}{{text}}{{/with}}`, `{{#each name}}` or `{{lookup name "text"}}` cannot
 * reach the unfenced text; printing the value itself is the only way out.
 */
export class TemplateValue {
	readonly #text: string;
	readonly #fenced: boolean;
	/** What the template prints, made on first use only: a name is printed several times in a prompt. */
	#printed?: string;

	constructor(text: string, fenced: boolean) {
		this.#text = text;
		this.#fenced = fenced;
	}

	get text(): string {
		return this.#text;
	}

	get fenced(): boolean {
		return this.#fenced;
	}

	toString(): string {
		return (this.#printed ??= this.#fenced
			? `${FENCE_OPEN}${this.#text}${FENCE_CLOSE}`
			: this.#text);
	}
}

/**
 * A candidate field left as an ElevenLabs dynamic variable (`{{name}}`) instead of its value:
 * what the agent's own prompt holds when a template set is published to the agent, so that
 * ElevenLabs fills in each call's values.
 */
export class PlaceholderValue extends TemplateValue {
	constructor(variable: string, fenced: boolean) {
		super(`{{${variable}}}`, fenced);
	}
}

/** The plain text behind a template value; other values unchanged. */
export function unwrap(value: unknown): unknown {
	return value instanceof TemplateValue ? value.text : value;
}

/** ElevenLabs accepts dynamic-variable names like these (and reserves the system__ prefix). */
export function isDynamicVariableName(name: string): boolean {
	return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !name.startsWith('system__');
}

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}/g;

/** The `{{name}}` placeholders in a rendered text (which ElevenLabs resolves as dynamic variables). */
export function placeholdersIn(text: string): string[] {
	const names = new Set<string>();
	for (const match of text.matchAll(PLACEHOLDER)) names.add(match[1]);
	return [...names];
}
