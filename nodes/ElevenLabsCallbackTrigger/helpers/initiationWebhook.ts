/**
 * The trigger's conversation-initiation webhook at ElevenLabs, for n8n's webhook lifecycle. On
 * activation the workspace setting `conversation_initiation_client_data_webhook` becomes this
 * trigger's production URL with the secret header, and the chosen agents may take client data
 * from it; on deactivation both get back what they had. ElevenLabs has one such webhook per
 * workspace: a different URL someone else set is replaced only when the node is told to.
 */
import type { ElevenLabs } from '@elevenlabs/elevenlabs-js';
import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IHookFunctions } from 'n8n-workflow';

import {
	getAgent,
	getSettings,
	updateAgent,
	updateSettings,
} from '../../shared/vendors/elevenLabsApi';
import { elevenLabsClient } from '../../shared/vendors/elevenLabsClient';
import type { ElevenLabsConnection } from '../../shared/vendors/elevenLabsClient';
import { toNodeError } from '../../shared/n8n/problems';
import {
	chosenAgents,
	credentialApiKey,
	productionWebhookUrl,
} from '../../shared/trigger/activation';
import {
	CALLBACK_SECRET_HEADER,
	callbackSecret,
	openFromStaticData,
	sealForStaticData,
} from './callbackSecret';
import { placeholdersOf } from './initiationAnswer';
import type { AgentProfile } from './initiationAnswer';

/** What the static data keeps: no secret in plain text (the earlier webhook is sealed). */
export interface CallbackRegistration {
	webhookUrl: string;
	/** The workspace's earlier initiation webhook, sealed; absent when there was none. */
	sealedPrevious?: string;
	agents: AgentProfile[];
}

const KEY = 'callbackRegistration';

export function storedCallbackRegistration(
	staticData: IDataObject,
): CallbackRegistration | undefined {
	const value = staticData[KEY];
	return value && typeof value === 'object'
		? (value as unknown as CallbackRegistration)
		: undefined;
}

async function readSettings(ctx: IHookFunctions, connection: ElevenLabsConnection) {
	return await getSettings(connection, { node: ctx.getNode() });
}

async function writeInitiationWebhook(
	ctx: IHookFunctions,
	connection: ElevenLabsConnection,
	webhook: ElevenLabs.ConversationInitiationClientDataWebhook | null,
): Promise<void> {
	const purpose = { action: 'set the conversation initiation webhook of the workspace' };
	await updateSettings(
		connection,
		{ node: ctx.getNode(), purpose },
		{
			// null clears the setting (the wire allows it; the SDK type does not say so).
			conversationInitiationClientDataWebhook:
				webhook as ElevenLabs.ConversationInitiationClientDataWebhook,
		},
	);
}

const overridesOf = (agent: ElevenLabs.GetAgentResponseModel) => agent.platformSettings?.overrides;

async function setPermission(
	ctx: IHookFunctions,
	connection: ElevenLabsConnection,
	agent: ElevenLabs.GetAgentResponseModel,
	allowed: boolean,
): Promise<void> {
	const purpose = { action: `let the agent "${agent.agentId}" take call data from the webhook` };
	await updateAgent(connection, { node: ctx.getNode(), purpose }, agent.agentId, {
		platformSettings: {
			overrides: {
				...overridesOf(agent),
				enableConversationInitiationClientDataFromWebhook: allowed,
			},
		},
	});
}

/** What a call to this agent must be answered with, read from its settings. */
function profileOf(agent: ElevenLabs.GetAgentResponseModel, hadPermission: boolean): AgentProfile {
	const own = agent.conversationConfig.agent;
	return {
		agentId: agent.agentId,
		variables: placeholdersOf(own?.firstMessage, own?.prompt?.prompt),
		firstMessageOverride:
			overridesOf(agent)?.conversationConfigOverride?.agent?.firstMessage === true,
		hadPermission,
	};
}

/** Whether the workspace's webhook is this trigger's, with its secret, for every chosen agent. */
export async function initiationWebhookExists(
	ctx: IHookFunctions,
	staticData: IDataObject,
): Promise<boolean> {
	const registration = storedCallbackRegistration(staticData);
	const webhookUrl = productionWebhookUrl(ctx);
	if (!registration || registration.webhookUrl !== webhookUrl) return false;
	const current = (await readSettings(ctx, await elevenLabsClient(ctx)))
		.conversationInitiationClientDataWebhook;
	const secret = callbackSecret(await credentialApiKey(ctx), webhookUrl);
	if (current?.url !== webhookUrl || current.requestHeaders[CALLBACK_SECRET_HEADER] !== secret)
		return false;
	const registered = new Set(registration.agents.map((agent) => agent.agentId));
	return chosenAgents(ctx).every((agentId) => registered.has(agentId));
}

/**
 * Points the workspace's initiation webhook at this trigger and lets the chosen agents use it.
 * A failure part-way gives back what was changed, so activation leaves nothing behind.
 */
