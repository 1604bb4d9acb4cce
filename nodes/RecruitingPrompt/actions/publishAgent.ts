/**
 * Publish's writes to ElevenLabs, in the order that never leaves a half-published agent or an
 * orphaned document: upload the new knowledge-base document, patch the agent once, delete the
 * package's earlier documents last. A failure before the patch has taken effect deletes the
 * just-uploaded document again, so the workspace is as it was.
 */
import type { ElevenLabs } from '@elevenlabs/elevenlabs-js';
import type { IExecuteFunctions, NodeApiError } from 'n8n-workflow';

import {
	createTextDocument,
	deleteDocument,
	getAgent,
	listKnowledgeBase,
	updateAgent,
} from '../../shared/vendors/elevenLabsApi';
import type { ElevenLabsConnection } from '../../shared/vendors/elevenLabsClient';
import type { At, Purpose } from '../../shared/vendors/endpoint';
import { listing } from '../helpers/wording';
import type { PublishPlan } from '../helpers/publishPlan';

const NO_WRITE_ACCESS =
	'The API key may read the agent but not change it. In ElevenLabs → Settings → API Keys, give the key write access to ElevenAgents (agents and knowledge base), or use a key that has it. The agent was left as it was.';

export interface PublishTarget {
	ctx: IExecuteFunctions;
	connection: ElevenLabsConnection;
	agentId: string;
	itemIndex: number;
}

export interface PublishResult {
	knowledgeBaseDocumentId: string | null;
	/** Earlier documents that stay because other agents still use them. */
	warnings: string[];
}

/** Where a request of the publish is made, for its error: the node and the item. */
function at(target: PublishTarget, purpose?: Purpose): At {
	return { node: target.ctx.getNode(), itemIndex: target.itemIndex, purpose };
}

/** The agent as ElevenLabs returns it; unknown agents and foreign workspaces say which id failed. */
export async function loadAgent(target: PublishTarget): Promise<ElevenLabs.GetAgentResponseModel> {
	return await getAgent(target.connection, at(target), target.agentId);
}

async function upload(
	target: PublishTarget,
	document: { name: string; text: string },
): Promise<string> {
	const tooLong = `The knowledge base has ${document.text.length} characters, more than ElevenLabs accepts for one document. Shorten the knowledge-base template or the long job details (e.g. jobDescription, benefits). The agent was left as it was.`;
	const unanswered =
		'ElevenLabs did not confirm the upload (server error). The agent was left as it was. Publishing again is safe: a document ElevenLabs stored anyway is attached then, not uploaded a second time.';
	const context = {
		action: 'upload the knowledge base',
		hints: { max_character_limit_exceeded: tooLong },
		statusHints: {
			403: NO_WRITE_ACCESS,
			413: tooLong,
			500: unanswered,
			502: unanswered,
			503: unanswered,
			504: unanswered,
		},
	};
	const created = await createTextDocument(target.connection, at(target, context), document);
	return created.id;
}

/**
 * A document of exactly this name already in the workspace: the same company, job and text (the
 * name ends in the text's hash). It is there when an upload's answer was lost after ElevenLabs had
 * stored it, or when another agent was set up with the same job; it is attached instead of a copy.
 */
async function existingDocument(target: PublishTarget, name: string): Promise<string | undefined> {
	const context = {
		action: 'look up the knowledge base documents',
		statusHints: { 403: NO_WRITE_ACCESS },
	};
	const page = await listKnowledgeBase(target.connection, at(target, context), {
		search: name,
		pageSize: 10,
	});
	return page.documents.find((document) => document.name === name)?.id;
}

/** Deletes a document; a failure is returned (as text), not thrown, since the caller is already handling one. */
async function removeDocument(target: PublishTarget, id: string): Promise<string | undefined> {
	const removed = await deleteDocument.attempt(target.connection, id);
	if (removed.ok) return undefined;
	const f = removed.failure;
	return `${f.status ? `HTTP ${f.status}` : 'no answer'}${f.code ? ` ${f.code}` : ''}${f.detail ? `: ${f.detail}` : ''}`;
}

/** The answer ids of a 422 that ElevenLabs refused, among those the update sends. */
function refusedAnswerIds(
	detail: string,
	update: ElevenLabs.conversationalAi.UpdateAgentRequest,
): string[] {
	const ids = Object.keys(update.platformSettings?.dataCollection ?? {});
	return ids.filter((id) => detail.includes(`data_collection.${id}`));
}

/** Sends the update; returns the error to throw when ElevenLabs refused it (the caller cleans up first). */
async function patch(
	target: PublishTarget,
	update: ElevenLabs.conversationalAi.UpdateAgentRequest,
): Promise<NodeApiError | undefined> {
	const patched = await updateAgent.attempt(target.connection, target.agentId, update);
	if (patched.ok) return undefined;
	const f = patched.failure;
	const refused = f.status === 422 ? refusedAnswerIds(f.detail, update) : [];
	const statusHints: Record<number, string> = { 403: NO_WRITE_ACCESS };
	if (refused.length) {
		statusHints[422] = `ElevenLabs does not accept ${listing(refused.map((id) => `"${id}"`))} as ${refused.length > 1 ? 'answer ids' : 'an answer id'}. Rename ${refused.length > 1 ? 'them' : 'it'} under Answers to Collect (letters, digits, _ and -, e.g. salary_expectation). The agent was left as it was.`;
	}
	const purpose = { action: `update the agent "${target.agentId}"`, statusHints };
	return updateAgent.error(at(target, purpose), f, target.agentId, update);
}

/**
 * Carries out a plan: at most one upload (none when the document is already in the workspace),
 * one update, and the deletes of the documents the update detached. Writes nothing when the plan changes nothing.
 */
export async function applyPlan(target: PublishTarget, plan: PublishPlan): Promise<PublishResult> {
	const warnings: string[] = [];
	const foundId = plan.upload ? await existingDocument(target, plan.upload.name) : undefined;
	const uploadedId = plan.upload && !foundId ? await upload(target, plan.upload) : undefined;
	const documentId = foundId ?? uploadedId;
	const update = plan.update(documentId);
	const refused = update ? await patch(target, update) : undefined;
	if (refused) {
		// Without force, ElevenLabs refuses to delete a document an agent uses: should the update
		// have taken effect after all (no answer), the document stays where the agent needs it.
		// A document that was there before stays too.
		if (uploadedId) {
			const left = await removeDocument(target, uploadedId);
			// Only when even the clean-up failed does the user have something to tidy up.
			if (left) {
				refused.description =
					`${refused.description ?? ''}\nThe new knowledge-base document "${plan.upload!.name}" (${uploadedId}) could not be deleted again (${left}); delete it in ElevenLabs → Knowledge Base.`.trim();
			}
		}
		throw refused;
	}
	for (const document of plan.removedDocuments) {
		const left = await removeDocument(target, document.id);
		// Documents are workspace-wide: one that another agent still uses stays for that agent.
		if (left)
			warnings.push(
				`The earlier knowledge-base document "${document.name}" (${document.id}) was detached but not deleted (${left}).`,
			);
	}
	return { knowledgeBaseDocumentId: documentId ?? plan.keptDocument?.id ?? null, warnings };
}
