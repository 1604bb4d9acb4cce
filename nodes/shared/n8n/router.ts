/** Dispatches a node's execution to the chosen resource's operation */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { OutputField } from './outputFields';
import { toNodeError } from './problems';

/**
 * One operation module: `description`, `execute` (the only part routed to) and, where declared,
 * `outputFields` (rendered on the node page).
 */
export interface Operation {
	execute(this: IExecuteFunctions): Promise<INodeExecutionData[]>;
	outputFields?: OutputField[];
}

/** Dispatches to `<resource>.<operation>.execute`, as n8n's own multi-operation nodes do. */
export async function routeByResource(
	ctx: IExecuteFunctions,
	resources: Record<string, Record<string, Operation>>,
): Promise<INodeExecutionData[][]> {
	const resource = ctx.getNodeParameter('resource', 0) as string;
	const operation = ctx.getNodeParameter('operation', 0) as string;
	const operations = Object.hasOwn(resources, resource) ? resources[resource] : {};
	const run = Object.hasOwn(operations, operation) ? operations[operation] : undefined;
	if (!run) {
		throw toNodeError(ctx.getNode(), {
			message: `Unknown operation "${operation}" of resource "${resource}"`,
			hint: 'Open the node and choose one of the listed operations.',
		});
	}
	return [await run.execute.call(ctx)];
}
