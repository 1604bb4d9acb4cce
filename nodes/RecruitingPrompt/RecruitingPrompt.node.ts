import { NodeConnectionTypes } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import * as render from './actions/render.operation';
import { router } from './actions/router';

export class RecruitingPrompt implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Build Recruiting Prompt',
		name: 'recruitingPrompt',
		icon: { light: 'file:../../icons/recruitingPrompt.svg', dark: 'file:../../icons/recruitingPrompt.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["templateSet"]}}',
		description:
			'Build the system prompt, first message and knowledge base of an ElevenLabs recruiting agent from Handlebars templates, per candidate',
		defaults: { name: 'Build Recruiting Prompt' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
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
						description: 'Render the prompt, first message and knowledge base for each candidate (item)',
					},
				],
				default: 'render',
			},
			...render.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
