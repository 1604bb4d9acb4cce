/** What the ElevenLabs triggers share in n8n's webhook lifecycle: a registration kept in static data. */
import type { IDataObject, IHookFunctions } from 'n8n-workflow';

import { ELEVENLABS_CREDENTIAL } from '../vendors/elevenLabsClient';
import type { CredentialContext } from '../vendors/elevenLabsClient';
import { toNodeError } from '../n8n/problems';

/** How a trigger sets up its place at ElevenLabs, keeping what it did in the node's static data. */
export interface Registrar {
	/** Whether what the static data says was set up is still in place. */
	exists(ctx: IHookFunctions, staticData: IDataObject): Promise<boolean>;
	register(ctx: IHookFunctions, staticData: IDataObject): Promise<void>;
	/** Gives back what the registration changed; without one, nothing to do. */
	unregister(ctx: IHookFunctions, staticData: IDataObject): Promise<void>;
}

/** n8n's `webhookMethods.default` for a registrar, each step on the node's static data. */
export function registrationLifecycle(registrar: Registrar) {
	return {
		async checkExists(this: IHookFunctions): Promise<boolean> {
			return await registrar.exists(this, this.getWorkflowStaticData('node'));
		},
		async create(this: IHookFunctions): Promise<boolean> {
			await registrar.register(this, this.getWorkflowStaticData('node'));
			return true;
		},
		async delete(this: IHookFunctions): Promise<boolean> {
			await registrar.unregister(this, this.getWorkflowStaticData('node'));
			return true;
		},
	};
}

/** The chosen agents (parameter "Agent Names or IDs"), each once. */
export function chosenAgents(ctx: IHookFunctions): string[] {
	const ids = ctx.getNodeParameter('agentIds', []) as string[];
	return [...new Set(ids.map((id) => String(id).trim()).filter(Boolean))];
}

/** The credential's API key: what the trigger's secrets and seals are derived from. */
export async function credentialApiKey(ctx: CredentialContext): Promise<string> {
	const credentials = await ctx.getCredentials(ELEVENLABS_CREDENTIAL);
	return String(credentials.apiKey ?? '').trim();
}

/** The trigger's production URL, which ElevenLabs is told to call. */
export function productionWebhookUrl(ctx: IHookFunctions): string {
	const url = ctx.getNodeWebhookUrl('default');
	if (!url)
		throw toNodeError(ctx.getNode(), {
			message: 'n8n gave this trigger no webhook URL',
			hint: 'Save the workflow and activate it again.',
		});
	return url;
}
