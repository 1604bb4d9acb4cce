/**
 * Publish's comparison: the agent as ElevenLabs returns it, against the state a template set asks
 * for, gives the changes and the one minimal update (`PATCH /v1/convai/agents/{id}`). The API
 * replaces lists and the data-collection map as a whole, so they are merged here and written
 * back complete: the user's own knowledge-base documents, answers, criteria, override toggles
 * and placeholders stay as they are; only this package's own entries are added or changed.
 */
import type { ElevenLabs } from '@elevenlabs/elevenlabs-js';

import type { AnswerField, Criterion } from './publishAnswers';
import { planPrivacy } from './publishPrivacy';
import type { DesiredPrivacy } from './publishPrivacy';

export interface DesiredState {
	systemPrompt: string;
	firstMessage: string;
	/** What the agent's voicemail tool leaves on a mailbox; undefined when the set has none. */
	voicemailMessage?: string;
	language: string;
	/** The knowledge base as a document (name and text); undefined when the set has none. */
	knowledgeBase?: { name: string; text: string };
	/** Whether a document name is one this package published for the same company and job. */
	isOurDocument(name: string): boolean;
	answers: Record<string, AnswerField>;
	criteria: Criterion[];
	/** Sample values of the call variables for the dashboard's test calls; set when absent. */
	placeholders: Record<string, string>;
	/** Retention, voice recording and redaction; undefined leaves the agent's privacy as it is. */
	privacy?: DesiredPrivacy;
	/** The language of summaries and analysis; undefined leaves it as it is. */
	summaryLanguage?: string;
}

/** What a publish can change, in the order the output lists it. */
export const CHANGES = [
	'knowledgeBase',
	'prompt',
	'firstMessage',
	'voicemail',
	'language',
	'voiceModel',
	'dataCollection',
	'evaluationCriteria',
	'overrides',
	'dynamicVariablePlaceholders',
	'privacy',
	'summaryLanguage',
] as const;
export type Change = (typeof CHANGES)[number];

type UpdateAgentRequest = ElevenLabs.conversationalAi.UpdateAgentRequest;
type Locator = ElevenLabs.KnowledgeBaseLocator;

export interface PublishPlan {
	changed: Change[];
	/** The document to upload before the update (none when ours is there with the same text). */
	upload?: { name: string; text: string };
	/** Our document that is already on the agent with this text. */
	keptDocument?: Locator;
	/** Our earlier documents for this company and job: the update detaches them, then they are deleted. */
	removedDocuments: Locator[];
	/** Per change, what it is (before / after, or what is added, updated, removed). */
	diff: Partial<Record<Change, Record<string, unknown>>>;
	/** The update to send, with the uploaded document's id; undefined when nothing changes. */
	update(uploadedDocumentId?: string): UpdateAgentRequest | undefined;
}

/** The voice model a language needs: English-only models have a multilingual v2_5 sibling. */
const MULTILINGUAL: Record<string, ElevenLabs.TtsConversationalModel> = {
	eleven_turbo_v2: 'eleven_turbo_v2_5',
	eleven_flash_v2: 'eleven_flash_v2_5',
};

export function voiceModelFor(
	language: string,
	model: ElevenLabs.TtsConversationalModel | undefined,
) {
	if (!model || language.toLowerCase().startsWith('en')) return model;
	return MULTILINGUAL[model] ?? model;
}

/** Whether a stored answer is exactly ours: same type and description, no other value source. */
function sameAnswer(have: ElevenLabs.AnalysisProperty, want: AnswerField): boolean {
	return (
		have.type === want.type &&
		have.description === want.description &&
		have.dynamicVariable === undefined &&
		have.constantValue === undefined &&
		!have.isSystemProvided &&
		!have.isOmitted
	);
}

function planAnswers(
	existing: Record<string, ElevenLabs.AnalysisProperty>,
	wanted: Record<string, AnswerField>,
) {
	const next: Record<string, ElevenLabs.AnalysisProperty> = { ...existing };
	const add: string[] = [];
	const update: string[] = [];
	for (const [id, field] of Object.entries(wanted)) {
		const have = existing[id];
		if (have && sameAnswer(have, field)) continue;
		(have ? update : add).push(id);
		// The user's choice of analysis model for the field stays.
		next[id] = {
			type: field.type,
			description: field.description,
			...(have?.llm ? { llm: have.llm } : {}),
		};
	}
	return { next, add, update };
}

