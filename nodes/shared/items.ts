import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { ProblemError, problemError } from './problems';

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
 * Runs `work` for every input item in order. Output items are paired to their input; with
 * continue-on-fail a failing item comes out as input plus `error` (or on the error output) and
 * the rest go on, else the error stops the node with its item index. A thrown ProblemError
 * becomes the item's NodeOperationError, so `work` need not convert it.
 */
export async function mapItems(
	ctx: IExecuteFunctions,
	work: (item: INodeExecutionData, itemIndex: number) => Promise<ItemResult>,
): Promise<INodeExecutionData[]> {
	const items = ctx.getInputData();
	const out: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			const result = await work(items[i], i);
			const list = Array.isArray(result)
				? result
				: [isExecutionData(result) ? result : { json: result }];
			for (const entry of list) out.push({ ...entry, pairedItem: entry.pairedItem ?? { item: i } });
		} catch (error) {
			const failure = error instanceof ProblemError ? problemError(ctx.getNode(), error, i) : error;
			if (ctx.continueOnFail()) {
				const toErrorOutput = ctx.getNode().onError === 'continueErrorOutput';
				out.push(toErrorOutput ? errorOutputItem(i, failure) : failedItem(items[i], i, failure));
				continue;
			}
			throw withItemIndex(ctx, failure, i);
		}
	}
	return out;
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
