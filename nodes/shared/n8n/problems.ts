import { NodeOperationError } from 'n8n-workflow';
import type { INode } from 'n8n-workflow';

/** Something the user has to change: what is wrong, and what to change (the hint). */
export interface Problem {
	message: string;
	hint: string;
}

/**
 * A value, or the problem that kept it from being made. Pure helpers return it (they stay free
 * of n8n types and testable alone); the node turns a problem into its error with problemError.
 */
export type Checked<T> = { ok: true; value: T } | ({ ok: false } & Problem);

export function problem(message: string, hint: string): { ok: false } & Problem {
	return { ok: false, message, hint };
}

/**
 * A problem thrown instead of returned, by helpers deep inside a recursion (the template
 * compiler and renderer), where passing a result up through every level would bury what they
 * do. mapItems turns it into the item's error.
 */
export class ProblemError extends Error implements Problem {
	constructor(
		message: string,
		readonly hint: string,
	) {
		super(message);
		this.name = 'ProblemError';
	}
}

/** The n8n error for a problem: its message, the hint as description, and the item index. */
export function problemError(
	node: INode,
	problem: Problem,
	itemIndex?: number,
): NodeOperationError {
	return new NodeOperationError(node, problem.message, { description: problem.hint, itemIndex });
}
