/** Campaign parameter: the Campaign ID (ElevenLabs batch call) an operation works on */
import type { INodeProperties } from 'n8n-workflow';

/** The campaign (ElevenLabs batch call) an operation works on. */
export function campaignIdProperty(operation: string): INodeProperties {
	return {
		displayName: 'Campaign ID',
		name: 'campaignId',
		type: 'string',
		required: true,
		default: '={{ $json.campaignId }}',
		placeholder: 'btcal_…',
		description: 'The ID Submit returned (ElevenLabs batch call ID)',
		displayOptions: { show: { resource: ['campaign'], operation: [operation] } },
	};
}
