/** Shared set-up of the Get Transcript engine tests: calls placed on the sandbox, the node in a workflow. */
import { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import type { ICredentialDataDecryptedObject, IDataObject, INodeParameters } from 'n8n-workflow';

import type { CredentialOptions, Sandbox, ScenarioKey } from '../../sandbox';
import { conversationStore } from '../../sandbox/conversations';
import { PACKAGE, runWorkflow, singleNodeWorkflow } from './harness';

export const NODE = 'Get Transcript';

export const VARIABLES = { candidate_name: 'Anna Weber', company: 'Muster Pflege GmbH', job_title: 'Pflegefachkraft' };

/** Places a call the way ElevenLabs is called for real (SDK → sandbox HTTP); returns the conversation id. */
export async function dial(
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

/** Ends every running sandbox conversation now, as its scenario plans. */
export function settle(sandbox: Sandbox): void {
	conversationStore(sandbox).settleAll();
}

export function credentials(sandbox: Sandbox, options?: CredentialOptions): Record<string, ICredentialDataDecryptedObject> {
	return { elevenLabsAgentsApi: { ...sandbox.credentials(options).elevenLabsAgentsApi } };
}

export function transcriptWorkflow(parameters: INodeParameters, node: { continueOnFail?: boolean } = {}) {
	return singleNodeWorkflow({
		name: NODE,
		type: `${PACKAGE}.transcript`,
		parameters: { resource: 'conversation', ...parameters },
		credentials: { elevenLabsAgentsApi: { id: '1', name: 'ElevenLabs' } },
		...(node.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
	});
}

export async function runTranscript(
	sandbox: Sandbox,
	parameters: INodeParameters,
	items: IDataObject[],
	options: { continueOnFail?: boolean; credentials?: CredentialOptions } = {},
) {
	return await runWorkflow(transcriptWorkflow(parameters, options), {
		credentials: credentials(sandbox, options.credentials),
		items,
	});
}

export const agentLocator = (value: string) => ({ __rl: true, mode: 'id', value });
