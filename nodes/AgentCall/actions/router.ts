import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import * as call from './call/Call.resource';
import * as campaign from './campaign/Campaign.resource';
import * as doNotCall from './doNotCall/DoNotCall.resource';

type Operation = { execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> };

const operations: Record<string, Record<string, Operation>> = {
	call: { place: call.place },
	campaign: { submit: campaign.submit, get: campaign.get, cancel: campaign.cancel, retry: campaign.retry },
	doNotCall: { add: doNotCall.add, get: doNotCall.get, remove: doNotCall.remove },
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const handler = operations[resource]?.[operation];
	if (!handler) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
	}
	return [await handler.execute.call(this)];
}
