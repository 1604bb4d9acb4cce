/** Build Recruiting Prompt: runs the chosen operation, Render or Publish */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { toNodeError } from '../../shared/n8n/problems';

import * as publish from './publish.operation';
import * as render from './render.operation';

/**
 * One module per operation, each exporting `description` and `execute` (also read by `npm run
 * docs` for the output fields).
 */
export const operations = { render, publish } as const;

/** Dispatches to the chosen operation; saved workflows without an operation render. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = this.getNodeParameter('operation', 0, 'render') as string;
	const run = operations[operation as keyof typeof operations];
	if (!run) {
		throw toNodeError(this.getNode(), {
			message: `Unknown operation "${operation}"`,
			hint: 'Open the node and choose one of the listed operations.',
		});
	}
	return [await run.execute.call(this)];
}
