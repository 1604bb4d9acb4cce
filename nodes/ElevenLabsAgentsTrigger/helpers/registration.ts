/**
 * The trigger's own post-call webhook at ElevenLabs, for n8n's webhook lifecycle: on activation
 * a workspace webhook (HMAC, ElevenLabs' retries on) for the trigger's production URL, selected
 * by the chosen agents; on deactivation each agent gets back the webhook setting it had, and the
 * webhook is deleted. The node's static data keeps the webhook's id, its secret sealed with the
 * credential (sealedSecret.ts) and what each agent had before; the call ledger keeps what each
 * agent had too, so that an agent taken over by another trigger, or a webhook n8n forgot
 * (another node of the workflow failed to activate), finds its way back.
 */
import type { ElevenLabs } from '@elevenlabs/elevenlabs-js';
import type { IDataObject, IHookFunctions, INode, NodeError } from 'n8n-workflow';

import {
	createWebhook,
	deleteWebhook,
	getAgent,
	listWebhooks as listWorkspaceWebhooks,
	updateAgent,
	updateWebhook,
} from '../../shared/vendors/elevenLabsApi';
import { elevenLabsClient } from '../../shared/vendors/elevenLabsClient';
import type {
	CredentialContext,
	ElevenLabsConnection,
} from '../../shared/vendors/elevenLabsClient';
import type { CallLedger } from '../../shared/ledger/callLedger';
import { toNodeError } from '../../shared/n8n/problems';
import type { Problem } from '../../shared/n8n/problems';
import {
	chosenAgents,
	credentialApiKey,
	productionWebhookUrl,
} from '../../shared/trigger/activation';
import { triggerLedger } from './deliveries';
import type { PostCallEvent } from './events';
import { openSecret, sealSecret } from './sealedSecret';

/** The agent setting's event for each trigger event. */
const AGENT_EVENT: Record<PostCallEvent, ElevenLabs.WebhookEventType> = {
	post_call_transcription: 'transcript',
	post_call_audio: 'audio',
	call_initiation_failure: 'call_initiation_failure',
};

type WebhookSetting = ElevenLabs.ConvAiWebhooks;
type WorkspaceWebhook = ElevenLabs.WorkspaceWebhookResponseModel;

/** What the static data keeps of a registration. */
export interface Registration {
	webhookId: string;
	webhookUrl: string;
	/**
	 * The HMAC secret ElevenLabs showed once, sealed with the credential's API key. Registrations
	 * of earlier versions kept it in plain text instead: they are replaced on activation.
	 */
	sealedSecret?: string;
	/** Each agent the webhook was attached to, with the webhook setting it had before (none: no override). */
	agents: Array<{ agentId: string; previous?: WebhookSetting }>;
}

const KEY = 'registration';

export function storedRegistration(staticData: IDataObject): Registration | undefined {
	const value = staticData[KEY];
	return value && typeof value === 'object' ? (value as unknown as Registration) : undefined;
}

function store(staticData: IDataObject, registration: Registration): void {
	staticData[KEY] = { ...registration } as unknown as IDataObject;
}

/** How many triggers' take-overs of one agent are followed back; more means a loop. */
const MAX_CHAIN = 20;

const webhookSetting = (agent: ElevenLabs.GetAgentResponseModel) =>
	agent.platformSettings?.workspaceOverrides?.webhooks;

/** The registered webhook's secret; none without a registration, or once the API key changed. */
export async function ownSecret(
	ctx: CredentialContext,
	staticData: IDataObject,
): Promise<string | undefined> {
	const registration = storedRegistration(staticData);
	if (!registration?.sealedSecret) return undefined;
	return openSecret(await credentialApiKey(ctx), registration.webhookId, registration.sealedSecret);
}

function chosenEvents(ctx: IHookFunctions): ElevenLabs.WebhookEventType[] {
	return (ctx.getNodeParameter('events', []) as PostCallEvent[])
		.map((event) => AGENT_EVENT[event])
		.filter(Boolean);
}

const sameMembers = (a: string[] = [], b: string[] = []) =>
	a.length === b.length && a.every((event) => b.includes(event));

async function listWebhooks(
	ctx: IHookFunctions,
	connection: ElevenLabsConnection,
): Promise<WorkspaceWebhook[]> {
	return (await listWorkspaceWebhooks(connection, { node: ctx.getNode() })).webhooks;
}

const describeWebhook = (webhook: WorkspaceWebhook) =>
	`"${webhook.name}" (${webhook.webhookUrl}, id ${webhook.webhookId})`;

