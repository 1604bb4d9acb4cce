/** Template variables: candidate fields, extras and defaults per item, every gap reported */
import { ProblemError } from '../../shared/n8n/problems';
import type { VariableUse } from './templateWalk';
import { listing } from './wording';
import {
	DEFAULT_MAX_VALUE_LENGTH,
	cleanValue,
	isDynamicVariableName,
	isGiven,
	isScalar,
} from './values';

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
		if (
			!current ||
			typeof current !== 'object' ||
			!Object.prototype.hasOwnProperty.call(current, part)
		)
			return undefined;
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

/** Where a value was found; the wording for messages is made only when one is needed. */
interface Lookup {
	value?: unknown;
	from: 'extra' | 'item' | 'defaults' | 'none';
}

const ORIGINS = { extra: 'Extra Variables', defaults: 'Defaults', none: '' } as const;

function origin(found: Lookup, variable: PlannedVariable): string {
	return found.from === 'item' ? `item field "${variable.field}"` : ORIGINS[found.from];
}

/** A value set under a name, never one that every object has (constructor, toString). */
function own(values: Record<string, unknown>, name: string): unknown {
	return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : undefined;
}

function lookup(
	json: Record<string, unknown>,
	variable: PlannedVariable,
	sources: VariableSources,
): Lookup {
	const { name, field } = variable;
	const extra = own(sources.extra, name);
	if (isGiven(extra)) return { value: extra, from: 'extra' };
	if (field !== undefined) {
		const value = readField(json, field);
		if (isGiven(value)) return { value, from: 'item' };
	}
	const fallback = own(sources.defaults, name);
	if (isGiven(fallback)) return { value: fallback, from: 'defaults' };
	return { from: 'none' };
}

/** Where a variable without value was looked for. */
function lookedAt(json: Record<string, unknown>, field: string | undefined): string {
	return field !== undefined
		? `item field "${field}"${isGiven(readField(json, field)) ? '' : ' is empty or absent'}`
		: 'no item field is read for it';
}

/** A variable to look up, in output order, and whether ElevenLabs takes its name as a dynamic variable. */
interface PlannedVariable {
	name: string;
	/** The item field it is read from, if any. */
	field?: string;
	dynamic: boolean;
}

const plans = new WeakMap<Map<string, VariableUse>, Map<string, PlannedVariable[]>>();

/**
 * The variables to look up for a set and the node's variable names: candidate fields first (in
 * the order of CANDIDATE_FIELDS), then the others alphabetically. The same for every item of an
 * execution, so it is worked out once per set and list of names, not per candidate.
 */
function variablePlan(used: Map<string, VariableUse>, sources: VariableSources): PlannedVariable[] {
	const extra = Object.keys(sources.extra);
	const defaults = Object.keys(sources.defaults);
	const key = `${extra.join('\u0000')}\u0001${defaults.join('\u0000')}\u0001${String(sources.readItemFields)}\u0001${JSON.stringify(sources.fieldNames)}`;
	let forSet = plans.get(used);
	if (!forSet) plans.set(used, (forSet = new Map()));
	let plan = forSet.get(key);
	if (!plan) {
		const others = [...used.keys(), ...extra, ...defaults]
			.filter((name) => !isCandidateField(name))
			.sort((a, b) => a.localeCompare(b));
		const fieldOf = (name: string) =>
			isCandidateField(name)
				? sources.fieldNames[name] || name
				: sources.readItemFields
					? name
					: undefined;
		plan = [...new Set<string>([...CANDIDATE_FIELDS, ...others])].map((name) => ({
			name,
			field: fieldOf(name),
			dynamic: isDynamicVariableName(name),
		}));
		// Per-item expressions could give every item its own names; keep the memo small then.
		if (forSet.size >= 100) forSet.clear();
		forSet.set(key, plan);
	}
	return plan;
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
	const plan = variablePlan(used, sources);
	const values = new Map<string, string>();
	const missing: string[] = [];
	const wrongType: string[] = [];
	for (const variable of plan) {
		const { name } = variable;
		const found = lookup(json, variable, sources);
		const use = used.get(name);
		if (found.value === undefined) {
			if (use?.required)
				missing.push(
					`${name} (${lookedAt(json, variable.field)}; used in ${use.templates.join(', ')})`,
				);
			continue;
		}
		if (!isScalar(found.value)) {
			// Fields the templates do not use may be anything; they just do not become variables.
			if (use || found.from === 'extra' || found.from === 'defaults') {
				wrongType.push(`${name} is ${kind(found.value)} (from ${origin(found, variable)})`);
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
	for (const { name, dynamic } of plan) {
		const text = values.get(name);
		if (dynamic && text !== undefined) dynamicVariables[name] = text;
	}
	return { values, dynamicVariables };
}
