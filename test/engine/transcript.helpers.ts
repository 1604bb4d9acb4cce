/** Shared set-up of the Get Transcript engine tests: calls placed on the sandbox, the node's defaults. */
import { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import type { IDataObject, INodeParameters, OnError } from 'n8n-workflow';

import type { CredentialOptions, Sandbox, ScenarioKey } from '../../sandbox';
import { conversationStore } from '../../sandbox/conversations';
import { runNode } from './harness';
import type { CredentialData, PackageNode } from './harness';

export const NODE = 'Get Transcript';

export const VARIABLES = { candidate_name: 'Anna Weber', company: 'Muster Pflege GmbH', job_title: 'Pflegefachkraft' };

/**
 * Starts a sandbox call straight through the ElevenLabs SDK (no node involved), as the calls
 * Get Transcript later reads were placed; returns the conversation id.
 */
export async function startSandboxCall(
	sandbox: Sandbox,
	scenario: ScenarioKey,
	extra: { userId?: string; agentId?: string; language?: string; firstMessage?: string } = {},
): Promise<string> {
	const client = new ElevenLabsClient({ apiKey: sandbox.apiKey, baseUrl: sandbox.url });
	const response = await client.conversationalAi.twilio.outboundCall({
		agentId: extra.agentId ?? sandbox.ids.agents.recruitingDe,
		agentPhoneNumberId: sandbox.ids.phoneNumbers.twilioDe,
		toNumber: sandbox.scenarios[scenario].number,
		conversationInitiationClientData: {
			userId: extra.userId,
			dynamicVariables: VARIABLES,
			...(extra.language || extra.firstMessage
				? { conversationConfigOverride: { agent: { language: extra.language, firstMessage: extra.firstMessage } } }
				: {}),
		},
	});
	return response.conversationId!;
}

/** Ends every running sandbox call now, as its scenario plans. */
export function endSandboxCalls(sandbox: Sandbox): void {
	conversationStore(sandbox).settleAll();
}

/** The ElevenLabs credential alone (the nodes that only talk to ElevenLabs reference no other). */
export function elevenLabsCredential(sandbox: Sandbox, options?: CredentialOptions): CredentialData {
	return { elevenLabsAgentsApi: { ...sandbox.credentials(options).elevenLabsAgentsApi } };
}

/** Get Transcript with a resource's parameters. */
export function transcriptNode(parameters: INodeParameters, onError?: OnError): PackageNode {
	return { type: 'transcript', name: NODE, parameters: { resource: 'conversation', ...parameters }, onError };
}

export async function runTranscript(
	sandbox: Sandbox,
	parameters: INodeParameters,
	items: IDataObject[],
	options: { onError?: OnError; credentials?: CredentialOptions } = {},
) {
	return await runNode(transcriptNode(parameters, options.onError), {
		credentials: elevenLabsCredential(sandbox, options.credentials),
		items,
	});
}
