/** Fetch WebRTC Token: runs the chosen operation of Conversation or Interview Page */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { routeByResource } from '../../shared/n8n/router';
import * as conversation from './conversation/Conversation.resource';
import * as interviewPage from './interviewPage/InterviewPage.resource';

/** Resource → operation → its module (also read by `npm run docs` for the output fields). */
export const resources = {
	conversation: conversation.operations,
	interviewPage: interviewPage.operations,
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await routeByResource(this, resources);
}