/** Sets an agent's webhook setting, keeping its other workspace overrides. */
async function setWebhookSetting(
	ctx: IHookFunctions,
	connection: ElevenLabsConnection,
	agent: ElevenLabs.GetAgentResponseModel,
	webhooks: WebhookSetting,
): Promise<void> {
	const overrides = agent.platformSettings?.workspaceOverrides;
	const purpose = { action: `set the post-call webhook of the agent "${agent.agentId}"` };
	await updateAgent(connection, { node: ctx.getNode(), purpose }, agent.agentId, {
		platformSettings: { workspaceOverrides: { ...overrides, webhooks } },
	});
}

/**
 * Whether the stored webhook is still in the workspace, for this URL, its secret readable with
 * the credential, and selected with the chosen events by exactly the chosen agents (each one
 * read, so that a restart repairs an agent someone pointed elsewhere).
 */
export async function registrationExists(
	ctx: IHookFunctions,
	staticData: IDataObject,
): Promise<boolean> {
	const registration = storedRegistration(staticData);
	if (!registration || registration.webhookUrl !== ctx.getNodeWebhookUrl('default')) return false;
	if (!(await ownSecret(ctx, staticData))) return false;
	const chosen = chosenAgents(ctx);
	const attached = registration.agents.map((agent) => agent.agentId);
	if (!sameMembers(chosen, attached)) return false;
	const connection = await elevenLabsClient(ctx);
	const webhooks = await listWebhooks(ctx, connection);
	if (!webhooks.some((webhook) => webhook.webhookId === registration.webhookId)) return false;
	const events = chosenEvents(ctx);
	for (const agentId of chosen) {
		const setting = webhookSetting(await getAgent(connection, { node: ctx.getNode() }, agentId));
		if (setting?.postCallWebhookId !== registration.webhookId) return false;
		if (!sameMembers(setting.events, events)) return false;
	}
	return true;
}

/** The agents that send their events to another webhook of the workspace now. */
function heldElsewhere(
	agents: ElevenLabs.GetAgentResponseModel[],
	webhooks: WorkspaceWebhook[],
): Array<{ agentId: string; webhook: WorkspaceWebhook }> {
	return agents.flatMap((agent) => {
		const id = webhookSetting(agent)?.postCallWebhookId;
		const webhook = id ? webhooks.find((candidate) => candidate.webhookId === id) : undefined;
		return webhook ? [{ agentId: agent.agentId, webhook }] : [];
	});
}

function takenProblem(held: Array<{ agentId: string; webhook: WorkspaceWebhook }>): Problem {
	const which = held
		.map(({ agentId, webhook }) => `"${agentId}" to ${describeWebhook(webhook)}`)
		.join('; ');
	return {
		message: `The agent${held.length > 1 ? 's send' : ' sends'} its post-call events to another webhook already: ${which}`,
		hint: 'Another workflow\'s trigger or your own system receives them. Deactivate that workflow, or remove the webhook from the agent in ElevenLabs (Agent → Advanced → Post-call webhook), and activate again. To move the agent to this trigger anyway, turn on Options → "Take Over From Other Webhooks": the agent then goes back to that webhook when this workflow is deactivated.',
	};
}

/** An error of a failed set-up; when undoing it failed too, the description names what is left. */
function setUpFailed(node: INode, error: unknown, unwound: unknown): Error {
	if (!unwound) return error as Error;
	const failed = error as NodeError;
	const left = unwound as NodeError;
	return toNodeError(node, {
		message: failed.message,
		hint: [
			failed.description,
			`Undoing the set-up failed as well, so this is left at ElevenLabs: ${left.message}.`,
			left.description,
		]
			.filter(Boolean)
			.join(' '),
	});
}

/** The ledger, for what agents had before; a ledger that cannot be used is the user's to fix. */
async function openTriggerLedger(ctx: IHookFunctions): Promise<CallLedger> {
	const opened = await triggerLedger(ctx);
	if (!opened.ok) throw toNodeError(ctx.getNode(), opened);
	return opened.value;
}

/**
 * Creates the webhook and attaches it to the chosen agents, with the chosen events. An agent
 * that sends its events to another webhook is refused unless the trigger may take it over. A
 * failure part-way undoes what was done; what could not be undone is named in the error.
 */
