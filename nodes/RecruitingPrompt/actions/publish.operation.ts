/** Publish: puts a template set onto an agent, writing only what differs from what it has */
import { updateDisplayOptions } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { agentLocator } from '../../shared/n8n/descriptions';
import { elevenLabsClient } from '../../shared/vendors/elevenLabsClient';
import type { ElevenLabsConnection } from '../../shared/vendors/elevenLabsClient';
import { mapItems } from '../../shared/n8n/items';
import type { OutputField } from '../../shared/n8n/outputFields';
import { readCheckedOptions } from '../../shared/n8n/numberParameters';
import { ProblemError } from '../../shared/n8n/problems';
import type { AnswerField } from '../helpers/publishAnswers';
import { privacyProperties, readPrivacy } from './publishPrivacy.description';
import { planPublish } from '../helpers/publishPlan';
import type { DesiredState } from '../helpers/publishPlan';
import { desiredState } from '../helpers/publishState';
import {
	callVariables,
	publishTimeVariables,
	withoutCandidateFields,
} from '../helpers/publishVariables';
import { resolveLanguage, resolveLocale, resolveTimeZone } from '../helpers/render';
import { resolveVariables } from '../helpers/variables';
import { DEFAULT_MAX_VALUE_LENGTH } from '../helpers/values';
import { applyPlan, loadAgent } from './publishAgent';
import {
	CompiledSets,
	dateLocaleOption,
	nameValueCollection,
	readTemplateSource,
	templateSetProperties,
	variablePairs,
} from './templateSet';

const jobField = (
	displayName: string,
	name: string,
	placeholder: string,
	description: string,
): INodeProperties => ({
	displayName,
	name,
	type: 'string',
	default: '',
	placeholder,
	description: `${description} Empty: the item's field "${name}"`,
});

/** One item per input item: what Publish changed on the agent, or would change in a dry run. */
export const outputFields: OutputField[] = [
	{ name: 'agentId', type: 'string', description: 'The agent published to' },
	{
		name: 'changed',
		type: 'string[]',
		description:
			'What differed, in this order: `knowledgeBase`, `prompt`, `firstMessage`, `language`, `voiceModel`, `dataCollection`, `evaluationCriteria`, `overrides`, `dynamicVariablePlaceholders`, `privacy`, `summaryLanguage` (empty: nothing to write)',
	},
	{
		name: 'knowledgeBaseDocumentId',
		type: 'string or null',
		description:
			"The agent's document of this set (null in a dry run that would upload a new one, or for a set without knowledge base)",
	},
	{
		name: 'diff',
		type: 'object',
		description:
			'How each changed part differs: before/after for texts, what is added, updated, uploaded, removed',
	},
	{ name: 'dryRun', type: 'boolean', description: 'Whether it only compared (*Dry Run*)' },
	{
		name: 'warnings',
		type: 'string[]',
		description:
			'An earlier document was detached but could not be deleted (e.g. another agent uses it too)',
		when: 'a detached document stayed',
	},
];

const properties: INodeProperties[] = [
	{ ...agentLocator, description: 'The ElevenLabs agent to set up with this template set' },
	...templateSetProperties,
	jobField('Company', 'company', 'Muster Klinikum GmbH', 'The hiring company.'),
	jobField(
		'Job Title',
		'jobTitle',
		'Pflegefachkraft (m/w/d)',
		'The position the agent screens for.',
	),
	jobField('Recruiter Name', 'recruiterName', 'Jonas Weber', 'The recruiter the agent speaks for.'),
	nameValueCollection({
		displayName: 'Job Details',
		name: 'jobDetails',
		entry: 'Detail',
		placeholder: 'Add Detail',
		description:
			'Company and job facts for the prompt and the knowledge base (e.g. jobLocation, salaryRange, contactEmail, benefits). They win over item fields of the same name.',
		example: ['jobLocation', 'Hamburg-Barmbek'],
	}),
	{
		displayName: 'Call Variables',
		name: 'callVariables',
		type: 'string',
		default: 'name',
		placeholder: 'name, recruiterName',
		description:
			'Template variables that stay in the agent’s prompt as ElevenLabs {{dynamic variables}}, separated by commas: every call supplies them (Place Agent Call → Dynamic Variables). The candidate’s own fields (name, email, address, phone, candidateId) are left out of the agent unless listed here.',
	},
	{
		displayName: 'Answers to Collect',
		name: 'answers',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Answer',
		default: {},
		description:
			'Answers for the post-call analysis besides those the prompts name (consent, interest, earliest start, salary expectation, opt-out, call-back, …). Get Transcript returns them under dataCollection.',
		options: [
			{
				displayName: 'Answer',
				name: 'answer',
				values: [
					{
						displayName: 'ID',
						name: 'id',
						type: 'string',
						default: '',
						placeholder: 'drivers_license',
					},
					{
						displayName: 'Type',
						name: 'type',
						type: 'options',
						options: [
							{ name: 'Boolean', value: 'boolean' },
							{ name: 'Integer', value: 'integer' },
							{ name: 'Number', value: 'number' },
							{ name: 'String', value: 'string' },
						],
						default: 'string',
					},
					{
						displayName: 'Description',
						name: 'description',
						type: 'string',
						default: '',
						placeholder: 'True if the candidate has a class B driving licence',
						description: 'What the analysis should take from the conversation',
					},
				],
			},
		],
	},
	...privacyProperties,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			dateLocaleOption,
			{
				displayName: 'Dry Run',
				name: 'dryRun',
				type: 'boolean',
				default: false,
				description:
					'Whether to only compare: the output shows what would change, and nothing is written to ElevenLabs',
			},
			{
				displayName: 'Language',
				name: 'language',
				type: 'string',
				default: '',
				placeholder: 'de',
				description:
					'The agent’s language code. Empty: the bundled set’s language; for custom templates the item’s language field, else de.',
			},
			{
				displayName: 'Max Value Length',
				name: 'maxValueLength',
				type: 'number',
				typeOptions: { minValue: 1, numberPrecision: 0 },
				default: DEFAULT_MAX_VALUE_LENGTH,
				description:
					'Longer values (e.g. a long job description) are cut to this many characters, ending in …',
			},
			{
				displayName: 'Read Other Item Fields',
				name: 'readItemFields',
				type: 'boolean',
				default: true,
				description:
					'Whether template variables other than company, job title and recruiter (e.g. jobLocation) are read from item fields of the same name',
			},
			{
				displayName: 'Time Zone',
				name: 'timezone',
				type: 'string',
				default: '',
				placeholder: 'Europe/Berlin',
				description: 'Time zone for dates in the templates. Empty: the workflow’s time zone.',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { operation: ['publish'] } }, properties);

