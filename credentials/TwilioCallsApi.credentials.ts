/** Credential: a Twilio account (Auth Token or API key) for own-number calls and texts */
import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { TWILIO_API_URL } from '../nodes/shared/vendors/regions';

export class TwilioCallsApi implements ICredentialType {
	name = 'twilioCallsApi';

	displayName = 'Twilio Calls API';

	icon = { light: 'file:../icons/twilio.svg', dark: 'file:../icons/twilio.dark.svg' } as const;

	documentationUrl = 'https://www.twilio.com/docs/iam/api-keys';

	properties: INodeProperties[] = [
		{
			displayName: 'Authenticate With',
			name: 'authType',
			type: 'options',
			default: 'authToken',
			options: [
				{ name: 'Account SID and Auth Token', value: 'authToken' },
				{ name: 'API Key', value: 'apiKey' },
			],
		},
		{
			displayName: 'Account SID',
			name: 'accountSid',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'AC0123456789abcdef0123456789abcdef',
			description: 'Starts with "AC". Shown on the Twilio Console dashboard.',
		},
		{
			displayName: 'Auth Token',
			name: 'authToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { authType: ['authToken'] } },
		},
		{
			displayName: 'API Key SID',
			name: 'apiKeySid',
			type: 'string',
			default: '',
			placeholder: 'SK0123456789abcdef0123456789abcdef',
			description: 'Starts with "SK". Created under Account → API keys & tokens.',
			displayOptions: { show: { authType: ['apiKey'] } },
		},
		{
			displayName: 'API Key Secret',
			name: 'apiKeySecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { authType: ['apiKey'] } },
		},
		{
			displayName: 'Custom API Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'http://localhost:8790',
			description:
				"Leave empty to use Twilio's own API. Set it only for a Twilio-compatible test server such as the package's sandbox.",
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			auth: {
				username:
					'={{ $credentials.authType === "apiKey" ? $credentials.apiKeySid : $credentials.accountSid }}',
				password:
					'={{ $credentials.authType === "apiKey" ? $credentials.apiKeySecret : $credentials.authToken }}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: `={{ String($credentials.baseUrl || '').trim().replace(/\\/+$/, '') || '${TWILIO_API_URL}' }}`,
			url: '=/2010-04-01/Accounts/{{ encodeURIComponent(String($credentials.accountSid).trim()) }}.json',
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'Twilio rejected the credentials. Check that the Account SID starts with "AC" and that the Auth Token (or API Key SID "SK…" and secret) belong to that account.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'No Twilio account with this Account SID. Copy the SID ("AC…") from the Twilio Console.',
				},
			},
		],
	};
}
