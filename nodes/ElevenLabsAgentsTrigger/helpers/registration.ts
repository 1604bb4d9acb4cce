/**
 * The trigger's own post-call webhook at ElevenLabs, for n8n's webhook lifecycle: on activation
 * a workspace webhook (HMAC) for the trigger's production URL, selected by the chosen agents;
 * on deactivation each agent gets back the webhook setting it had, and the webhook is deleted.
 * What ElevenLabs returns (id, secret) and what each agent had before live in the node's static
 * data, so that deactivation, even after a restart, undoes exactly what activation did.
 */
import type { ElevenLabs } from '@elevenlabs/elevenlabs-js';
import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IHookFunctions } from 'n8n-workflow';

import { readAgent } from '../../shared/agentsAndNumbers';
import { elevenLabsClient } from '../../shared/elevenLabsClient';
import type { ElevenLabsConnection } from '../../shared/elevenLabsClient';
import { attemptElevenLabs, elevenLabsRequest } from '../../shared/elevenLabsTransport';
import { problemError } from '../../shared/problems';
import type { PostCallEvent } from './events';

/** The agent setting's event for each trigger event. */
const AGENT_EVENT: Record<PostCallEvent, ElevenLabs.WebhookEventType> = {
	post_call_transcription: 'transcript',
	post_call_audio: 'audio',
	call_initiation_failure: 'call_initiation_failure',
};

/** What the static data keeps of a registration. */
export interface Registration {
	webhookId: string;
	webhookUrl: string;
	/** The HMAC secret ElevenLabs showed once, at creation. */
	webhookSecret: string;
	/** Each agent the webhook was attached to, with the webhook setting it had before (none: no override). */
	agents: Array<{ agentId: string; previous?: ElevenLabs.ConvAiWebhooks }>;
}

const KEY = 'registration';

export function storedRegistration(staticData: IDataObject): Registration | undefined {
	const value = staticData[KEY];
	return value && typeof value === 'object' ? (value as unknown as Registration) : undefined;
}

// Writes go once: a retried create would leave a second webhook behind.
const ONCE = { maxRetries: 0 };

const webhookSetting = (agent: ElevenLabs.GetAgentResponseModel) =>
	agent.platformSettings?.workspaceOverrides?.webhooks;

/** The agents whose post-call webhook the trigger becomes (parameter Agents). */
function chosenAgents(ctx: IHookFunctions): string[] {
	const ids = ctx.getNodeParameter('agentIds', []) as string[];
	return [...new Set(ids.map((id) => String(id).trim()).filter(Boolean))];
}

/** Sets an agent's webhook setting, keeping its other workspace overrides. */
async function setWebhookSetting(
	ctx: IHookFunctions,
	connection: ElevenLabsConnection,
	agent: ElevenLabs.GetAgentResponseModel,
	webhooks: ElevenLabs.ConvAiWebhooks,
): Promise<void> {
	const overrides = agent.platformSettings?.workspaceOverrides;
	await elevenLabsRequest(
		ctx.getNode(),
		connection,
		{ action: `set the post-call webhook of the agent "${agent.agentId}"` },
		(client) =>
			client.conversationalAi.agents.update(
				agent.agentId,
				{ platformSettings: { workspaceOverrides: { ...overrides, webhooks } } },
				ONCE,
			),
	);
}

/** Whether the stored webhook is still in the workspace, for this URL, and selected by every chosen agent. */
export async function registrationExists(
	ctx: IHookFunctions,
	staticData: IDataObject,
): Promise<boolean> {
	const registration = storedRegistration(staticData);
	if (!registration || registration.webhookUrl !== ctx.getNodeWebhookUrl('default')) return false;
	const connection = await elevenLabsClient(ctx);
	const list = await elevenLabsRequest(
		ctx.getNode(),
		connection,
		{ action: 'list the workspace webhooks' },
		(client) => client.webhooks.list(),
	);
	if (!list.webhooks.some((webhook) => webhook.webhookId === registration.webhookId)) return false;
	const attached = new Set(registration.agents.map((agent) => agent.agentId));
	return chosenAgents(ctx).every((agentId) => attached.has(agentId));
}

/**
 * Creates the webhook and attaches it to the chosen agents, with the chosen events. A failure
 * part-way undoes what was done, so that activation leaves nothing behind.
 */
