/**
 * Every ElevenLabs endpoint the package calls, each one named function: its SDK call, what a
 * failure says, and `ONCE` where it is never retried (it dials, or writes what a repeat would
 * duplicate). Call `fn(connection, { node, itemIndex }, …)`, or `fn.attempt(connection, …)`
 * to decide by the failure. The surface:
 *
 * conversations   getConversation, listConversations, deleteConversation,
 *                 getConversationAudio, getSignedUrl, getWebrtcToken
 * agents          getAgent, listAgents, updateAgent (once), getLiveCount
 * phone numbers   getPhoneNumber, listPhoneNumbers
 * calls (once)    outboundCallTwilio, outboundCallSipTrunk, registerTwilioCall
 * campaigns       getBatchCall, listBatchCalls, submitBatchCall and cancelBatchCall (once)
 * knowledge base  listKnowledgeBase, createTextDocument and deleteDocument (once)
 * workspace       listWebhooks, createWebhook, updateWebhook and deleteWebhook (once),
 *                 getSettings, updateSettings (once)
 */
import type { ElevenLabs, ElevenLabsClient } from '@elevenlabs/elevenlabs-js';

import { endpointsOf } from './endpoint';
import { elevenLabsFailure } from './errors';

const endpoint = endpointsOf<ElevenLabsClient>('ElevenLabs', elevenLabsFailure);

/**
 * Sent once: the SDK retries every method, POST and PATCH included, on 408/429/5xx and
 * timeouts; a retried dial can ring a person twice, a retried create leaves a second object.
 */
const ONCE = { maxRetries: 0 };

/** What a 404 for an agent means: most often the key belongs to another workspace. */
function agentNotFoundHint(agentId: string): string {
	return `No agent "${agentId}" in the workspace of this API key. Pick the agent from the list, or use a key of the workspace the agent belongs to.`;
}

/** One object read by id; a 404 (ElevenLabs: document_not_found) says that id is unknown. */
function readById(action: string, unknown: string) {
	return { action, hints: { document_not_found: unknown }, statusHints: { 404: unknown } };
}

/** A request about one conversation, with a 404 that names the id. */
function aboutConversation(verb: string, conversationId: string) {
	return {
		action: `${verb} conversation ${conversationId}`,
		statusHints: {
			404: `There is no conversation "${conversationId}" in this ElevenLabs workspace (or it was deleted). Check the ID, and that the credential's API key belongs to the workspace of the agent that placed the call.`,
		},
	};
}

/** A link or token for the browser, issued for an agent. */
function issueFor(what: string, agentId: string) {
	return {
		action: `issue ${what} for agent ${agentId}`,
		statusHints: { 404: agentNotFoundHint(agentId) },
	};
}

// Conversations

export const getConversation = endpoint({
	context: (conversationId: string) => aboutConversation('get', conversationId),
	send: (client: ElevenLabsClient, conversationId: string) =>
		client.conversationalAi.conversations.get(conversationId),
});

export const listConversations = endpoint({
	context: () => ({ action: 'list the conversations' }),
	send: (client: ElevenLabsClient, request: ElevenLabs.conversationalAi.ConversationsListRequest) =>
		client.conversationalAi.conversations.list(request),
});

export const deleteConversation = endpoint({
	context: (conversationId: string) => aboutConversation('delete', conversationId),
	send: (client: ElevenLabsClient, conversationId: string) =>
		client.conversationalAi.conversations.delete(conversationId),
});

/** The recording as a web stream, with the response headers (its content type). */
export const getConversationAudio = endpoint({
	context: (conversationId: string) => ({
		action: `download the audio of conversation ${conversationId}`,
	}),
	send: (client: ElevenLabsClient, conversationId: string) =>
		client.conversationalAi.conversations.audio.get(conversationId).withRawResponse(),
});

export const getSignedUrl = endpoint({
	context: (request: ElevenLabs.conversationalAi.ConversationsGetSignedUrlRequest) =>
		issueFor('a signed URL', request.agentId),
	send: (
		client: ElevenLabsClient,
		request: ElevenLabs.conversationalAi.ConversationsGetSignedUrlRequest,
	) => client.conversationalAi.conversations.getSignedUrl(request),
});

export const getWebrtcToken = endpoint({
	context: (request: ElevenLabs.conversationalAi.ConversationsGetWebrtcTokenRequest) =>
		issueFor('a conversation token', request.agentId),
	send: (
		client: ElevenLabsClient,
		request: ElevenLabs.conversationalAi.ConversationsGetWebrtcTokenRequest,
	) => client.conversationalAi.conversations.getWebrtcToken(request),
});

// Agents and phone numbers

export const getAgent = endpoint({
	context: (agentId: string) => readById(`load the agent "${agentId}"`, agentNotFoundHint(agentId)),
	send: (client: ElevenLabsClient, agentId: string) => client.conversationalAi.agents.get(agentId),
});

export const listAgents = endpoint({
	context: () => ({ action: 'list the agents' }),
	send: (client: ElevenLabsClient, request: ElevenLabs.conversationalAi.AgentsListRequest) =>
		client.conversationalAi.agents.list(request),
});

export const updateAgent = endpoint({
	context: (...[agentId]: [string, unknown]) => ({ action: `update the agent "${agentId}"` }),
	send: (
		client: ElevenLabsClient,
		agentId: string,
		update: ElevenLabs.conversationalAi.UpdateAgentRequest,
	) => client.conversationalAi.agents.update(agentId, update, ONCE),
});

/** How many of the agent's conversations are running now. */
export const getLiveCount = endpoint({
	context: () => ({ action: "count the agent's running calls" }),
	send: (client: ElevenLabsClient, agentId: string) =>
		client.conversationalAi.analytics.liveCount.get({ agentId }),
});

