/**
 * What a template set asks of an agent: its own prompt and first message (call variables left as
 * ElevenLabs `{{placeholders}}`, today's date as ElevenLabs' `{{system__time_utc}}`), language,
 * the knowledge base as a named document, the answers to collect, the evaluation criteria and the
 * message the voicemail tool leaves.
 */
import { ProblemError } from '../../shared/n8n/problems';
import { answersNamedIn, criteriaFor } from './publishAnswers';
import type { AnswerField } from './publishAnswers';
import { documentName, isPublishedDocument } from './publishDocument';
import type { DesiredState } from './publishPlan';
import type { DesiredPrivacy } from './publishPrivacy';
import { checkVoicemailVariables, placeholderSamples } from './publishVariables';
import { renderTexts, renderVoicemailMessage } from './render';
import type { CompiledSet } from './templates';
import { PlaceholderValue } from './values';

/** ElevenLabs fills in this built-in system variable at every call. */
export const NOW_VARIABLE = 'system__time_utc';

export interface PublishInput {
	/** Values resolved at publish time (company, job and other variables; no candidate fields). */
	values: Map<string, string>;
	/** Variables each call supplies. */
	callVariables: string[];
	language: string;
	locale: string;
	timezone: string;
	/** Answers to collect besides those the templates name (id → type and description). */
	extraAnswers: Record<string, AnswerField>;
	privacy: DesiredPrivacy;
}

export function desiredState(set: CompiledSet, input: PublishInput): DesiredState {
	const company = input.values.get('company');
	const jobTitle = input.values.get('jobTitle');
	if (!company || !jobTitle) {
		throw new ProblemError(
			`Publish needs ${!company && !jobTitle ? 'the company and the job title' : !company ? 'the company' : 'the job title'}`,
			'They name the knowledge base document on the agent, so that publishing the same job again replaces it. Fill in Company and Job Title (or give the item the fields company and jobTitle).',
		);
	}
	checkVoicemailVariables(set.variables);
	const renderInput = {
		values: input.values,
		placeholders: new Set(input.callVariables),
		data: {
			now: new PlaceholderValue(NOW_VARIABLE, true),
			locale: input.locale,
			timezone: input.timezone,
			language: input.language,
		},
		includeKnowledgeBase: false,
	};
	const texts = renderTexts(set, renderInput);
	const voicemailMessage = renderVoicemailMessage(set, renderInput);
	const answers = {
		...answersNamedIn(`${texts.system}\n${texts.knowledgeBase}`, input.language),
		...input.extraAnswers,
	};
	return {
		systemPrompt: texts.system,
		firstMessage: texts.firstMessage,
		voicemailMessage: voicemailMessage || undefined,
		language: input.language,
		knowledgeBase: texts.knowledgeBase
			? { name: documentName(company, jobTitle, texts.knowledgeBase), text: texts.knowledgeBase }
			: undefined,
		isOurDocument: (name) => isPublishedDocument(name, company, jobTitle),
		answers,
		criteria: criteriaFor(answers, input.language),
		placeholders: placeholderSamples(input.callVariables, input.language),
		privacy: input.privacy,
		// Summaries in the language of the calls (German for the de set), not inferred per call.
		summaryLanguage: input.language,
	};
}
