/**
 * Number parameters checked at run time against the bounds their own description gives the
 * editor (minValue, maxValue; numberPrecision 0 for whole numbers). Expressions bypass the
 * editor: `={{ "abc" }}` gives text, `={{ -1 }}` a number below the minimum, and NaN passes
 * Math.max unchanged. The description stays the one place where a bound is written.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ParameterReader } from './itemParameters';
import { problem, toNodeError } from './problems';
import type { Checked } from './problems';
import { quoted } from '../text/quoted';

/** The number a parameter value stands for: a number, or text that is one ("30"); else NaN. */
function asNumber(value: unknown): number {
	if (typeof value === 'number') return value;
	if (typeof value === 'string' && value.trim() !== '') return Number(value.trim());
	return NaN;
}

function range(min: number | undefined, max: number | undefined): string {
	if (min !== undefined && max !== undefined) return `from ${min} to ${max}`;
	if (min !== undefined) return `of ${min} or more`;
	return max !== undefined ? `of at most ${max}` : '';
}

/**
 * The value of a number parameter, checked against its description. `where` is how the editor
 * shows the way to it, e.g. "Options → Request Timeout (Seconds)".
 */
export function checkNumber(
	property: INodeProperties,
	value: unknown,
	where = property.displayName,
): Checked<number> {
	const number = asNumber(value);
	const min = property.typeOptions?.minValue as number | undefined;
	const max = property.typeOptions?.maxValue as number | undefined;
	const whole = property.typeOptions?.numberPrecision === 0;
	const fits =
		Number.isFinite(number) &&
		(min === undefined || number >= min) &&
		(max === undefined || number <= max) &&
		(!whole || Number.isInteger(number));
	if (fits) return { ok: true, value: number };
	const expected = `${whole ? 'a whole number' : 'a number'} ${range(min, max)}`.trim();
	return problem(
		`"${property.displayName}" must be ${expected}, not ${quoted(value)}`,
		`Set ${where} to ${expected} (default ${String(property.default)}). An expression there must give a number, e.g. {{ ${String(property.default)} }}.`,
	);
}

/**
 * The number options of a collection (e.g. Options), checked and turned into numbers; other
 * options unchanged. Unset options stay unset (the node's defaults apply).
 */
export function checkNumberOptions<T extends object>(
	collection: INodeProperties,
	given: T,
): Checked<T> {
	const values = given as IDataObject;
	const out: IDataObject = { ...values };
	for (const option of (collection.options ?? []) as INodeProperties[]) {
		if (option.type !== 'number' || values[option.name] === undefined) continue;
		const checked = checkNumber(
			option,
			values[option.name],
			`${collection.displayName} → ${option.displayName}`,
		);
		if (!checked.ok) return checked;
		out[option.name] = checked.value;
	}
	return { ok: true, value: out as T };
}

function findProperty(properties: INodeProperties[], name: string): INodeProperties {
	const found = properties.find((property) => property.name === name);
	// A programming error (a name that is not in the operation's own description): say so plainly.
	if (!found) throw new TypeError(`No parameter "${name}" in the description`);
	return found;
}

/** A number parameter of the operation, checked against its description; throws the item's error. */
export function readNumberParameter(
	ctx: IExecuteFunctions,
	properties: INodeProperties[],
	name: string,
	itemIndex: number,
): number {
	const property = findProperty(properties, name);
	const checked = checkNumber(property, ctx.getNodeParameter(name, itemIndex, property.default));
	if (!checked.ok) throw toNodeError(ctx.getNode(), checked, itemIndex);
	return checked.value;
}

/** A collection parameter (e.g. options) with its numbers checked; throws the item's error. */
export function readCheckedOptions<T extends object>(
	ctx: IExecuteFunctions,
	properties: INodeProperties[],
	name: string,
	itemIndex: number,
	// A reader that keeps values without expressions for the whole execution, where a node has one.
	parameters: ParameterReader = ctx,
): T {
	const checked = checkNumberOptions(
		findProperty(properties, name),
		parameters.getNodeParameter(name, itemIndex, {}) as T,
	);
	if (!checked.ok) throw toNodeError(ctx.getNode(), checked, itemIndex);
	return checked.value;
}
