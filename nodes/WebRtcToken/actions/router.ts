import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import * as conversation from './conversation/Conversation.resource';

const resources = { conversation } as const;

/** Dispatches to `<resource>.<operation>.execute`, as n8n's own multi-operation nodes do. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const operations = resources[resource as keyof typeof resources]?.operations;
	const run = operations?.[operation as keyof typeof operations];
	if (!run) {
		throw new NodeOperationError(this.getNode(), `Unknown operation "${operation}" of resource "${resource}"`, {
			description: 'Open the node and choose one of the listed operations.',
		});
	}
	return [await run.execute.call(this)];
}
