/** Runs each input item's work, output in input order, with continue-on-fail and error output */
import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { ProblemError, toNodeError } from './problems';

/** What one item's work produces: one or more output items (json plus optional binary). */
export type ItemResult = IDataObject | INodeExecutionData | INodeExecutionData[];

function isExecutionData(value: unknown): value is INodeExecutionData {
	return (
		typeof value === 'object' &&
		value !== null &&
		'json' in value &&
		typeof (value as INodeExecutionData).json === 'object'
	);
}

/** What a failure adds to an item: `error`, `errorDescription`, and what an error knows despite it (`itemFields`). */
function errorFields(error: unknown): IDataObject {
	const message = error instanceof Error ? error.message : String(error);
	const description = (error as { description?: unknown })?.description;
	const fields = (error as { itemFields?: unknown })?.itemFields;
	return {
		...(fields && typeof fields === 'object' ? (fields as IDataObject) : {}),
		error: message,
		...(typeof description === 'string' && description ? { errorDescription: description } : {}),
	};
}

/**
 * The failed item under "On Error: Continue": its input fields plus `error`, paired to its input,
 * so a sheet row can be updated with what went wrong. An error may carry `itemFields` (what is
 * known despite the failure, e.g. `status: "unknown"`).
 */
function failedItem(
	item: INodeExecutionData,
	itemIndex: number,
	error: unknown,
): INodeExecutionData {
	return { json: { ...item.json, ...errorFields(error) }, pairedItem: { item: itemIndex } };
}

/**
 * The failed item for "On Error: Continue (using error output)". n8n routes an item there only
 * when its json holds nothing but `error`, `message` and `details`, and then adds the input
 * item's fields itself; so the description and what is known (e.g. `status: "unknown"`) go
 * under `details`.
 */
function errorOutputItem(itemIndex: number, error: unknown): INodeExecutionData {
	const { error: message, ...details } = errorFields(error);
	return {
		json: { error: message, ...(Object.keys(details).length ? { details } : {}) },
		pairedItem: { item: itemIndex },
	};
}

/**
 * Runs `work` for every input item, up to `width` items at once (default one after another).
 * Output items come in the input's order, paired to their input; with continue-on-fail a failing
 * item comes out as input plus `error` (or on the error output) and the rest go on, else the
 * error stops the node with its item index: no further item starts, those under way finish, and
 * the failure of the first item in input order is the one reported; `stoppedBefore` tells the items
 * under way after it. A thrown ProblemError becomes the item's NodeOperationError, so
 * `work` need not convert it.
 */
export async function mapItems(
	ctx: IExecuteFunctions,
	work: (
		item: INodeExecutionData,
		itemIndex: number,
		stoppedBefore: (itemIndex: number) => boolean,
	) => Promise<ItemResult>,
	width = 1,
): Promise<INodeExecutionData[]> {
	const items = ctx.getInputData();
	const out: INodeExecutionData[][] = [];
	let next = 0;
	/** The failures that stop the node (without continue-on-fail): the first in input order is reported. */
	const stops: Array<{ error: unknown; index: number }> = [];
	/** Whether the node stops at an item before this one: one after another, it would never start. */
	const stoppedBefore = (index: number) => stops.some((stop) => stop.index < index);
	const runner = async () => {
		while (stops.length === 0 && next < items.length) {
			const i = next++;
			try {
				const result = await work(items[i], i, stoppedBefore);
				const list = Array.isArray(result)
					? result
					: [isExecutionData(result) ? result : { json: result }];
				out[i] = list.map((entry) => ({ ...entry, pairedItem: entry.pairedItem ?? { item: i } }));
			} catch (error) {
				const failure =
					error instanceof ProblemError ? toNodeError(ctx.getNode(), error, i) : error;
				if (ctx.continueOnFail()) {
					const toErrorOutput = ctx.getNode().onError === 'continueErrorOutput';
					out[i] = [toErrorOutput ? errorOutputItem(i, failure) : failedItem(items[i], i, failure)];
				} else {
					stops.push({ error: failure, index: i });
				}
			}
		}
	};
	const runners = Math.max(1, Math.min(Math.floor(width) || 1, items.length));
	await Promise.all(Array.from({ length: runners }, runner));
	const [stop] = stops.sort((a, b) => a.index - b.index);
	if (stop) throw withItemIndex(ctx, stop.error, stop.index);
	return out.flat();
}

/** An n8n error with the item index set; anything else wrapped in a NodeOperationError. */
function withItemIndex(ctx: IExecuteFunctions, error: unknown, itemIndex: number): Error {
	const e = error as { context?: IDataObject; node?: unknown };
	if (e && typeof e === 'object' && e.context && e.node) {
		e.context.itemIndex ??= itemIndex;
		return error as Error;
	}
	return new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
}
