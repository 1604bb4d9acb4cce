import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

/** One operation module: `description` and `execute` (only `execute` is routed to). */
export interface Operation {
	execute(this: IExecuteFunctions): Promise<INodeExecutionData[]>;
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
		throw new NodeOperationError(
			ctx.getNode(),
			`Unknown operation "${operation}" of resource "${resource}"`,
			{
				description: 'Open the node and choose one of the listed operations.',
			},
		);
	}
	return [await run.execute.call(ctx)];
}
