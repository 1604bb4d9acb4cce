/** Builds the ElevenLabs SDK client from the credential, retries off for requests that dial */
import type { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import type { ICredentialDataDecryptedObject, INode } from 'n8n-workflow';

import { toNodeError } from '../n8n/problems';
import { elevenLabsBaseUrl } from './regions';

/** Anything that can read our credential: execute, load-options, hook and webhook contexts. */
export interface CredentialContext {
	getNode(): INode;
	getCredentials<T extends object = ICredentialDataDecryptedObject>(
		type: string,
		itemIndex?: number,
	): Promise<T>;
}

export interface ElevenLabsConnection {
	client: ElevenLabsClient;
	/** The secrets of this credential, for redacting messages. */
	secrets: string[];
}

export interface ElevenLabsClientOptions {
	/**
	 * A client for requests that place calls or start batches: the SDK retries every method,
	 * POST included, on 408/429/5xx, and a retried dial can ring a person twice.
	 */
	placesCalls?: boolean;
	timeoutSeconds?: number;
	itemIndex?: number;
}

export const ELEVENLABS_CREDENTIAL = 'elevenLabsAgentsApi';
const DEFAULT_TIMEOUT_SECONDS = 30;
const READ_RETRIES = 2;

/** Whether the node has an ElevenLabs credential chosen (Do Not Call → Add works without one). */
export function hasElevenLabsCredential(ctx: CredentialContext): boolean {
	return Boolean(ctx.getNode().credentials?.[ELEVENLABS_CREDENTIAL]);
}

/**
 * The one place that builds the ElevenLabs SDK client from the credential. The SDK is loaded
 * here, on first use, so that n8n's start-up does not pay for it.
 */
export async function elevenLabsClient(
	ctx: CredentialContext,
	options: ElevenLabsClientOptions = {},
): Promise<ElevenLabsConnection> {
	const credentials = await ctx
		.getCredentials(ELEVENLABS_CREDENTIAL, options.itemIndex)
		.catch((error: unknown) => {
			// Optional on Place Agent Call (for Do Not Call): n8n's own error would not say which.
			if (hasElevenLabsCredential(ctx)) throw error;
			throw toNodeError(
				ctx.getNode(),
				{
					message: 'No ElevenLabs credential is chosen',
					hint: 'Choose an "ElevenLabs Agents API" credential under "Credential to connect with".',
				},
				options.itemIndex,
			);
		});
	const apiKey = String(credentials.apiKey ?? '').trim();
	if (!apiKey) {
		throw toNodeError(
			ctx.getNode(),
			{
				message: 'The ElevenLabs credential has no API key',
				hint: 'Open the "ElevenLabs Agents API" credential and paste an API key from Settings → API Keys.',
			},
			options.itemIndex,
		);
	}
	const baseUrl = elevenLabsBaseUrl(credentials.region, credentials.baseUrl);
	if (!baseUrl.ok) throw toNodeError(ctx.getNode(), baseUrl, options.itemIndex);
	const { ElevenLabsClient } = await import('@elevenlabs/elevenlabs-js');
	const client = new ElevenLabsClient({
		apiKey,
		baseUrl: baseUrl.value,
		timeoutInSeconds: options.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
		maxRetries: options.placesCalls ? 0 : READ_RETRIES,
		logging: { level: 'error', silent: true },
	});
	// The webhook secret is not used here, but no message may echo it either.
	const webhookSecret = String(credentials.webhookSecret ?? '').trim();
	return { client, secrets: [apiKey, webhookSecret] };
}
