/** Render: the prompt, first message and knowledge base of one candidate per item */
import { updateDisplayOptions } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { ItemParameters } from '../../shared/n8n/itemParameters';
import { mapItems } from '../../shared/n8n/items';
import type { OutputField } from '../../shared/n8n/outputFields';
import { readCheckedOptions } from '../../shared/n8n/numberParameters';
import { ProblemError } from '../../shared/n8n/problems';
import { renderTexts, resolveLanguage, resolveLocale, resolveTimeZone } from '../helpers/render';
import type { CandidateField } from '../helpers/variables';
import { resolveVariables } from '../helpers/variables';
import { DEFAULT_MAX_VALUE_LENGTH } from '../helpers/values';
import {
	CompiledSets,
	dateLocaleOption,
	nameValueCollection,
	readTemplateSource,
	templateSetProperties,
	variablePairs,
} from './templateSet';

export const DEFAULT_MAX_PROMPT_CHARACTERS = 50000;

const candidateField = (
	displayName: string,
	name: CandidateField,
	description: string,
): INodeProperties => ({
	displayName,
	name,
	type: 'string',
	requiresDataPath: 'single',
	default: name,
	description: `${description} (default: the field "${name}")`,
});

/** Render adds one field to the input item (its fields and binary data stay). */
export const outputFields: OutputField[] = [
	{
		name: 'prompt',
		type: 'object',
		description:
			'The rendered texts for the agent: `system`, `firstMessage`, `language`, `knowledgeBase`, `dynamicVariables`, `characters`, `phases` (each below)',
	},
];

const properties: INodeProperties[] = [
	...templateSetProperties,
	{
		displayName: 'Candidate Field Names',
		name: 'candidateFields',
		type: 'collection',
		placeholder: 'Map a Field',
		default: {},
		description:
			'Which item fields hold the candidate’s data. Without a mapping each is read from the field of its own name (name, phone, email, …).',
		options: [
			candidateField('Address', 'address', 'The item field with the postal address'),
			candidateField(
				'Candidate ID',
				'candidateId',
				'The item field with your ID of the candidate (e.g. the ATS or sheet row ID)',
			),
			candidateField('Company', 'company', 'The item field with the hiring company'),
			candidateField('Email', 'email', 'The item field with the email address'),
			candidateField('Job Title', 'jobTitle', 'The item field with the position applied for'),
			candidateField('Language', 'language', 'The item field with the candidate’s language code'),
			candidateField('Name', 'name', 'The item field with the candidate’s full name'),
			candidateField('Phone', 'phone', 'The item field with the phone number'),
			candidateField(
				'Recruiter Name',
				'recruiterName',
				'The item field with the name of the responsible recruiter',
			),
			candidateField(
				'Time Zone',
				'timezone',
				'The item field with the candidate’s IANA time zone, e.g. Europe/Berlin',
			),
		],
	},
	nameValueCollection({
		displayName: 'Extra Variables',
		name: 'extraVariables',
		entry: 'Variable',
		placeholder: 'Add Variable',
		description:
			'Variables set here (e.g. jobLocation, salaryRange, contactEmail) win over item fields of the same name. They are also sent to the agent as dynamic variables.',
		example: ['jobLocation', 'Berlin-Mitte'],
	}),
	nameValueCollection({
		displayName: 'Defaults',
		name: 'defaults',
		entry: 'Default',
		placeholder: 'Add Default',
		description:
			'Values for variables that an item lacks (or has empty). A variable without value and without default is an error.',
		example: ['recruiterName', 'Ihr Recruiting-Team'],
	}),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			dateLocaleOption,
			{
				displayName: 'Include Knowledge Base in System Prompt',
				name: 'includeKnowledgeBase',
				type: 'boolean',
				default: false,
				description:
					'Whether to add the knowledge base to the system prompt, for agents without the knowledge base attached in ElevenLabs. It is always in prompt.knowledgeBase.',
			},
			{
				displayName: 'Language',
				name: 'language',
				type: 'string',
				default: '',
				placeholder: 'de',
				description:
					'Language code sent to the agent (prompt.language). Empty: the bundled set’s language; for custom templates the candidate’s language field, else de.',
			},
			{
				displayName: 'Max Prompt Characters',
				name: 'maxPromptCharacters',
				type: 'number',
				typeOptions: { minValue: 0, numberPrecision: 0 },
				default: DEFAULT_MAX_PROMPT_CHARACTERS,
				description:
					'A longer system prompt is an error (0: no limit). Long prompts cost time and money on every turn of the call.',
			},
			{
				displayName: 'Max Value Length',
				name: 'maxValueLength',
				type: 'number',
				typeOptions: { minValue: 1, numberPrecision: 0 },
				default: DEFAULT_MAX_VALUE_LENGTH,
				description:
					'Longer values (e.g. a name of thousands of characters) are cut to this many characters, ending in …',
			},
			{
				displayName: 'Read Other Item Fields',
				name: 'readItemFields',
				type: 'boolean',
				default: true,
				description:
					'Whether template variables other than the candidate fields (e.g. jobLocation) are read from item fields of the same name',
			},
			{
				displayName: 'Time Zone',
				name: 'timezone',
				type: 'string',
				default: '',
				placeholder: 'Europe/Berlin',
				description:
					'Time zone for dates when the item has none in its time zone field. Empty: the workflow’s time zone.',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { operation: ['render'] } }, properties);

