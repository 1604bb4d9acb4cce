/** Node parameters per item, those without expressions resolved once per execution */
import type { IExecuteFunctions, INodeParameters, NodeParameterValueType } from 'n8n-workflow';

/** What reading a node parameter for an item needs (IExecuteFunctions, or ItemParameters). */
export interface ParameterReader {
	getNodeParameter(name: string, itemIndex: number, fallbackValue?: unknown): unknown;
}

/** Whether a raw parameter value holds an n8n expression anywhere (a string starting with "="). */
function holdsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(holdsExpression);
	if (value && typeof value === 'object') return Object.values(value).some(holdsExpression);
	return false;
}

/** The raw (saved) value of a parameter by its dotted name, e.g. `extraVariables.variable`. */
function rawParameter(
	parameters: INodeParameters,
	name: string,
): NodeParameterValueType | undefined {
	let current: unknown = parameters;
	for (const part of name.split('.')) {
		if (!current || typeof current !== 'object') return undefined;
		current = (current as Record<string, unknown>)[part];
	}
	return current as NodeParameterValueType | undefined;
}

/**
 * The node's parameters as every item sees them. A parameter saved without an expression has
 * the same value for every item, so n8n resolves it once per execution (for the first item that
 * asks) instead of once per item, which with thousands of items is much of the node's time;
 * a parameter with an expression is resolved per item, as n8n does. The values are shared:
 * callers read them, never change them.
 */
export class ItemParameters implements ParameterReader {
	private readonly fixed = new Map<string, unknown>();

	constructor(private readonly ctx: IExecuteFunctions) {}

	getNodeParameter(name: string, itemIndex: number, fallbackValue?: unknown): unknown {
		if (this.fixed.has(name)) return this.fixed.get(name);
		const value = this.ctx.getNodeParameter(name, itemIndex, fallbackValue);
		const parameters = this.ctx.getNode().parameters;
		// A parameter the node does not hold takes its default, which may be an expression
		// ({{ $json.phone }}); an entry missing inside one it holds (an empty list) is just empty.
		const held = Object.prototype.hasOwnProperty.call(parameters, name.split('.')[0]);
		if (held && !holdsExpression(rawParameter(parameters, name))) this.fixed.set(name, value);
		return value;
	}
}
