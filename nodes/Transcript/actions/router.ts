/** Get Transcript: runs the chosen operation of the Conversation resource */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { routeByResource } from '../../shared/n8n/router';
import * as conversation from './conversation/Conversation.resource';

/** Resource → operation → its module (also read by `npm run docs` for the output fields). */
export const resources = { conversation: conversation.operations };

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await routeByResource(this, resources);
}
