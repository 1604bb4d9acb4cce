/**
 * The candidate's mailbox: a call to a voicemail number reaches it, and the agent's voicemail tool
 * (`built_in_tools.voicemail_detection`) behaves as ElevenLabs documents it: with a
 * `voicemail_message` the agent speaks that message (dynamic variables filled in) and ends the
 * call; without one the call ends at once. The mailbox keeps every message it got. An agent
 * without the tool talks to the mailbox as to a person (its first message), and nothing useful is
 * left.
 */
import type { RouteContext, RouteModule } from './context';
import { conversationStore } from './conversations';
import type { ConversationRecord } from './conversations';
import { ADMIN_PREFIX } from './routes/admin';
import type { AgentModel } from './state';
import { moduleRecords } from './state';
import { renderVariables } from './transcripts';

/** One message a mailbox got. */
export interface MailboxMessage {
	/** The mailbox's number (the dialled number), E.164. */
	number: string;
	conversationId: string;
	agentId: string;
	/** The agent's number the call came from. */
	from: string;
	message: string;
	/** Sandbox clock, ms. */
	leftAtMs: number;
}

/** The agent's voicemail tool: on (with its message, '' for none) or undefined when off. */
export function voicemailToolOf(agent: AgentModel | undefined): { message: string } | undefined {
	const tool = agent?.conversationConfig?.agent?.prompt?.builtInTools?.voicemailDetection;
	if (!tool || tool.params.systemToolType !== 'voicemail_detection') return undefined;
	return { message: tool.params.voicemailMessage ?? '' };
}

const MAILBOX = 'mailbox';

/** Every message the sandbox's mailboxes got, oldest first; `number` for one mailbox. */
export function mailboxMessages(
	holder: Pick<RouteContext, 'state'>,
	number?: string,
): MailboxMessage[] {
	const all = [...moduleRecords<MailboxMessage>(holder, MAILBOX).values()];
	return number ? all.filter((entry) => entry.number === number) : all;
}

/** What the tool did in this conversation, decided when the agent hears the mailbox. */
function detect(ctx: RouteContext, record: ConversationRecord): void {
	const agent = ctx.state.agents.get(record.agentId)?.agent;
	const tool = voicemailToolOf(agent);
	if (!tool) return;
	const variables = {
		...((record.clientData?.dynamicVariables as Record<string, unknown> | undefined) ?? {}),
		system__agent_id: record.agentId,
		system__conversation_id: record.conversationId,
		system__called_number: record.phoneCall?.externalNumber,
		system__caller_id: record.phoneCall?.agentNumber,
	};
	const message = renderVariables(tool.message, variables).trim();
	record.voicemail = { message };
	if (!message) return;
	moduleRecords<MailboxMessage>(ctx, MAILBOX).set(record.conversationId, {
		number: record.phoneCall?.externalNumber ?? '',
		conversationId: record.conversationId,
		agentId: record.agentId,
		from: record.phoneCall?.agentNumber ?? '',
		message,
		leftAtMs: ctx.clock.now(),
	});
}

const followed = new WeakSet<object>();

function follow(ctx: RouteContext): void {
	const store = conversationStore(ctx);
	if (followed.has(store)) return;
	followed.add(store);
	store.onChange((record, previous) => {
		if (
			record.status === 'in-progress' &&
			previous !== 'in-progress' &&
			record.callResult === 'voicemail'
		)
			detect(ctx, record);
	});
}

export const mailboxRoutes: RouteModule = (app, ctx) => {
	// As for the post-call webhooks: the call-placing request subscribes before its conversation exists.
	app.addHook('onRequest', async () => follow(ctx));
	app.get<{ Querystring: { number?: string } }>(`${ADMIN_PREFIX}/mailbox`, async (request) => ({
		messages: mailboxMessages(ctx, request.query.number),
	}));
};
