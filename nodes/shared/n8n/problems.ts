/** User problems: what is wrong and what to change, as values (pure helpers) and as errors (operations). */
import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, INode } from 'n8n-workflow';

/** Something the user has to change: what is wrong, and what to change (the hint). */
export interface Problem {
	message: string;
	hint: string;
	/** What is known about the item despite the problem (e.g. `status: "unknown"`), for its output. */
	itemFields?: IDataObject;
}

/**
 * A value, or the problem that kept it from being made. Pure helpers return it (they stay free
 * of n8n types and testable alone); the operation throws a problem as a ProblemError.
 */
export type Checked<T> = { ok: true; value: T } | ({ ok: false } & Problem);

export function problem(message: string, hint: string): { ok: false } & Problem {
	return { ok: false, message, hint };
}

/**
 * The one error an operation throws for a user problem, inside its mapItems work: mapItems
 * turns it into the node's error with the item index, or the item's error output under
 * "On Error: Continue". Helpers deep in a recursion (the template compiler) throw it too.
 */
export class ProblemError extends Error implements Problem {
	constructor(
		message: string,
		readonly hint: string,
		readonly itemFields?: IDataObject,
	) {
		super(message);
		this.name = 'ProblemError';
	}
}

/**
 * n8n's error for a problem (message, the hint as description, the item index), for code that
 * runs outside an item loop: a whole-batch read, a trigger's webhook or activation, a
 * credential read that may happen there. mapItems uses it for a thrown ProblemError.
 */
export function toNodeError(node: INode, problem: Problem, itemIndex?: number): NodeOperationError {
	const error = new NodeOperationError(node, problem.message, {
		description: problem.hint,
		itemIndex,
	});
	return problem.itemFields ? Object.assign(error, { itemFields: problem.itemFields }) : error;
}
