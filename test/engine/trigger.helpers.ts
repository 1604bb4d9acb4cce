/**
 * What the trigger's engine tests share: the node with its defaults, the credential without a
 * webhook secret, the sandbox's agents and workspace webhooks as the dashboard shows them, and
 * the trigger's part of the workflow's static data.
 */
import { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { Sandbox } from '../../sandbox';
import { workspaceWebhooks } from '../../sandbox/routes/workspaceWebhooks';
import type { CredentialData, PackageNode } from './harness';
import { elevenLabsCredential } from './sandbox.helpers';

export const TRIGGER = 'ElevenLabs Agents Trigger';
export const EVENTS = ['post_call_transcription', 'call_initiation_failure'];

export function triggerNode(parameters: INodeParameters = {}, name = TRIGGER): PackageNode {
	return { type: 'elevenLabsAgentsTrigger', name, parameters: { events: EVENTS, ...parameters } };
}

/** The credential as a team without a hand-made webhook has it: no webhook secret. */
export function credentialWithoutSecret(sandbox: Sandbox): CredentialData {
	return {
		elevenLabsAgentsApi: {
			...elevenLabsCredential(sandbox).elevenLabsAgentsApi,
			webhookSecret: '',
		},
	};
}

/** The SDK straight against the sandbox, as the dashboard would change things. */
export const dashboard = (sandbox: Sandbox) =>
	new ElevenLabsClient({ apiKey: sandbox.apiKey, baseUrl: sandbox.url, maxRetries: 0 });

export const webhookSettingOf = (sandbox: Sandbox, agentId: string) =>
	sandbox.state.agents.get(agentId)!.agent.platformSettings?.workspaceOverrides?.webhooks;

export const webhooks = (sandbox: Sandbox) => [...workspaceWebhooks(sandbox).values()];

/** The trigger's own part of the workflow's static data (n8n keys it by node name). */
export const nodeData = (staticData: IDataObject, name = TRIGGER) =>
	(staticData[`node:${name}`] ?? {}) as IDataObject;
