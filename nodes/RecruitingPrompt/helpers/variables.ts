import { ProblemError } from '../../shared/problems';
import type { VariableUse } from './templateWalk';
import { listing } from './wording';
import { DEFAULT_MAX_VALUE_LENGTH, cleanValue, isDynamicVariableName, isGiven, isScalar } from './values';

/**
 * The candidate fields, read from the item by these names unless mapped: part of the public
 * interface (saved workflows and sheets use them), so they do not change.
 */
export const CANDIDATE_FIELDS = [
	'name',
	'phone',
	'email',
	'address',
	'jobTitle',
	'company',
	'recruiterName',
	'language',
	'timezone',
	'candidateId',
] as const;
export type CandidateField = (typeof CANDIDATE_FIELDS)[number];

export function isCandidateField(name: string): name is CandidateField {
	return (CANDIDATE_FIELDS as readonly string[]).includes(name);
}

/** Where a render's variables come from, in this order: extra variables, the item, defaults. */
export interface VariableSources {
	/** The item field of each candidate field, when it is not the field's own name. */
	fieldNames: Partial<Record<CandidateField, string>>;
	/** Variables set in the node (they win over the item). */
	extra: Record<string, unknown>;
	/** Values for variables that neither the node nor the item gives. */
	defaults: Record<string, unknown>;
	/** Whether other variables are read from item fields of the same name. */
	readItemFields: boolean;
	maxValueLength?: number;
	/** Where the node lets the user give a missing value (the render operation's fields by default). */
	whereToSet?: string;
}

export interface ResolvedVariables {
	/** Cleaned text of every variable that has a value. */
	values: Map<string, string>;
	/** The same as ElevenLabs dynamic variables (valid names only), for the agent's own {{variables}}. */
	dynamicVariables: Record<string, string>;
}

/** An item field by exact name, else by dot path (`contact.email`). */
export function readField(json: Record<string, unknown>, field: string): unknown {
	if (Object.prototype.hasOwnProperty.call(json, field)) return json[field];
	if (!field.includes('.')) return undefined;
	let current: unknown = json;
	for (const part of field.split('.')) {
		if (!current || typeof current !== 'object' || !Object.prototype.hasOwnProperty.call(current, part)) return undefined;
		current = (current as Record<string, unknown>)[part];
	}
	return current;
}

function kind(value: unknown): string {
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'number') return 'a number that is not finite';
	if (typeof value === 'boolean') return `a true/false value (${String(value)})`;
	return value && typeof value === 'object' ? 'an object' : `of type ${typeof value}`;
}

interface Lookup {
	value?: unknown;
	origin: string;
	/** Where it was looked for, when it has no value. */
	lookedAt: string;
}

/** A value set under a name, never one that every object has (constructor, toString). */
function own(values: Record<string, unknown>, name: string): unknown {
	return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : undefined;
}

function lookup(json: Record<string, unknown>, name: string, sources: VariableSources): Lookup {
	const extra = own(sources.extra, name);
	if (isGiven(extra)) return { value: extra, origin: 'Extra Variables', lookedAt: '' };
	const field = isCandidateField(name) ? (sources.fieldNames[name] || name) : sources.readItemFields ? name : undefined;
	if (field !== undefined) {
		const value = readField(json, field);
		if (isGiven(value)) return { value, origin: `item field "${field}"`, lookedAt: '' };
	}
	const fallback = own(sources.defaults, name);
	if (isGiven(fallback)) return { value: fallback, origin: 'Defaults', lookedAt: '' };
	return {
		origin: '',
		lookedAt: field !== undefined ? `item field "${field}"${isGiven(readField(json, field)) ? '' : ' is empty or absent'}` : 'no item field is read for it',
	};
}

const RENDER_WHERE_TO_SET =
	'Add the fields to the item, map them under Candidate Field Names, set them under Extra Variables, or give a value under Defaults.';

/**
 * Finds every variable's value for one item. A variable the templates print unconditionally
 * must have one, and every value the templates use must be text or a number: the error lists
 * all that are missing (or of the wrong type) at once, with the item index.
 */
export function resolveVariables(
	json: Record<string, unknown>,
	used: Map<string, VariableUse>,
	sources: VariableSources,
	itemIndex: number,
): ResolvedVariables {
	const maxLength = sources.maxValueLength ?? DEFAULT_MAX_VALUE_LENGTH;
	// Candidate fields first (in the order of CANDIDATE_FIELDS), then the others alphabetically.
	const others = [...used.keys(), ...Object.keys(sources.extra), ...Object.keys(sources.defaults)]
		.filter((name) => !isCandidateField(name))
		.sort((a, b) => a.localeCompare(b));
	const names = new Set<string>([...CANDIDATE_FIELDS, ...others]);
	const values = new Map<string, string>();
	const missing: string[] = [];
	const wrongType: string[] = [];
	for (const name of names) {
		const found = lookup(json, name, sources);
		const use = used.get(name);
		if (found.value === undefined) {
			if (use?.required) missing.push(`${name} (${found.lookedAt}; used in ${use.templates.join(', ')})`);
			continue;
		}
		if (!isScalar(found.value)) {
			// Fields the templates do not use may be anything; they just do not become variables.
			if (use || found.origin === 'Extra Variables' || found.origin === 'Defaults') {
				wrongType.push(`${name} is ${kind(found.value)} (from ${found.origin})`);
			}
			continue;
		}
		values.set(name, cleanValue(found.value, maxLength));
	}
	if (missing.length) {
		const names = missing.map((entry) => entry.slice(0, entry.indexOf(' (')));
		throw new ProblemError(
			`Missing template variable${names.length > 1 ? 's' : ''} in item ${itemIndex}: ${names.join(', ')}`,
			`The templates use ${listing(names)}, but item ${itemIndex} has no value for ${names.length > 1 ? 'them' : 'it'}:\n${missing
				.map((entry) => `• ${entry}`)
				.join('\n')}\n${sources.whereToSet ?? RENDER_WHERE_TO_SET}${
				wrongType.length ? `\nAlso: ${wrongType.join('; ')}: templates take text or numbers.` : ''
			}`,
		);
	}
	if (wrongType.length) {
		throw new ProblemError(
			`Template variable${wrongType.length > 1 ? 's' : ''} in item ${itemIndex} ${wrongType.length > 1 ? 'are' : 'is'} not text or a number: ${wrongType.join('; ')}`,
			'Templates take text or numbers. Map a text field instead (e.g. {{ $json.address.street }} under Extra Variables), or turn the value into text with an expression, e.g. {{ $json.remote ? "ja" : "nein" }}.',
		);
	}
	const dynamicVariables: Record<string, string> = {};
	for (const [name, text] of values) if (isDynamicVariableName(name)) dynamicVariables[name] = text;
	return { values, dynamicVariables };
}