function planCriteria(existing: ElevenLabs.PromptEvaluationCriteria[], wanted: Criterion[]) {
	const byId = new Map(wanted.map((criterion) => [criterion.id, criterion]));
	const update: string[] = [];
	const next = existing.map((have) => {
		const want = byId.get(have.id);
		if (
			!want ||
			(have.name === want.name && have.conversationGoalPrompt === want.conversationGoalPrompt)
		)
			return have;
		update.push(have.id);
		return {
			...have,
			name: want.name,
			type: want.type,
			conversationGoalPrompt: want.conversationGoalPrompt,
		};
	});
	const add = wanted.filter((want) => !existing.some((have) => have.id === want.id));
	return { next: [...next, ...add], add: add.map((criterion) => criterion.id), update };
}

type Toggle = 'prompt' | 'firstMessage' | 'language';

function togglesToEnable(agent: ElevenLabs.GetAgentResponseModel): Toggle[] {
	const toggles = agent.platformSettings?.overrides?.conversationConfigOverride?.agent;
	const enable: Toggle[] = [];
	if (!toggles?.prompt?.prompt) enable.push('prompt');
	if (!toggles?.firstMessage) enable.push('firstMessage');
	if (!toggles?.language) enable.push('language');
	return enable;
}

const VOICEMAIL_TOOL = 'voicemail_detection';

/** The message of the agent's voicemail tool; null when the tool is off, '' when it has none. */
function voicemailMessageOf(agent: ElevenLabs.GetAgentResponseModel): string | null {
	const tool = agent.conversationConfig.agent?.prompt?.builtInTools?.voicemailDetection;
	if (!tool || tool.params.systemToolType !== VOICEMAIL_TOOL) return null;
	return tool.params.voicemailMessage ?? '';
}

/** The agent's voicemail tool, switched on with the message (the tool's other settings kept). */
function voicemailTool(
	agent: ElevenLabs.GetAgentResponseModel,
	message: string,
): ElevenLabs.SystemToolConfigInput {
	const current = agent.conversationConfig.agent?.prompt?.builtInTools?.voicemailDetection;
	return {
		...(current as ElevenLabs.SystemToolConfigInput | undefined),
		type: 'system',
		name: current?.name ?? VOICEMAIL_TOOL,
		params: { systemToolType: VOICEMAIL_TOOL, voicemailMessage: message },
	};
}

/** The agent's dynamic-variable placeholders (typed `unknown` in the SDK: the wire form). */
function placeholdersOf(agent: ElevenLabs.GetAgentResponseModel): Record<string, unknown> {
	const config = agent.conversationConfig.agent?.dynamicVariables as
		| { dynamic_variable_placeholders?: unknown }
		| undefined;
	const placeholders = config?.dynamic_variable_placeholders;
	return placeholders && typeof placeholders === 'object'
		? (placeholders as Record<string, unknown>)
		: {};
}

/** Our document on the agent, kept when its text is the same; else uploaded anew, earlier versions dropped. */
function planDocuments(agent: ElevenLabs.GetAgentResponseModel, desired: DesiredState) {
	const all = agent.conversationConfig.agent?.prompt?.knowledgeBase ?? [];
	const ours = all.filter((locator) => desired.isOurDocument(locator.name));
	const wanted = desired.knowledgeBase;
	const kept = wanted ? ours.find((locator) => locator.name === wanted.name) : undefined;
	const removed = ours.filter((locator) => locator !== kept);
	const upload = wanted && !kept ? wanted : undefined;
	return { all, kept, removed, upload };
}

/** What the agent has against what the set asks for, part by part; the diff and the update read it. */
interface Comparison {
	agent: ElevenLabs.GetAgentResponseModel;
	desired: DesiredState;
	documents: ReturnType<typeof planDocuments>;
	voiceModel: ElevenLabs.TtsConversationalModel | undefined;
	answers: ReturnType<typeof planAnswers>;
	criteria: ReturnType<typeof planCriteria>;
	placeholders: Record<string, unknown>;
	/** The desired placeholders the agent has none for yet. */
	newPlaceholders: string[];
	privacy?: ReturnType<typeof planPrivacy>;
}

