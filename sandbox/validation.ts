/**
 * Request validation with the ElevenLabs SDK's own wire schemas (`@elevenlabs/elevenlabs-js/serialization`),
 * reported the way the real API (FastAPI + pydantic) reports it, and response serialisation with
 * the same schemas so every answer is exactly what the SDK parses.
 */
import type { serialization } from '@elevenlabs/elevenlabs-js/core';

import { elevenLabsErrors } from './errors';
import type { FastApiError } from './errors';

/** Any SDK wire schema: `parse` wire → camelCase, `jsonOrThrow` camelCase → wire. */
export type WireSchema<Raw, Parsed> = Pick<
	serialization.Schema<Raw, Parsed>,
	'parse' | 'jsonOrThrow'
>;

type SchemaError = { path: string[]; message: string };

const MISSING = /^Missing required key "(.+)"$/;
const UNEXPECTED = /^Unexpected key "(.+)"$/;
const INCORRECT = /^Expected (.+)\. Received .+\.$/;
const MISSING_DISCRIMINANT = /^Missing discriminant \("(.+)"\)$/;

function pathToLoc(path: string[]): Array<string | number> {
	// The SDK writes list indices as "[3]"; FastAPI uses the number.
	return path.map((part) => (/^\[\d+\]$/.test(part) ? Number(part.slice(1, -1)) : part));
}

function valueAt(root: unknown, loc: Array<string | number>): unknown {
	let value = root;
	for (const key of loc) {
		if (value === null || typeof value !== 'object') return undefined;
		value = (value as Record<string | number, unknown>)[key];
	}
	return value;
}

/** Translates one SDK schema error into pydantic's type / msg vocabulary. */
export function toFastApiError(
	error: SchemaError,
	root: unknown,
	where: 'body' | 'query',
): FastApiError {
	const loc = pathToLoc(error.path);
	const missing = MISSING.exec(error.message);
	if (missing) {
		// FastAPI validates each embedded body field on its own, so a missing top-level field has
		// input null (the real outbound-call endpoint answered a request without it with {"type":"missing","loc":["body","agent_phone_number_id"],…,"input":null}).
		return {
			type: 'missing',
			loc: [where, ...loc, missing[1]],
			msg: 'Field required',
			input: loc.length === 0 ? null : valueAt(root, loc),
		};
	}
	const input = valueAt(root, loc);
	const full = [where, ...loc];
	if (UNEXPECTED.test(error.message)) {
		return { type: 'extra_forbidden', loc: full, msg: 'Extra inputs are not permitted', input };
	}
	const discriminant = MISSING_DISCRIMINANT.exec(error.message);
	if (discriminant) {
		return {
			type: 'union_tag_not_found',
			loc: full,
			msg: `Unable to extract tag using discriminator '${discriminant[1]}'`,
			input,
			ctx: { discriminator: `'${discriminant[1]}'` },
		};
	}
	if (error.message === 'Unexpected discriminant value') {
		return {
			type: 'union_tag_invalid',
			loc: full,
			msg: 'Input tag does not match any of the expected tags',
			input,
		};
	}
	const expected = INCORRECT.exec(error.message)?.[1];
	switch (expected) {
		case 'string':
			return { type: 'string_type', loc: full, msg: 'Input should be a valid string', input };
		case 'boolean':
			return typeof input === 'string'
				? {
						type: 'bool_parsing',
						loc: full,
						msg: 'Input should be a valid boolean, unable to interpret input',
						input,
					}
				: { type: 'bool_type', loc: full, msg: 'Input should be a valid boolean', input };
		case 'number':
			return typeof input === 'string'
				? {
						type: 'float_parsing',
						loc: full,
						msg: 'Input should be a valid number, unable to parse string as a number',
						input,
					}
				: { type: 'float_type', loc: full, msg: 'Input should be a valid number', input };
		case 'object':
			return {
				type: 'model_attributes_type',
				loc: full,
				msg: 'Input should be a valid dictionary or object to extract fields from',
				input,
			};
		case 'list':
			return { type: 'list_type', loc: full, msg: 'Input should be a valid list', input };
		case 'enum':
			return { type: 'enum', loc: full, msg: 'Input should be one of the allowed values', input };
		default:
			return { type: 'value_error', loc: full, msg: error.message, input };
	}
}

