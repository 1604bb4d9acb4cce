/** Place Agent Call: runs the chosen operation of Call, Campaign, Do Not Call or Text Message */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { routeByResource } from '../../shared/n8n/router';
import * as call from './call/Call.resource';
import * as campaign from './campaign/Campaign.resource';
import * as doNotCall from './doNotCall/DoNotCall.resource';
import * as textMessage from './textMessage/TextMessage.resource';

/** Resource → operation → its module (also read by `npm run docs` for the output fields). */
export const resources = {
	call: call.operations,
	campaign: campaign.operations,
	doNotCall: doNotCall.operations,
	textMessage: textMessage.operations,
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await routeByResource(this, resources);
}
