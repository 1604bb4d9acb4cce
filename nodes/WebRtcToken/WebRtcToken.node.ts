/** Fetch WebRTC Token node: lets a candidate talk to an agent in the browser, key kept back */
import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { callLedgerConnection } from '../shared/ledger/credentialTest';
import { searchAgents } from '../shared/vendors/listSearch';
import * as conversation from './actions/conversation/Conversation.resource';
import * as interviewPage from './actions/interviewPage/InterviewPage.resource';
import { router } from './actions/router';

export class WebRtcToken implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Fetch WebRTC Token',
		name: 'webRtcToken',
		icon: {
			light: 'file:../../icons/webRtcToken.svg',
			dark: 'file:../../icons/webRtcToken.dark.svg',
		},
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Get a short-lived token or signed URL so that a candidate can talk to an ElevenLabs agent in the browser, without the API key reaching the page',
		defaults: { name: 'Fetch WebRTC Token' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		// A notice page or a shipped script talks to nobody, so they need no credential.
		credentials: [
			{
				name: 'elevenLabsAgentsApi',
				required: true,
				displayOptions: { hide: { operation: ['notice', 'script'] } },
			},
			{
				name: 'callLedgerPostgresApi',
				required: true,
				testedBy: 'callLedgerConnection',
				displayOptions: { show: { operation: ['token'], ledger: ['postgres'] } },
			},
		],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Browser Conversation', value: 'conversation' },
					{ name: 'Interview Page', value: 'interviewPage' },
				],
				default: 'conversation',
			},
			...conversation.description,
			...interviewPage.description,
		],
	};

	methods = { listSearch: { searchAgents }, credentialTest: { callLedgerConnection } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
