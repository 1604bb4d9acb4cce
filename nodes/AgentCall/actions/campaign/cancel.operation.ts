import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { changeCampaign } from './campaignCommand';
import { campaignIdProperty } from './campaignId.description';

export const description: INodeProperties[] = [campaignIdProperty('cancel')];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await changeCampaign(this, 'cancel');
}