export async function register(ctx: IHookFunctions, staticData: IDataObject): Promise<void> {
	const agentIds = chosenAgents(ctx);
	if (!agentIds.length) {
		throw problemError(ctx.getNode(), {
			message:
				'The ElevenLabs credential has no webhook secret, and no agent is chosen for the trigger to set up its own webhook',
			hint: 'Choose the agents whose calls start this workflow under "Agent Names or IDs": the trigger then sets up their post-call webhook itself. Or, with a webhook set up by hand in ElevenLabs, paste its secret into "Webhook Secret" of the "ElevenLabs Agents API" credential.',
		});
	}
	const webhookUrl = ctx.getNodeWebhookUrl('default');
	if (!webhookUrl)
		throw problemError(ctx.getNode(), {
			message: 'n8n gave this trigger no webhook URL',
			hint: 'Save the workflow and activate it again.',
		});
	// A registration left from before (another URL, other agents) is undone first.
	await unregister(ctx, staticData);
	const connection = await elevenLabsClient(ctx);
	const workflow = ctx.getWorkflow();
	const created = await elevenLabsRequest(
		ctx.getNode(),
		connection,
		{ action: 'create the post-call webhook' },
		(client) =>
			client.webhooks.create(
				{
					settings: {
						authType: 'hmac',
						name: `n8n · ${workflow.name ?? workflow.id} · ${ctx.getNode().name}`.slice(0, 200),
						webhookUrl,
					},
				},
				ONCE,
			),
	);
	if (!created.webhookSecret) {
		await attemptElevenLabs(connection, (client) =>
			client.webhooks.delete(created.webhookId, ONCE),
		);
		throw problemError(ctx.getNode(), {
			message: 'ElevenLabs created the webhook without an HMAC secret',
			hint: 'Set the webhook up by hand in ElevenLabs (Settings → Webhooks, authentication HMAC) and paste its secret into the credential.',
		});
	}
	const registration: Registration = {
		webhookId: created.webhookId,
		webhookUrl,
		webhookSecret: created.webhookSecret,
		agents: [],
	};
	staticData[KEY] = registration as unknown as IDataObject;
	const events = (ctx.getNodeParameter('events', []) as PostCallEvent[])
		.map((event) => AGENT_EVENT[event])
		.filter(Boolean);
	try {
		for (const agentId of agentIds) {
			const agent = await readAgent(ctx.getNode(), connection, agentId);
			const previous = webhookSetting(agent);
			await setWebhookSetting(ctx, connection, agent, {
				...previous,
				postCallWebhookId: created.webhookId,
				events,
			});
			registration.agents.push({ agentId, ...(previous ? { previous } : {}) });
			staticData[KEY] = registration as unknown as IDataObject;
		}
	} catch (error) {
		await unregister(ctx, staticData);
		// Our own errors already (n8n returns a wrapped n8n error unchanged).
		throw new NodeOperationError(ctx.getNode(), error as Error);
	}
}

/**
 * Gives every agent the webhook setting it had, where it still selects this webhook (a setting
 * someone changed since stays), then deletes the webhook; an already deleted one is fine.
 */
export async function unregister(ctx: IHookFunctions, staticData: IDataObject): Promise<void> {
	const registration = storedRegistration(staticData);
	if (!registration) return;
	const connection = await elevenLabsClient(ctx);
	for (const { agentId, previous } of [...registration.agents]) {
		const read = await attemptElevenLabs(connection, (client) =>
			client.conversationalAi.agents.get(agentId),
		);
		// An agent deleted meanwhile has nothing to give back.
		if (read.ok && webhookSetting(read.value)?.postCallWebhookId === registration.webhookId) {
			await setWebhookSetting(ctx, connection, read.value, previous ?? {});
		}
		registration.agents = registration.agents.filter((agent) => agent.agentId !== agentId);
		staticData[KEY] = registration as unknown as IDataObject;
	}
	const removed = await attemptElevenLabs(connection, (client) =>
		client.webhooks.delete(registration.webhookId, ONCE),
	);
	if (!removed.ok && removed.failure.status !== 404) {
		throw problemError(ctx.getNode(), {
			message: `The post-call webhook "${registration.webhookId}" could not be deleted`,
			hint: `ElevenLabs answered ${removed.failure.status ?? 'nothing'}${removed.failure.detail ? `: ${removed.failure.detail}` : ''}. The agents have their earlier webhook settings back; delete the webhook in ElevenLabs → Settings → Webhooks, or deactivate again.`,
		});
	}
	delete staticData[KEY];
}