export const getPhoneNumber = endpoint({
	context: (phoneNumberId: string) =>
		readById(
			`load the agent phone number "${phoneNumberId}"`,
			`No phone number "${phoneNumberId}" in the workspace of this API key. Pick the number from the list (ElevenLabs → Phone Numbers), or use a key of that workspace.`,
		),
	send: (client: ElevenLabsClient, phoneNumberId: string) =>
		client.conversationalAi.phoneNumbers.get(phoneNumberId),
});

export const listPhoneNumbers = endpoint({
	context: () => ({ action: 'list the phone numbers' }),
	send: (client: ElevenLabsClient) => client.conversationalAi.phoneNumbers.list(),
});

// Calls: each places one, so each is sent once

export const outboundCallTwilio = endpoint({
	context: () => ({ action: 'place the call' }),
	send: (
		client: ElevenLabsClient,
		request: ElevenLabs.conversationalAi.BodyHandleAnOutboundCallViaTwilioV1ConvaiTwilioOutboundCallPost,
	) => client.conversationalAi.twilio.outboundCall(request, ONCE),
});

export const outboundCallSipTrunk = endpoint({
	context: () => ({ action: 'place the call' }),
	send: (
		client: ElevenLabsClient,
		request: ElevenLabs.conversationalAi.BodyHandleAnOutboundCallViaSipTrunkV1ConvaiSipTrunkOutboundCallPost,
	) => client.conversationalAi.sipTrunk.outboundCall(request, ONCE),
});

/** The TwiML that connects a call the team's own Twilio places to the agent; it dials nobody. */
export const registerTwilioCall = endpoint({
	context: () => ({ action: 'register the call with the agent' }),
	send: (
		client: ElevenLabsClient,
		request: ElevenLabs.conversationalAi.BodyRegisterATwilioCallAndReturnTwiMlV1ConvaiTwilioRegisterCallPost,
	) => client.conversationalAi.twilio.registerCall(request, ONCE),
});

// Campaigns (batch calls)

export const getBatchCall = endpoint({
	context: () => ({ action: 'load the campaign' }),
	send: (client: ElevenLabsClient, batchId: string) =>
		client.conversationalAi.batchCalls.get(batchId),
});

export const listBatchCalls = endpoint({
	context: () => ({ action: 'list the campaigns' }),
	send: (client: ElevenLabsClient, request: ElevenLabs.conversationalAi.BatchCallsListRequest) =>
		client.conversationalAi.batchCalls.list(request),
});

export const submitBatchCall = endpoint({
	context: () => ({ action: 'submit the campaign' }),
	send: (
		client: ElevenLabsClient,
		request: ElevenLabs.conversationalAi.BodySubmitABatchCallRequestV1ConvaiBatchCallingSubmitPost,
	) => client.conversationalAi.batchCalls.create(request, ONCE),
});

export const cancelBatchCall = endpoint({
	context: () => ({ action: 'cancel the campaign' }),
	send: (client: ElevenLabsClient, batchId: string) =>
		client.conversationalAi.batchCalls.cancel(batchId, ONCE),
});

// Knowledge base

export const listKnowledgeBase = endpoint({
	context: () => ({ action: 'look up the knowledge base documents' }),
	send: (client: ElevenLabsClient, request: ElevenLabs.conversationalAi.KnowledgeBaseListRequest) =>
		client.conversationalAi.knowledgeBase.list(request),
});

export const createTextDocument = endpoint({
	context: () => ({ action: 'upload the knowledge base' }),
	send: (client: ElevenLabsClient, document: { name: string; text: string }) =>
		client.conversationalAi.knowledgeBase.documents.createFromText(document, ONCE),
});

export const deleteDocument = endpoint({
	context: (documentId: string) => ({
		action: `delete the knowledge base document "${documentId}"`,
	}),
	send: (client: ElevenLabsClient, documentId: string) =>
		client.conversationalAi.knowledgeBase.documents.delete(documentId, {}, ONCE),
});

// Workspace: webhooks and the agents platform's settings

export const listWebhooks = endpoint({
	context: () => ({ action: 'list the workspace webhooks' }),
	send: (client: ElevenLabsClient) => client.webhooks.list(),
});

export const createWebhook = endpoint({
	context: () => ({ action: 'create the post-call webhook' }),
	send: (
		client: ElevenLabsClient,
		request: ElevenLabs.BodyCreateWorkspaceWebhookV1WorkspaceWebhooksPost,
	) => client.webhooks.create(request, ONCE),
});

export const updateWebhook = endpoint({
	context: (...[webhookId]: [string, unknown]) => ({ action: `update the webhook "${webhookId}"` }),
	send: (
		client: ElevenLabsClient,
		webhookId: string,
		update: ElevenLabs.BodyUpdateWorkspaceWebhookV1WorkspaceWebhooksWebhookIdPatch,
	) => client.webhooks.update(webhookId, update, ONCE),
});

export const deleteWebhook = endpoint({
	context: (webhookId: string) => ({ action: `delete the webhook "${webhookId}"` }),
	send: (client: ElevenLabsClient, webhookId: string) => client.webhooks.delete(webhookId, ONCE),
});

export const getSettings = endpoint({
	context: () => ({ action: 'read the workspace settings of the agents platform' }),
	send: (client: ElevenLabsClient) => client.conversationalAi.settings.get(),
});

export const updateSettings = endpoint({
	context: () => ({ action: 'change the workspace settings of the agents platform' }),
	send: (
		client: ElevenLabsClient,
		update: ElevenLabs.conversationalAi.PatchConvAiSettingsRequest,
	) => client.conversationalAi.settings.update(update, ONCE),
});