export async function register(ctx: IHookFunctions, staticData: IDataObject): Promise<void> {
	const node = ctx.getNode();
	const agentIds = chosenAgents(ctx);
	if (!agentIds.length) {
		throw toNodeError(node, {
			message:
				'The ElevenLabs credential has no webhook secret, and no agent is chosen for the trigger to set up its own webhook',
			hint: 'Choose the agents whose calls start this workflow under "Agent Names or IDs": the trigger then sets up their post-call webhook itself. Or, with a webhook set up by hand in ElevenLabs, paste its secret into "Webhook Secret" of the "ElevenLabs Agents API" credential.',
		});
	}
	const webhookUrl = productionWebhookUrl(ctx);
	const ledger = await openTriggerLedger(ctx);
	// A registration left from before (another URL, other agents, drift) is undone first.
	await unregister(ctx, staticData);
	const connection = await elevenLabsClient(ctx);
	// Every agent is read, and checked, before anything is created.
	const agents: ElevenLabs.GetAgentResponseModel[] = [];
	for (const agentId of agentIds) agents.push(await getAgent(connection, { node }, agentId));
	const held = heldElsewhere(agents, await listWebhooks(ctx, connection));
	const options = ctx.getNodeParameter('options', {}) as { takeOver?: boolean };
	if (held.length && !options.takeOver) throw toNodeError(node, takenProblem(held));

	const workflow = ctx.getWorkflow();
	const name = `n8n · ${workflow.name ?? workflow.id} · ${node.name}`.slice(0, 200);
	const created = await createWebhook(
		connection,
		{ node },
		{ settings: { authType: 'hmac', name, webhookUrl } },
	);
	if (!created.webhookSecret) {
		await deleteWebhook.attempt(connection, created.webhookId);
		throw toNodeError(node, {
			message: 'ElevenLabs created the webhook without an HMAC secret',
			hint: 'Set the webhook up by hand in ElevenLabs (Settings → Webhooks, authentication HMAC) and paste its secret into the credential.',
		});
	}
	const registration: Registration = {
		webhookId: created.webhookId,
		webhookUrl,
		sealedSecret: sealSecret(await credentialApiKey(ctx), created.webhookId, created.webhookSecret),
		agents: [],
	};
	store(staticData, registration);
	try {
		await turnOnRetries(ctx, connection, created.webhookId, name);
		const events = chosenEvents(ctx);
		for (const agent of agents) {
			const previous = webhookSetting(agent);
			await ledger.recordAgentBefore({
				agentId: agent.agentId,
				webhookId: created.webhookId,
				previous: JSON.stringify(previous ?? {}),
				recordedAt: Date.now(),
			});
			await setWebhookSetting(ctx, connection, agent, {
				...previous,
				postCallWebhookId: created.webhookId,
				events,
			});
			registration.agents.push({ agentId: agent.agentId, ...(previous ? { previous } : {}) });
			store(staticData, registration);
		}
	} catch (error) {
		const unwound = await unregister(ctx, staticData).then(
			() => undefined,
			(failure: unknown) => failure ?? new Error('unknown'),
		);
		throw setUpFailed(node, error, unwound);
	}
}

/**
 * ElevenLabs' retries (5xx, 429, timeouts) for the webhook: with repeats ignored (deliveries.ts),
 * an event sent while n8n restarts arrives later instead of never.
 */
async function turnOnRetries(
	ctx: IHookFunctions,
	connection: ElevenLabsConnection,
	webhookId: string,
	name: string,
): Promise<void> {
	const purpose = { action: `turn on retries for the post-call webhook "${webhookId}"` };
	await updateWebhook(connection, { node: ctx.getNode(), purpose }, webhookId, {
		isDisabled: false,
		name,
		retryEnabled: true,
	});
}

/**
 * The setting to give an agent back: `previous`, or, where it names a webhook that is gone
 * because its trigger was deactivated while this one held the agent, what the agent had
 * before that webhook (the ledger's record), followed back as far as triggers took it over.
 */
async function settingToRestore(
	ledger: CallLedger,
	agentId: string,
	previous: WebhookSetting,
	webhooks: WorkspaceWebhook[],
): Promise<WebhookSetting> {
	let setting = previous;
	for (let hop = 0; hop < MAX_CHAIN; hop++) {
		const id = setting.postCallWebhookId;
		if (!id || webhooks.some((webhook) => webhook.webhookId === id)) return setting;
		const before = await ledger.agentBefore(agentId, id);
		if (!before) return setting;
		setting = JSON.parse(before.previous) as WebhookSetting;
	}
	return setting;
}

/** The ledger when the trigger's parameters name one that can be used, else none. */
async function ledgerIfUsable(ctx: IHookFunctions): Promise<CallLedger | undefined> {
	const opened = await triggerLedger(ctx).catch(() => undefined);
	return opened?.ok ? opened.value : undefined;
}

