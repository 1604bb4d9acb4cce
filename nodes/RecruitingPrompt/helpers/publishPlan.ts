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

/** Compares the agent with the desired state: what changes, and the single update that does it. */
export function planPublish(
	agent: ElevenLabs.GetAgentResponseModel,
	desired: DesiredState,
): PublishPlan {
	const own = agent.conversationConfig.agent;
	const diff: PublishPlan['diff'] = {};

	// Knowledge base: keep ours when its text is the same, else upload anew; drop earlier versions.
	const documents = own?.prompt?.knowledgeBase ?? [];
	const ours = documents.filter((locator) => desired.isOurDocument(locator.name));
	const wanted = desired.knowledgeBase;
	const keptDocument = wanted ? ours.find((locator) => locator.name === wanted.name) : undefined;
	const removedDocuments = ours.filter((locator) => locator !== keptDocument);
	const upload = wanted && !keptDocument ? wanted : undefined;
	if (upload || removedDocuments.length) {
		diff.knowledgeBase = {
			...(upload ? { upload: upload.name, characters: upload.text.length } : {}),
			remove: removedDocuments.map((locator) => locator.name),
		};
	}

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
	const voiceModel = voiceModelFor(desired.language, model);
	if (voiceModel !== model) diff.voiceModel = { before: model, after: voiceModel };

	const answers = planAnswers(agent.platformSettings?.dataCollection ?? {}, desired.answers);
	if (answers.add.length || answers.update.length)
		diff.dataCollection = { add: answers.add, update: answers.update };

	const criteria = planCriteria(
		agent.platformSettings?.evaluation?.criteria ?? [],
		desired.criteria,
	);
	if (criteria.add.length || criteria.update.length)
		diff.evaluationCriteria = { add: criteria.add, update: criteria.update };

	const enable = togglesToEnable(agent);
	if (enable.length) diff.overrides = { enable };

	const placeholders = placeholdersOf(agent);
	const newPlaceholders = Object.keys(desired.placeholders).filter(
		(name) => !(name in placeholders),
	);
	if (newPlaceholders.length) diff.dynamicVariablePlaceholders = { add: newPlaceholders };

	const privacy = desired.privacy
		? planPrivacy(agent.platformSettings?.privacy, desired.privacy)
		: undefined;
	if (privacy?.diff) diff.privacy = privacy.diff;
	const summaryLanguage = agent.platformSettings?.summaryLanguage;
	if (desired.summaryLanguage && summaryLanguage !== desired.summaryLanguage) {
		diff.summaryLanguage = { before: summaryLanguage, after: desired.summaryLanguage };
	}

	const changed = CHANGES.filter((change) => diff[change]);

	function update(uploadedDocumentId?: string): UpdateAgentRequest | undefined {
		if (!changed.length) return undefined;
		if (upload && !uploadedDocumentId)
			throw new Error('The knowledge base document must be uploaded before the update');
		const agentConfig: ElevenLabs.AgentConfig = {};
		const prompt: ElevenLabs.PromptAgentApiModelOutput = {};
		if (diff.knowledgeBase) {
			prompt.knowledgeBase = [
				...documents.filter((locator) => !removedDocuments.includes(locator)),
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
			const tools = own?.prompt?.builtInTools as ElevenLabs.BuiltInToolsInput | undefined;
			prompt.builtInTools = {
				...tools,
				voicemailDetection: voicemailTool(agent, desired.voicemailMessage!),
			} as ElevenLabs.BuiltInToolsOutput;
		}
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

		const platformSettings: ElevenLabs.AgentPlatformSettingsRequestModel = {};
		if (diff.dataCollection) platformSettings.dataCollection = answers.next;
		if (diff.evaluationCriteria) platformSettings.evaluation = { criteria: criteria.next };
		if (diff.overrides) {
			// Sent whole, with the agent's other toggles, so that the update is right whether the API
			// merges this object or replaces it (not documented); toggles already on stay on.
			const current = agent.platformSettings?.overrides;
			const toggles = current?.conversationConfigOverride?.agent;
			platformSettings.overrides = {
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
		// Sent whole (with the settings the package leaves alone), as for the overrides.
		if (diff.privacy) platformSettings.privacy = privacy!.next;
		if (diff.summaryLanguage) platformSettings.summaryLanguage = desired.summaryLanguage;
		return {
			...(Object.keys(conversationConfig).length ? { conversationConfig } : {}),
			...(Object.keys(platformSettings).length ? { platformSettings } : {}),
		};
	}

	return { changed, upload, keptDocument, removedDocuments, diff, update };
}
