/** Place Agent Call node: calls, campaigns, do-not-call list and texts for job candidates */
import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { searchAgents, searchPhoneNumbers } from '../shared/vendors/listSearch';
import * as call from './actions/call/Call.resource';
import * as campaign from './actions/campaign/Campaign.resource';
import * as doNotCall from './actions/doNotCall/DoNotCall.resource';
import * as textMessage from './actions/textMessage/TextMessage.resource';
import { router } from './actions/router';
import { callLedgerConnection } from '../shared/ledger/credentialTest';

export class AgentCall implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Place Agent Call',
		name: 'agentCall',
		icon: { light: 'file:../../icons/agentCall.svg', dark: 'file:../../icons/agentCall.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Call job candidates with an ElevenLabs voice agent, once each, inside the calling hours',
		defaults: { name: 'Place Agent Call' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				// Optional: n8n has one entry per credential, and Do Not Call → Add must keep working
				// without it (it then names the campaigns instead of taking the number out of them).
				// Do Not Call → Get cannot be told from Campaign → Get here: it shows it, unused.
				name: 'elevenLabsAgentsApi',
				required: false,
				displayOptions: {
					show: { resource: ['call', 'campaign', 'doNotCall'] },
					hide: { operation: ['remove'] },
				},
			},
			{
				name: 'callLedgerPostgresApi',
				required: true,
				testedBy: 'callLedgerConnection',
				displayOptions: { show: { ledger: ['postgres'] } },
			},
			{
				name: 'twilioCallsApi',
				required: true,
				displayOptions: { show: { resource: ['call', 'textMessage'], transport: ['ownTwilio'] } },
			},
		],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Call',
						value: 'call',
						description: 'One call per candidate, placed by this node',
					},
					{
						name: 'Campaign',
						value: 'campaign',
						description: 'An ElevenLabs batch call for long lists',
					},
					{
						name: 'Do Not Call',
						value: 'doNotCall',
						description: 'Numbers that no call, campaign or text reaches',
					},
					{
						name: 'Text Message',
						value: 'textMessage',
						description: 'Texts through your Twilio account, once each, inside the calling hours',
					},
				],
				default: 'call',
			},
			...call.description,
			...campaign.description,
			...doNotCall.description,
			...textMessage.description,
		],
	};

	methods = {
		listSearch: { searchAgents, searchPhoneNumbers },
		credentialTest: { callLedgerConnection },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