const PARSE_OPTIONS = {
	unrecognizedObjectKeys: 'fail',
	allowUnrecognizedUnionMembers: false,
	allowUnrecognizedEnumValues: false,
} as const;

/** How the SDK names a value in "Received …" (its getTypeAsString). */
function describe(value: unknown): string {
	if (Array.isArray(value)) return 'list';
	if (value === null) return 'null';
	if (typeof value === 'string') return `"${value}"`;
	if (typeof value === 'object') return 'object';
	return String(value);
}

function allPaths(
	value: unknown,
	prefix: string[] = [],
): Array<{ path: string[]; value: unknown }> {
	if (value === null || typeof value !== 'object') return [];
	return Object.entries(value as Record<string, unknown>).flatMap(([key, child]) => {
		const path = [...prefix, Array.isArray(value) ? `[${key}]` : key];
		return [{ path, value: child }, ...allPaths(child, path)];
	});
}

function withValueAt(root: unknown, path: string[], replacement: unknown): unknown {
	const copy = structuredClone(root) as Record<string, unknown>;
	let node: Record<string, unknown> = copy;
	for (const part of path.slice(0, -1))
		node = node[part.replace(/^\[(\d+)\]$/, '$1')] as Record<string, unknown>;
	node[path[path.length - 1].replace(/^\[(\d+)\]$/, '$1')] = replacement;
	return copy;
}

/**
 * The SDK's list schema reports "Expected list" without a path. Find where it belongs: the value
 * that, once replaced by an empty list, makes that error go away.
 */
function locateListErrors<Parsed>(
	schema: WireSchema<unknown, Parsed>,
	raw: unknown,
	errors: SchemaError[],
): SchemaError[] {
	return errors.map((error) => {
		if (error.path.length > 0 || !error.message.startsWith('Expected list.')) return error;
		const count = (candidate: unknown) => {
			const result = schema.parse(candidate, PARSE_OPTIONS);
			return result.ok
				? 0
				: result.errors.filter(
						(other) => other.path.length === 0 && other.message === error.message,
					).length;
		};
		const before = count(raw);
		const found = allPaths(raw).find(
			(candidate) =>
				`Expected list. Received ${describe(candidate.value)}.` === error.message &&
				count(withValueAt(raw, candidate.path, [])) < before,
		);
		return found ? { ...error, path: found.path } : error;
	});
}

/**
 * Validates a JSON body against the SDK request schema. Unknown keys are rejected, so a
 * misspelt field fails here instead of being silently ignored. Returns the SDK's camelCase value
 * or throws a 422 in FastAPI's shape.
 */
export function parseBody<Parsed>(schema: WireSchema<unknown, Parsed>, body: unknown): Parsed {
	// No body at all is the same as an empty object for FastAPI's embedded body fields.
	const raw = body === undefined ? {} : body;
	const result = schema.parse(raw, PARSE_OPTIONS);
	if (result.ok) return result.value;
	const errors = locateListErrors(schema, raw, result.errors);
	throw elevenLabsErrors.validation(errors.map((error) => toFastApiError(error, raw, 'body')));
}

/**
 * Serialises a camelCase value with the SDK response schema. It fails loudly (500) when the
 * sandbox's own state does not fit the published type, which is a sandbox bug worth seeing.
 */
export function toWire<Raw>(schema: WireSchema<Raw, unknown>, value: unknown): Raw {
	return schema.jsonOrThrow(value, { unrecognizedObjectKeys: 'fail', omitUndefined: true });
}

// ---- query strings (FastAPI coerces and checks each parameter on its own) ----

type RawQueryValue = string | string[] | undefined;
type FieldResult<T> = { ok: true; value: T } | { ok: false; error: Omit<FastApiError, 'loc'> };

/** One query parameter: how to read it from its raw value(s). */
export interface QueryField<T> {
	read(raw: RawQueryValue): FieldResult<T>;
}

const last = (raw: RawQueryValue) => (Array.isArray(raw) ? raw[raw.length - 1] : raw);

function field<T>(read: (value: string) => FieldResult<T>): QueryField<T | undefined> {
	return {
		read(raw) {
			const value = last(raw);
			return value === undefined ? { ok: true, value: undefined } : read(value);
		},
	};
}