interface PublishOptions {
	dryRun?: boolean;
	language?: string;
	locale?: string;
	maxValueLength?: number;
	readItemFields?: boolean;
	timezone?: string;
}

const WHERE_TO_SET =
	'Fill in Company, Job Title and Recruiter Name, add the others under Job Details (or give the item fields of these names), or add them to Call Variables so that each call supplies them.';

const ANSWER_TYPES = new Set<AnswerField['type']>(['boolean', 'string', 'integer', 'number']);

/** The answers added under Answers to Collect, each with a type and a description. */
function extraAnswers(entries: unknown): Record<string, AnswerField> {
	const out: Record<string, AnswerField> = {};
	for (const entry of Array.isArray(entries)
		? (entries as Array<{ id?: unknown; type?: unknown; description?: unknown }>)
		: []) {
		const id = String(entry.id ?? '').trim();
		if (!id) continue;
		const description = String(entry.description ?? '').trim();
		if (!description) {
			throw new ProblemError(
				`The answer "${id}" under Answers to Collect has no description`,
				'The description tells ElevenLabs’ analysis what to take from the conversation, e.g. "True if the candidate has a class B driving licence".',
			);
		}
		const type = String(entry.type ?? 'string') as AnswerField['type'];
		out[id] = { type: ANSWER_TYPES.has(type) ? type : 'string', description };
	}
	return out;
}

/** What the template set asks of the agent, for one item: rendered with the company's and job's values. */
function desiredFor(
	ctx: IExecuteFunctions,
	sets: CompiledSets,
	item: INodeExecutionData,
	i: number,
	options: PublishOptions,
): DesiredState {
	const set = sets.get(readTemplateSource(ctx, item, i), ctx.getNodeParameter('phases', i, ''));
	const calls = callVariables(ctx.getNodeParameter('callVariables', i, 'name'), set.variables);
	const extra: Record<string, unknown> = variablePairs(
		ctx.getNodeParameter('jobDetails.variable', i, []),
		'Job Details',
	);
	for (const field of ['company', 'jobTitle', 'recruiterName']) {
		const value = String(ctx.getNodeParameter(field, i, '') ?? '').trim();
		if (value) extra[field] = value;
	}
	const { values } = resolveVariables(
		item.json,
		publishTimeVariables(set.variables, calls),
		{
			fieldNames: {},
			extra,
			defaults: {},
			readItemFields: options.readItemFields ?? true,
			maxValueLength: options.maxValueLength ?? DEFAULT_MAX_VALUE_LENGTH,
			whereToSet: WHERE_TO_SET,
		},
		i,
	);
	const language = resolveLanguage(options.language ?? '', set, values.get('language'));
	return desiredState(set, {
		values: withoutCandidateFields(values),
		callVariables: calls,
		language,
		locale: resolveLocale(options.locale ?? '', set, language),
		timezone: resolveTimeZone(values.get('timezone'), options.timezone ?? '', ctx.getTimezone()),
		extraAnswers: extraAnswers(ctx.getNodeParameter('answers.answer', i, [])),
		privacy: readPrivacy(ctx, i),
	});
}

/**
 * Puts a template set onto an agent: its own prompt, first message and language, the knowledge
 * base as a document, the answers to collect, evaluation criteria, the override permissions
 * Place Agent Call uses, privacy (retention, voice recording, redaction) and summary language. One read of the agent, then only what differs is written: a second
 * publish of the same set writes nothing.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const sets = new CompiledSets();
	let connection: Promise<ElevenLabsConnection> | undefined;
	return await mapItems(this, async (item, i) => {
		const agentId = String(
			this.getNodeParameter('agentId', i, '', { extractValue: true }) ?? '',
		).trim();
		if (!agentId) {
			throw new ProblemError('No agent is chosen', 'Pick the agent to set up under "Agent".');
		}
		const options = readCheckedOptions<PublishOptions>(this, properties, 'options', i);
		// Templates and values first: a template error stops the item before anything is sent.
		const desired = desiredFor(this, sets, item, i, options);
		connection ??= elevenLabsClient(this, { itemIndex: i });
		const target = { ctx: this, connection: await connection, agentId, itemIndex: i };
		const plan = planPublish(await loadAgent(target), desired);
		const dryRun = options.dryRun === true;
		const result = dryRun
			? { knowledgeBaseDocumentId: plan.keptDocument?.id ?? null, warnings: [] }
			: await applyPlan(target, plan);
		const json: IDataObject = {
			agentId,
			changed: plan.changed,
			knowledgeBaseDocumentId: result.knowledgeBaseDocumentId,
			diff: plan.diff as IDataObject,
			dryRun,
			...(result.warnings.length ? { warnings: result.warnings } : {}),
		};
		return { json, pairedItem: { item: i } };
	});
}
