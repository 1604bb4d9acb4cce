import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { changeCampaign } from './campaignCommand';
import { campaignIdProperty } from './campaignId.description';

export const description: INodeProperties[] = [campaignIdProperty('retry')];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await changeCampaign(this, 'retry');
}