interface RenderOptions {
	locale?: string;
	includeKnowledgeBase?: boolean;
	language?: string;
	maxPromptCharacters?: number;
	maxValueLength?: number;
	readItemFields?: boolean;
	timezone?: string;
}

/**
 * Renders the prompt for every item: the input item plus `prompt` (system, firstMessage,
 * language, knowledgeBase, dynamicVariables, characters, phases). Each template set is
 * compiled once per execution, and parameters without expressions are read once.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const sets = new CompiledSets();
	const parameters = new ItemParameters(this);
	const now = new Date().toISOString();
	const workflowZone = this.getTimezone();
	return await mapItems(this, async (item, i) => {
		const set = sets.get(
			readTemplateSource(parameters, item, i),
			parameters.getNodeParameter('phases', i, ''),
		);
		const options = readCheckedOptions<RenderOptions>(this, properties, 'options', i, parameters);
		const { values, dynamicVariables } = resolveVariables(
			item.json,
			set.variables,
			{
				fieldNames: parameters.getNodeParameter('candidateFields', i, {}) as Partial<
					Record<CandidateField, string>
				>,
				extra: variablePairs(
					parameters.getNodeParameter('extraVariables.variable', i, []),
					'Extra Variables',
				),
				defaults: variablePairs(
					parameters.getNodeParameter('defaults.variable', i, []),
					'Defaults',
				),
				readItemFields: options.readItemFields ?? true,
				maxValueLength: options.maxValueLength ?? DEFAULT_MAX_VALUE_LENGTH,
			},
			i,
		);
		const language = resolveLanguage(options.language ?? '', set, values.get('language'));
		const locale = resolveLocale(options.locale ?? '', set, language);
		const timezone = resolveTimeZone(values.get('timezone'), options.timezone ?? '', workflowZone);
		const texts = renderTexts(set, {
			values,
			data: { now, locale, timezone, language },
			includeKnowledgeBase: options.includeKnowledgeBase ?? false,
		});
		const limit = options.maxPromptCharacters ?? DEFAULT_MAX_PROMPT_CHARACTERS;
		if (limit > 0 && texts.system.length > limit) {
			throw new ProblemError(
				`The system prompt of item ${i} has ${texts.system.length} characters, more than the limit of ${limit}`,
				`Switch off phases (Phases), shorten the templates or long values${
					options.includeKnowledgeBase ? ', leave the knowledge base out of the system prompt' : ''
				}, or raise Options → Max Prompt Characters.`,
			);
		}
		const prompt: IDataObject = {
			system: texts.system,
			firstMessage: texts.firstMessage,
			language,
			knowledgeBase: texts.knowledgeBase,
			dynamicVariables,
			characters: {
				system: texts.system.length,
				firstMessage: texts.firstMessage.length,
				knowledgeBase: texts.knowledgeBase.length,
				total: texts.system.length + texts.firstMessage.length + texts.knowledgeBase.length,
			},
			phases: set.phases,
		};
		return {
			json: { ...item.json, prompt },
			...(item.binary ? { binary: item.binary } : {}),
			pairedItem: { item: i },
		};
	});
}
