/** Get Transcript node: the outcome of an agent call (transcript, summary, answers, audio) */
import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { searchAgents } from '../shared/vendors/listSearch';
import * as conversation from './actions/conversation/Conversation.resource';
import { router } from './actions/router';

export class Transcript implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Get Transcript',
		name: 'transcript',
		icon: {
			light: 'file:../../icons/transcript.svg',
			dark: 'file:../../icons/transcript.dark.svg',
		},
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Fetch the outcome of an ElevenLabs agent call: transcript, summary, collected answers, evaluation, call result and audio',
		defaults: { name: 'Get Transcript' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'elevenLabsAgentsApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Conversation', value: 'conversation' }],
				default: 'conversation',
			},
			...conversation.description,
		],
	};

	methods = { listSearch: { searchAgents } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
