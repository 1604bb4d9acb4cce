/** Build Recruiting Prompt node: renders an agent's prompt per candidate, or publishes a set */
import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { searchAgents } from '../shared/vendors/listSearch';
import * as publish from './actions/publish.operation';
import * as render from './actions/render.operation';
import { router } from './actions/router';

export class RecruitingPrompt implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Build Recruiting Prompt',
		name: 'recruitingPrompt',
		icon: {
			light: 'file:../../icons/recruitingPrompt.svg',
			dark: 'file:../../icons/recruitingPrompt.dark.svg',
		},
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["templateSet"]}}',
		description:
			'Build the system prompt, first message and knowledge base of an ElevenLabs recruiting agent from Handlebars templates, per candidate, or publish them to the agent',
		defaults: { name: 'Build Recruiting Prompt' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'elevenLabsAgentsApi',
				required: true,
				displayOptions: { show: { operation: ['publish'] } },
			},
		],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Render',
						value: 'render',
						action: 'Render a recruiting prompt',
						description:
							'Render the prompt, first message and knowledge base for each candidate (item)',
					},
					{
						name: 'Publish',
						value: 'publish',
						action: 'Publish a recruiting prompt to an agent',
						description:
							'Set up an agent with the template set: its own prompt, knowledge base, answers to collect and the overrides Place Agent Call uses',
					},
				],
				default: 'render',
			},
			...render.description,
			...publish.description,
		],
	};

	methods = { listSearch: { searchAgents } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