export async function registerInitiationWebhook(
	ctx: IHookFunctions,
	staticData: IDataObject,
): Promise<void> {
	const agentIds = chosenAgents(ctx);
	if (!agentIds.length)
		throw toNodeError(ctx.getNode(), {
			message: 'No agent is chosen for callbacks',
			hint: 'Choose under "Agent Names or IDs" the agents whose phone numbers candidates call back.',
		});
	const webhookUrl = productionWebhookUrl(ctx);
	const apiKey = await credentialApiKey(ctx);
	const connection = await elevenLabsClient(ctx);
	const earlier = storedCallbackRegistration(staticData);
	const current = (await readSettings(ctx, connection)).conversationInitiationClientDataWebhook;
	const ours = current?.url === webhookUrl || current?.url === earlier?.webhookUrl;
	const replace = ctx.getNodeParameter('options.replaceOtherWebhook', false) === true;
	if (current?.url && !ours && !replace) {
		throw toNodeError(ctx.getNode(), {
			message: `The workspace already sends conversation initiation requests to another URL (${safeHost(current.url)})`,
			hint: 'ElevenLabs allows one conversation initiation webhook per workspace, and someone else set this one (ElevenLabs → Agents → Settings). Remove it there, or turn on "Replace Another Webhook" under Options to replace it: deactivating this workflow then puts it back.',
		});
	}
	// Our own leftover (another URL of this node) keeps the webhook that stood before it.
	const sealedPrevious =
		current && !ours ? sealForStaticData(apiKey, webhookUrl, current) : earlier?.sealedPrevious;
	const previousOfEarlier =
		earlier && ours && earlier.sealedPrevious && earlier.webhookUrl !== webhookUrl
			? openFromStaticData(apiKey, earlier.webhookUrl, earlier.sealedPrevious)
			: undefined;
	const registration: CallbackRegistration = {
		webhookUrl,
		...(previousOfEarlier
			? { sealedPrevious: sealForStaticData(apiKey, webhookUrl, previousOfEarlier) }
			: sealedPrevious
				? { sealedPrevious }
				: {}),
		agents: (earlier?.agents ?? []).filter((agent) => agentIds.includes(agent.agentId)),
	};
	staticData[KEY] = registration as unknown as IDataObject;
	try {
		// The agents first: once the URL is set, ElevenLabs calls, and each call needs its agent's profile.
		for (const agentId of agentIds) {
			const agent = await getAgent(connection, { node: ctx.getNode() }, agentId);
			const known = registration.agents.find((profile) => profile.agentId === agentId);
			const allowed =
				overridesOf(agent)?.enableConversationInitiationClientDataFromWebhook === true;
			const profile = profileOf(agent, known ? known.hadPermission : allowed);
			if (!allowed) await setPermission(ctx, connection, agent, true);
			registration.agents = [
				...registration.agents.filter((other) => other.agentId !== agentId),
				profile,
			];
			staticData[KEY] = registration as unknown as IDataObject;
		}
		await writeInitiationWebhook(ctx, connection, {
			url: webhookUrl,
			requestHeaders: { [CALLBACK_SECRET_HEADER]: callbackSecret(apiKey, webhookUrl) },
		});
	} catch (error) {
		await unregisterInitiationWebhook(ctx, staticData).catch(() => undefined);
		throw new NodeOperationError(ctx.getNode(), error as Error);
	}
}

/**
 * Gives the workspace its earlier initiation webhook (or none) where the setting is still this
 * trigger's, and takes the permission back from agents that did not have it.
 */
export async function unregisterInitiationWebhook(
	ctx: IHookFunctions,
	staticData: IDataObject,
): Promise<void> {
	const registration = storedCallbackRegistration(staticData);
	if (!registration) return;
	const connection = await elevenLabsClient(ctx);
	const apiKey = await credentialApiKey(ctx);
	const current = (await readSettings(ctx, connection)).conversationInitiationClientDataWebhook;
	if (current?.url === registration.webhookUrl) {
		const previous = registration.sealedPrevious
			? openFromStaticData(apiKey, registration.webhookUrl, registration.sealedPrevious)
			: undefined;
		if (registration.sealedPrevious && !previous) {
			throw toNodeError(ctx.getNode(), {
				message: 'The earlier conversation initiation webhook could not be restored',
				hint: 'It was kept encrypted with the API key of the credential, which has changed since. Set it again in ElevenLabs → Agents → Settings; this trigger removes its own.',
			});
		}
		await writeInitiationWebhook(
			ctx,
			connection,
			(previous as ElevenLabs.ConversationInitiationClientDataWebhook | undefined) ?? null,
		);
	}
	for (const profile of [...registration.agents]) {
		if (!profile.hadPermission) {
			const read = await getAgent.attempt(connection, profile.agentId);
			// An agent deleted meanwhile has nothing to give back.
			if (read.ok && overridesOf(read.value)?.enableConversationInitiationClientDataFromWebhook)
				await setPermission(ctx, connection, read.value, false);
		}
		registration.agents = registration.agents.filter((agent) => agent.agentId !== profile.agentId);
		staticData[KEY] = registration as unknown as IDataObject;
	}
	delete staticData[KEY];
}

/** Only the host of someone else's URL: its path or query may hold a token. */
function safeHost(url: string): string {
	try {
		return new URL(url).host;
	} catch {
		return 'an address that is not a URL';
	}
}