function compare(agent: ElevenLabs.GetAgentResponseModel, desired: DesiredState): Comparison {
	const placeholders = placeholdersOf(agent);
	return {
		agent,
		desired,
		documents: planDocuments(agent, desired),
		voiceModel: voiceModelFor(desired.language, agent.conversationConfig.tts?.modelId),
		answers: planAnswers(agent.platformSettings?.dataCollection ?? {}, desired.answers),
		criteria: planCriteria(agent.platformSettings?.evaluation?.criteria ?? [], desired.criteria),
		placeholders,
		newPlaceholders: Object.keys(desired.placeholders).filter((name) => !(name in placeholders)),
		privacy: desired.privacy
			? planPrivacy(agent.platformSettings?.privacy, desired.privacy)
			: undefined,
	};
}

/** The changes of the agent's conversation: knowledge base, texts, voicemail, voice model. */
function conversationDiff({ agent, desired, documents, voiceModel }: Comparison) {
	const diff: PublishPlan['diff'] = {};
	if (documents.upload || documents.removed.length) {
		const { upload } = documents;
		diff.knowledgeBase = {
			...(upload ? { upload: upload.name, characters: upload.text.length } : {}),
			remove: documents.removed.map((locator) => locator.name),
		};
	}
	const own = agent.conversationConfig.agent;
	const texts: Array<[Change, string, string]> = [
		['prompt', own?.prompt?.prompt ?? '', desired.systemPrompt],
		['firstMessage', own?.firstMessage ?? '', desired.firstMessage],
		['language', own?.language ?? 'en', desired.language],
	];
	for (const [change, before, after] of texts)
		if (before !== after) diff[change] = { before, after };

	const voicemailBefore = voicemailMessageOf(agent);
	if (desired.voicemailMessage && voicemailBefore !== desired.voicemailMessage)
		diff.voicemail = { before: voicemailBefore, after: desired.voicemailMessage };

	const model = agent.conversationConfig.tts?.modelId;
	if (voiceModel !== model) diff.voiceModel = { before: model, after: voiceModel };
	return diff;
}

/** The changes of the agent's analysis and settings: answers, criteria, toggles, privacy, … */
function platformDiff(comparison: Comparison) {
	const { agent, desired, answers, criteria, newPlaceholders, privacy } = comparison;
	const diff: PublishPlan['diff'] = {};
	if (answers.add.length || answers.update.length)
		diff.dataCollection = { add: answers.add, update: answers.update };
	if (criteria.add.length || criteria.update.length)
		diff.evaluationCriteria = { add: criteria.add, update: criteria.update };
	const enable = togglesToEnable(agent);
	if (enable.length) diff.overrides = { enable };
	if (newPlaceholders.length) diff.dynamicVariablePlaceholders = { add: newPlaceholders };
	if (privacy?.diff) diff.privacy = privacy.diff;
	const summaryLanguage = agent.platformSettings?.summaryLanguage;
	if (desired.summaryLanguage && summaryLanguage !== desired.summaryLanguage) {
		diff.summaryLanguage = { before: summaryLanguage, after: desired.summaryLanguage };
	}
	return diff;
}

/** The agent's prompt part of the update: knowledge base, prompt text, voicemail tool. */
function promptUpdate(
	{ agent, desired, documents }: Comparison,
	diff: PublishPlan['diff'],
	uploadedDocumentId?: string,
): ElevenLabs.PromptAgentApiModelOutput {
	const prompt: ElevenLabs.PromptAgentApiModelOutput = {};
	if (diff.knowledgeBase) {
		const { upload } = documents;
		prompt.knowledgeBase = [
			...documents.all.filter((locator) => !documents.removed.includes(locator)),
			...(upload
				? [
						{
							type: 'text' as const,
							name: upload.name,
							id: uploadedDocumentId!,
							usageMode: 'prompt' as const,
						},
					]
				: []),
		];
	}
	if (diff.prompt) prompt.prompt = desired.systemPrompt;
	if (diff.voicemail) {
		// The agent's other built-in tools (end call, transfer, …) are sent along unchanged.
		const tools = agent.conversationConfig.agent?.prompt?.builtInTools as
			| ElevenLabs.BuiltInToolsInput
			| undefined;
		prompt.builtInTools = {
			...tools,
			voicemailDetection: voicemailTool(agent, desired.voicemailMessage!),
		} as ElevenLabs.BuiltInToolsOutput;
	}
	return prompt;
}

