/** Do Not Call parameters: the phone number and its default region */
import type { INodeProperties } from 'n8n-workflow';

const show = { resource: ['doNotCall'] };

export const numberProperties: INodeProperties[] = [
	{
		displayName: 'Phone Number',
		name: 'phone',
		type: 'string',
		required: true,
		default: '={{ $json.phone }}',
		placeholder: '0171 1234567',
		description:
			'The number, as a candidate gave it; it is normalised to international format as for calls',
		displayOptions: { show },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Default Phone Region',
				name: 'defaultRegion',
				type: 'string',
				default: 'DE',
				description: 'Country for numbers without country code',
			},
		],
	},
];
