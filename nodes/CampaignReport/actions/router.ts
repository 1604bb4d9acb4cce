/** Campaign Report's router: resource and operation to the operation's module. */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { routeByResource } from '../../shared/n8n/router';
import * as report from './report/Report.resource';

/** Resource → operation → its module (also read by `npm run docs` for the output fields). */
export const resources = { report: report.operations };

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await routeByResource(this, resources);
}