/** The conversation part of the update: the agent (prompt, texts, placeholders) and the voice. */
function conversationUpdate(
	comparison: Comparison,
	diff: PublishPlan['diff'],
	uploadedDocumentId?: string,
): ElevenLabs.ConversationalConfig {
	const { desired, placeholders, newPlaceholders, voiceModel } = comparison;
	const agentConfig: ElevenLabs.AgentConfig = {};
	const prompt = promptUpdate(comparison, diff, uploadedDocumentId);
	if (Object.keys(prompt).length) agentConfig.prompt = prompt;
	if (diff.firstMessage) agentConfig.firstMessage = desired.firstMessage;
	if (diff.language) agentConfig.language = desired.language;
	if (diff.dynamicVariablePlaceholders) {
		const added = Object.fromEntries(
			newPlaceholders.map((name) => [name, desired.placeholders[name]]),
		);
		agentConfig.dynamicVariables = {
			dynamic_variable_placeholders: { ...placeholders, ...added },
		};
	}
	const conversationConfig: ElevenLabs.ConversationalConfig = {};
	if (Object.keys(agentConfig).length) conversationConfig.agent = agentConfig;
	if (diff.voiceModel) conversationConfig.tts = { modelId: voiceModel };
	return conversationConfig;
}

/**
 * The override toggles Place Agent Call needs, switched on. Sent whole, with the agent's other
 * toggles, so that the update is right whether the API merges this object or replaces it (not
 * documented); toggles already on stay on.
 */
function overridesWithToggles(
	agent: ElevenLabs.GetAgentResponseModel,
): ElevenLabs.AgentPlatformSettingsRequestModel['overrides'] {
	const current = agent.platformSettings?.overrides;
	const toggles = current?.conversationConfigOverride?.agent;
	return {
		...current,
		conversationConfigOverride: {
			...current?.conversationConfigOverride,
			agent: {
				...toggles,
				firstMessage: true,
				language: true,
				prompt: { ...toggles?.prompt, prompt: true },
			},
		},
	};
}

/** The platform part of the update: answers, criteria, toggles, privacy, summary language. */
function platformUpdate(
	{ agent, desired, answers, criteria, privacy }: Comparison,
	diff: PublishPlan['diff'],
): ElevenLabs.AgentPlatformSettingsRequestModel {
	const platformSettings: ElevenLabs.AgentPlatformSettingsRequestModel = {};
	if (diff.dataCollection) platformSettings.dataCollection = answers.next;
	if (diff.evaluationCriteria) platformSettings.evaluation = { criteria: criteria.next };
	if (diff.overrides) platformSettings.overrides = overridesWithToggles(agent);
	// Sent whole (with the settings the package leaves alone), as for the overrides.
	if (diff.privacy) platformSettings.privacy = privacy!.next;
	if (diff.summaryLanguage) platformSettings.summaryLanguage = desired.summaryLanguage;
	return platformSettings;
}

/** The one update that makes the changes, with the id of the document uploaded for it. */
function agentUpdate(
	comparison: Comparison,
	diff: PublishPlan['diff'],
	uploadedDocumentId?: string,
): UpdateAgentRequest {
	if (comparison.documents.upload && !uploadedDocumentId)
		throw new Error('The knowledge base document must be uploaded before the update');
	const conversationConfig = conversationUpdate(comparison, diff, uploadedDocumentId);
	const platformSettings = platformUpdate(comparison, diff);
	return {
		...(Object.keys(conversationConfig).length ? { conversationConfig } : {}),
		...(Object.keys(platformSettings).length ? { platformSettings } : {}),
	};
}

/** Compares the agent with the desired state: what changes, and the single update that does it. */
export function planPublish(
	agent: ElevenLabs.GetAgentResponseModel,
	desired: DesiredState,
): PublishPlan {
	const comparison = compare(agent, desired);
	const diff = { ...conversationDiff(comparison), ...platformDiff(comparison) };
	const changed = CHANGES.filter((change) => diff[change]);
	const { upload, kept, removed } = comparison.documents;
	return {
		changed,
		upload,
		keptDocument: kept,
		removedDocuments: removed,
		diff,
		update: (uploadedDocumentId) =>
			changed.length ? agentUpdate(comparison, diff, uploadedDocumentId) : undefined,
	};
}
