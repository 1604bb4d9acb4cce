/** Credential: an ElevenLabs API key and the region of the workspace that owns the agents */
import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { ELEVENLABS_BASE_URL_EXPRESSION } from '../nodes/shared/vendors/regions';

export class ElevenLabsAgentsApi implements ICredentialType {
	name = 'elevenLabsAgentsApi';

	displayName = 'ElevenLabs Agents API';

	icon = {
		light: 'file:../icons/elevenlabs.svg',
		dark: 'file:../icons/elevenlabs.dark.svg',
	} as const;

	documentationUrl = 'https://elevenlabs.io/docs/api-reference/authentication';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'An ElevenLabs API key of the workspace that owns the agents (Settings → API Keys). It needs access to Agents (ElevenAgents), and to Knowledge Base for publishing.',
		},
		{
			displayName: 'Region',
			name: 'region',
			type: 'options',
			default: 'global',
			description: 'Where the workspace keeps its data. Keys only work in their own region.',
			options: [
				{ name: 'Global (api.elevenlabs.io)', value: 'global' },
				{ name: 'US (api.us.elevenlabs.io)', value: 'us' },
				{ name: 'EU Data Residency', value: 'eu' },
				{ name: 'India Data Residency', value: 'in' },
				{ name: 'Singapore Data Residency', value: 'sg' },
				{ name: 'Custom Base URL', value: 'custom' },
			],
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'http://localhost:8790',
			description:
				'Full address of an ElevenLabs-compatible API, for example the local sandbox started with "npm run sandbox"',
			displayOptions: { show: { region: ['custom'] } },
		},
		{
			displayName: 'Webhook Secret',
			name: 'webhookSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Only for a post-call webhook you set up by hand in ElevenLabs: the HMAC secret it shows. Leave empty to let the ElevenLabs Agents Trigger set up its own webhook when the workflow is activated.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { 'xi-api-key': '={{$credentials.apiKey}}' } },
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: ELEVENLABS_BASE_URL_EXPRESSION,
			url: '/v1/convai/agents',
			qs: { page_size: 1 },
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'ElevenLabs rejected the API key. Copy the key again from Settings → API Keys, and check that the region matches the workspace.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'The API key works but may not use Agents. Edit the key in ElevenLabs and allow access to ElevenAgents.',
				},
			},
		],
	};
}
