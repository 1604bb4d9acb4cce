/**
 * n8n credential data for the sandbox, with the field names of the package's credentials
 * (`elevenLabsAgentsApi`, `twilioCallsApi`: public names that saved workflows refer to).
 */
import { SEED_IDS, SEED_SECRETS } from './seed';

export interface ElevenLabsCredentialData {
	apiKey: string;
	region: 'custom';
	baseUrl: string;
	webhookSecret: string;
}

export interface TwilioCredentialData {
	authType: 'authToken' | 'apiKey';
	accountSid: string;
	authToken?: string;
	apiKeySid?: string;
	apiKeySecret?: string;
	baseUrl: string;
}

export interface SandboxCredentials {
	elevenLabsAgentsApi: ElevenLabsCredentialData;
	twilioCallsApi: TwilioCredentialData;
}

export interface CredentialOptions {
	/** Which ElevenLabs key: the main workspace (default), the other workspace, or the read-only key. */
	workspace?: 'main' | 'other' | 'readOnly';
	/** Twilio with Account SID + Auth Token (default), or with the main API key. */
	twilioAuth?: 'authToken' | 'apiKey';
	/** The main Twilio account (default) or the trial account (auth token only). */
	twilioAccount?: 'main' | 'trial';
	/** Overrides the webhook secret (default: the sandbox's current one). */
	webhookSecret?: string;
}

const ELEVENLABS_KEYS = {
	main: SEED_SECRETS.apiKey,
	other: SEED_SECRETS.otherWorkspaceApiKey,
	readOnly: SEED_SECRETS.readOnlyApiKey,
} as const;

/** Ready-to-use credential data objects for a sandbox at `url`. */
export function sandboxCredentials(
	url: string,
	options: CredentialOptions = {},
): SandboxCredentials {
	const elevenLabsAgentsApi: ElevenLabsCredentialData = {
		apiKey: ELEVENLABS_KEYS[options.workspace ?? 'main'],
		region: 'custom',
		baseUrl: url,
		webhookSecret: options.webhookSecret ?? SEED_SECRETS.webhookSecret,
	};
	const trial = options.twilioAccount === 'trial';
	if (trial && options.twilioAuth === 'apiKey')
		throw new Error('The sandbox has no API key for the trial account');
	const twilioCallsApi: TwilioCredentialData =
		options.twilioAuth === 'apiKey'
			? {
					authType: 'apiKey',
					accountSid: SEED_IDS.twilio.accountSid,
					apiKeySid: SEED_IDS.twilio.apiKeySid,
					apiKeySecret: SEED_SECRETS.twilioApiKeySecret,
					baseUrl: url,
				}
			: {
					authType: 'authToken',
					accountSid: trial ? SEED_IDS.twilio.trialAccountSid : SEED_IDS.twilio.accountSid,
					authToken: trial ? SEED_SECRETS.twilioTrialAuthToken : SEED_SECRETS.twilioAuthToken,
					baseUrl: url,
				};
	return { elevenLabsAgentsApi, twilioCallsApi };
}

/** One entry of the file `n8n import:credentials --input=<file>` reads. */
export interface N8nCredentialExport {
	id: string;
	name: string;
	type: 'elevenLabsAgentsApi' | 'twilioCallsApi';
	data: ElevenLabsCredentialData | TwilioCredentialData;
}

export const N8N_CREDENTIAL_IDS = {
	elevenLabsAgentsApi: 'sandboxElevenLabs',
	twilioCallsApi: 'sandboxTwilio',
} as const;

/**
 * The credentials as an array importable with `n8n import:credentials` (plain `data` objects,
 * which n8n encrypts on import). Fixed ids, so example workflows can reference them.
 */
export function n8nCredentialsFile(credentials: SandboxCredentials): N8nCredentialExport[] {
	return [
		{
			id: N8N_CREDENTIAL_IDS.elevenLabsAgentsApi,
			name: 'ElevenLabs (sandbox)',
			type: 'elevenLabsAgentsApi',
			data: credentials.elevenLabsAgentsApi,
		},
		{
			id: N8N_CREDENTIAL_IDS.twilioCallsApi,
			name: 'Twilio (sandbox)',
			type: 'twilioCallsApi',
			data: credentials.twilioCallsApi,
		},
	];
}

/** The `n8n import:credentials` file for a sandbox at `url` (what `npm run sandbox` prints). */
export function n8nCredentialsForUrl(
	url: string,
	options: CredentialOptions = {},
): N8nCredentialExport[] {
	return n8nCredentialsFile(sandboxCredentials(url, options));
}
