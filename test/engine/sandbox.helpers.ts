/**
 * What several engine test files do with the sandbox besides running a node: calls started
 * without any node, ended on demand, and the ElevenLabs credential on its own.
 */
import { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';

import type { CredentialOptions, Sandbox, ScenarioKey } from '../../sandbox';
import { conversationStore } from '../../sandbox/conversations';
import type { CredentialData } from './harness';

export const VARIABLES = {
	candidate_name: 'Anna Weber',
	company: 'Muster Pflege GmbH',
	job_title: 'Pflegefachkraft',
};

/**
 * Starts a sandbox call straight through the ElevenLabs SDK, without Place Agent Call, for tests
 * of what comes after a call; returns the conversation id.
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
				? {
						conversationConfigOverride: {
							agent: { language: extra.language, firstMessage: extra.firstMessage },
						},
					}
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
export function elevenLabsCredential(
	sandbox: Sandbox,
	options?: CredentialOptions,
): CredentialData {
	return { elevenLabsAgentsApi: { ...sandbox.credentials(options).elevenLabsAgentsApi } };
}
