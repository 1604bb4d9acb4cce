/** Campaign → Get: a campaign's status and each recipient's result, optionally one item each */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { elevenLabsClient } from '../../../shared/vendors/elevenLabsClient';
import { getBatchCall } from '../../../shared/vendors/elevenLabsApi';
import { mapItems } from '../../../shared/n8n/items';
import type { OutputField } from '../../../shared/n8n/outputFields';
import { campaignIdOf } from './campaignCommand';
import { campaignIdProperty } from './campaignId.description';
import { campaignOutput, campaignOutputFields } from './output';

const WHOLE = '*One Item per Recipient* off';
const SPLIT = '*One Item per Recipient* on';

/**
 * One item for the campaign, or with *One Item per Recipient* one item per recipient: then
 * `status` is the recipient's, and the campaign's is `campaignStatus`.
 */
export const outputFields: OutputField[] = [
	...campaignOutputFields.map((field): OutputField => {
		if (field.name === 'campaignId') return field;
		if (field.name !== 'status') return { ...field, when: WHOLE };
		return {
			...field,
			description: `${field.description}; with *One Item per Recipient*, the recipient's (\`pending\`, \`dispatched\`, \`completed\`, \`failed\`, \`cancelled\`…)`,
		};
	}),
	{
		name: 'recipients',
		type: 'object[]',
		description:
			'Each recipient: `recipientId`, `toNumber`, `status`, `conversationId`, `idempotencyKey`, `updatedAt`',
		when: WHOLE,
	},
	{ name: 'campaignStatus', type: 'string', description: "The batch call's status", when: SPLIT },
	{ name: 'recipientId', type: 'string', description: "ElevenLabs' recipient id", when: SPLIT },
	{ name: 'toNumber', type: 'string or null', description: 'The number dialled', when: SPLIT },
	{
		name: 'conversationId',
		type: 'string or null',
		description: 'The call, for Get Transcript (null: not dialled yet)',
		when: SPLIT,
	},
	{
		name: 'idempotencyKey',
		type: 'string or null',
		description: 'The key Submit called the recipient with',
		when: SPLIT,
	},
	{
		name: 'updatedAt',
		type: 'string',
		description: "ISO time the recipient's status last changed",
		when: SPLIT,
	},
];

export const description: INodeProperties[] = [
	campaignIdProperty('get'),
	{
		displayName: 'One Item per Recipient',
		name: 'splitRecipients',
		type: 'boolean',
		default: false,
		description:
			'Whether to output each recipient as its own item (status, conversation ID) instead of one item for the campaign',
		displayOptions: { show: { resource: ['campaign'], operation: ['get'] } },
	},
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await mapItems(this, async (_item, i) => {
		const campaignId = campaignIdOf(this, i);
		const connection = await elevenLabsClient(this, { itemIndex: i });
		const batch = await getBatchCall(
			connection,
			{ node: this.getNode(), itemIndex: i },
			campaignId,
		);
		const recipients: IDataObject[] = batch.recipients.map((r) => ({
			recipientId: r.id,
			toNumber: r.phoneNumber ?? null,
			status: r.status,
			conversationId: r.conversationId ?? null,
			idempotencyKey: r.conversationInitiationClientData?.userId ?? null,
			updatedAt: new Date(r.updatedAtUnix * 1000).toISOString(),
		}));
		const campaign = campaignOutput(batch);
		if (this.getNodeParameter('splitRecipients', i, false)) {
			return recipients.map((r) => ({
				json: { campaignId: campaign.campaignId, campaignStatus: campaign.status, ...r },
			}));
		}
		return { ...campaign, recipients };
	});
}