const TRUE = new Set(['true', '1', 'yes', 'on', 't', 'y']);
const FALSE = new Set(['false', '0', 'no', 'off', 'f', 'n']);

/** Query parameter readers with pydantic's coercion rules and messages. */
export const query = {
	string: () => field((value) => ({ ok: true, value })),
	int: (limits: { min?: number; max?: number } = {}) =>
		field<number>((value) => {
			if (!/^[+-]?\d+$/.test(value.trim())) {
				return {
					ok: false,
					error: {
						type: 'int_parsing',
						msg: 'Input should be a valid integer, unable to parse string as an integer',
						input: value,
					},
				};
			}
			const number = Number(value);
			if (limits.min !== undefined && number < limits.min) {
				return {
					ok: false,
					error: {
						type: 'greater_than_equal',
						msg: `Input should be greater than or equal to ${limits.min}`,
						input: value,
						ctx: { ge: limits.min },
					},
				};
			}
			if (limits.max !== undefined && number > limits.max) {
				return {
					ok: false,
					error: {
						type: 'less_than_equal',
						msg: `Input should be less than or equal to ${limits.max}`,
						input: value,
						ctx: { le: limits.max },
					},
				};
			}
			return { ok: true, value: number };
		}),
	bool: () =>
		field<boolean>((value) => {
			const lower = value.toLowerCase();
			if (TRUE.has(lower)) return { ok: true, value: true };
			if (FALSE.has(lower)) return { ok: true, value: false };
			return {
				ok: false,
				error: {
					type: 'bool_parsing',
					msg: 'Input should be a valid boolean, unable to interpret input',
					input: value,
				},
			};
		}),
	/** One of a fixed set, e.g. an SDK enum object's values: `query.oneOf(Object.values(ElevenLabs.SortDirection))`. */
	oneOf: <T extends string>(values: readonly T[]) =>
		field<T>((value) => {
			if ((values as readonly string[]).includes(value)) return { ok: true, value: value as T };
			const expected = values
				.map((item) => `'${item}'`)
				.join(', ')
				.replace(/, ([^,]*)$/, ' or $1');
			return {
				ok: false,
				error: {
					type: 'enum',
					msg: `Input should be ${expected}`,
					input: value,
					ctx: { expected },
				},
			};
		}),
	/** A repeatable parameter (`tags=a&tags=b`). */
	list: (): QueryField<string[] | undefined> => ({
		read: (raw) => ({
			ok: true,
			value: raw === undefined ? undefined : Array.isArray(raw) ? raw : [raw],
		}),
	}),
	/** Makes a parameter mandatory (422 "Field required" without it). */
	required<T>(inner: QueryField<T | undefined>): QueryField<T> {
		return {
			read(raw) {
				if (raw === undefined)
					return { ok: false, error: { type: 'missing', msg: 'Field required', input: null } };
				const result = inner.read(raw);
				if (!result.ok) return result;
				return { ok: true, value: result.value as T };
			},
		};
	},
	/** Supplies a default when the parameter is absent. */
	withDefault<T>(inner: QueryField<T | undefined>, fallback: T): QueryField<T> {
		return {
			read(raw) {
				const result = inner.read(raw);
				if (!result.ok) return result;
				return { ok: true, value: result.value === undefined ? fallback : result.value };
			},
		};
	},
};

export type QuerySpec = Record<string, QueryField<unknown>>;
export type ParsedQuery<S extends QuerySpec> = {
	[K in keyof S]: S[K] extends QueryField<infer T> ? T : never;
};

/**
 * Reads the query parameters a route declares (wire names as keys). Unknown parameters are
 * ignored, as FastAPI does; every invalid one is reported in one 422.
 */
export function parseQuery<S extends QuerySpec>(raw: unknown, spec: S): ParsedQuery<S> {
	const source = (raw ?? {}) as Record<string, RawQueryValue>;
	const out: Record<string, unknown> = {};
	const errors: FastApiError[] = [];
	for (const [name, reader] of Object.entries(spec)) {
		const result = reader.read(source[name]);
		if (result.ok) out[name] = result.value;
		else errors.push({ ...result.error, loc: ['query', name] });
	}
	if (errors.length > 0) throw elevenLabsErrors.validation(errors);
	return out as ParsedQuery<S>;
}