/**
 * Undoes the registration: every agent gets the webhook setting it had, where it still selects
 * this webhook (a setting someone changed since stays), then the webhook is deleted (an already
 * deleted one is fine). Without a registration in the static data, a webhook for this URL that
 * the ledger knows this trigger attached is undone the same way: n8n drops the static data of
 * an activation that another node of the workflow made fail.
 */
export async function unregister(ctx: IHookFunctions, staticData: IDataObject): Promise<void> {
	const registration = storedRegistration(staticData);
	const ledger = await ledgerIfUsable(ctx);
	if (!registration && !ledger) return;
	const connection = await elevenLabsClient(ctx);
	const listed = await listWorkspaceWebhooks.attempt(connection);
	const webhooks = listed.ok ? listed.value.webhooks : [];
	const undo = { ctx, connection, ledger, webhooks };
	if (registration) {
		await undoRegistration(undo, registration, (left) => store(staticData, left));
		delete staticData[KEY];
		return;
	}
	for (const forgotten of await forgottenRegistrations(ctx, ledger!, webhooks)) {
		await undoRegistration(undo, forgotten, () => undefined);
	}
}

/** Webhooks for this trigger's URL that the ledger says it attached to chosen agents. */
async function forgottenRegistrations(
	ctx: IHookFunctions,
	ledger: CallLedger,
	webhooks: WorkspaceWebhook[],
): Promise<Registration[]> {
	const url = ctx.getNodeWebhookUrl('default');
	const found: Registration[] = [];
	for (const webhook of webhooks.filter((candidate) => candidate.webhookUrl === url)) {
		const agents: Registration['agents'] = [];
		for (const agentId of chosenAgents(ctx)) {
			const before = await ledger.agentBefore(agentId, webhook.webhookId);
			if (before) agents.push({ agentId, previous: JSON.parse(before.previous) as WebhookSetting });
		}
		if (agents.length)
			found.push({ webhookId: webhook.webhookId, webhookUrl: webhook.webhookUrl, agents });
	}
	return found;
}

interface Undo {
	ctx: IHookFunctions;
	connection: ElevenLabsConnection;
	ledger?: CallLedger;
	webhooks: WorkspaceWebhook[];
}

/**
 * An agent that cannot be read (other than deleted) keeps the webhook alive and is named in
 * the error, so that deactivating again finishes the job; `progress` keeps what is left.
 */
async function undoRegistration(
	{ ctx, connection, ledger, webhooks }: Undo,
	registration: Registration,
	progress: (left: Registration) => void,
): Promise<void> {
	const unread: string[] = [];
	for (const { agentId, previous } of [...registration.agents]) {
		const read = await getAgent.attempt(connection, agentId);
		if (!read.ok && read.failure.status !== 404) {
			unread.push(`"${agentId}" (ElevenLabs answered ${read.failure.status ?? 'nothing'})`);
			continue;
		}
		// An agent deleted meanwhile has nothing to give back.
		if (read.ok && webhookSetting(read.value)?.postCallWebhookId === registration.webhookId) {
			const restore = ledger
				? await settingToRestore(ledger, agentId, previous ?? {}, webhooks)
				: (previous ?? {});
			await setWebhookSetting(ctx, connection, read.value, restore);
		}
		registration.agents = registration.agents.filter((agent) => agent.agentId !== agentId);
		progress(registration);
	}
	if (unread.length) {
		throw toNodeError(ctx.getNode(), {
			message: `The agent${unread.length > 1 ? 's' : ''} ${unread.join(', ')} could not be read, so ${unread.length > 1 ? 'they' : 'it'} may still send post-call events to the webhook "${registration.webhookId}" (${registration.webhookUrl})`,
			hint: 'The webhook is kept, so that no event is lost. Deactivate or activate the workflow again once ElevenLabs answers, or set the post-call webhook of those agents in ElevenLabs (Agent → Advanced) and delete the webhook in Settings → Webhooks.',
		});
	}
	const removed = await deleteWebhook.attempt(connection, registration.webhookId);
	if (!removed.ok && removed.failure.status !== 404) {
		throw toNodeError(ctx.getNode(), {
			message: `The post-call webhook "${registration.webhookId}" could not be deleted`,
			hint: `ElevenLabs answered ${removed.failure.status ?? 'nothing'}${removed.failure.detail ? `: ${removed.failure.detail}` : ''}. The agents have their earlier webhook settings back; delete the webhook in ElevenLabs → Settings → Webhooks, or deactivate again.`,
		});
	}
}
