/** Template set parameters (bundled, custom or from a field), read and compiled once per run */
import type { INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { ParameterReader } from '../../shared/n8n/itemParameters';
import { ProblemError } from '../../shared/n8n/problems';
import { readField } from '../helpers/variables';
import { isDynamicVariableName } from '../helpers/values';
import { FIRST_MESSAGE, KNOWLEDGE_BASE, MASTER } from '../helpers/templateNames';
import {
	BUNDLED_SETS,
	asTemplateTexts,
	compileSet,
	isBundledSetName,
	loadBundledSet,
	parsePhaseList,
} from '../helpers/templates';
import type { CompiledSet, TemplateSource, TemplateTexts } from '../helpers/templates';

/**
 * The template-set parameters: which set, where custom templates come from, which phases.
 * Every operation that renders a set (render today, publish next) shows these.
 */
export const templateSetProperties: INodeProperties[] = [
	{
		displayName: 'Template Set',
		name: 'templateSet',
		type: 'options',
		options: [
			{
				name: 'German (Bundled)',
				value: 'de',
				description:
					'A German phone screen: AI and recording disclosure with consent first, then identity, interest, experience, availability, salary, questions and next steps',
			},
			{
				name: 'English (Bundled)',
				value: 'en',
				description: 'The same phone screen in English',
			},
			{
				name: 'Custom',
				value: 'custom',
				description:
					'Your own Handlebars templates, typed in here or taken from a field of the input item',
			},
		],
		default: 'de',
		description: 'The templates the prompt is built from',
	},
	{
		displayName: 'Templates From',
		name: 'customSource',
		type: 'options',
		displayOptions: { show: { templateSet: ['custom'] } },
		options: [
			{
				name: 'Parameters',
				value: 'parameters',
				description: 'Type the templates into the fields below',
			},
			{
				name: 'Item Field',
				value: 'field',
				description:
					'Read them from a field of the input item, e.g. loaded from a file by an earlier node',
			},
		],
		default: 'parameters',
	},
	{
		displayName: 'Master Template',
		name: 'masterTemplate',
		type: 'string',
		typeOptions: { rows: 10 },
		displayOptions: { show: { templateSet: ['custom'], customSource: ['parameters'] } },
		default: '',
		placeholder: '# Role\nYou are the recruiting assistant of {{company}} …\n\n{{> phases}}',
		description:
			'The system prompt, in Handlebars: {{name}} prints a variable, {{> phases}} includes the phases. Empty: taken from the bundled set below.',
	},
	{
		displayName: 'First Message Template',
		name: 'firstMessageTemplate',
		type: 'string',
		typeOptions: { rows: 3 },
		displayOptions: { show: { templateSet: ['custom'], customSource: ['parameters'] } },
		default: '',
		description:
			'What the agent says first (spoken as it is). Empty: taken from the bundled set below, or none.',
	},
	{
		displayName: 'Knowledge Base Template',
		name: 'knowledgeBaseTemplate',
		type: 'string',
		typeOptions: { rows: 6 },
		displayOptions: { show: { templateSet: ['custom'], customSource: ['parameters'] } },
		default: '',
		description:
			'Facts about the company and the job for the agent’s answers. Empty: taken from the bundled set below, or none.',
	},
	{
		displayName: 'Partials and Phases',
		name: 'partials',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		displayOptions: { show: { templateSet: ['custom'], customSource: ['parameters'] } },
		default: {},
		placeholder: 'Add Partial',
		description:
			'Templates the others include with {{> name}}. Name phases "phase-" plus the phase, e.g. phase-greeting; {{> phases}} includes all phases.',
		options: [
			{
				displayName: 'Partial',
				name: 'partial',
				values: [
					{
						displayName: 'Name',
						name: 'name',
						type: 'string',
						default: '',
						placeholder: 'phase-greeting',
					},
					{
						displayName: 'Template',
						name: 'template',
						type: 'string',
						typeOptions: { rows: 6 },
						default: '',
					},
				],
			},
		],
	},
	{
		displayName: 'Templates Field',
		name: 'templatesField',
		type: 'string',
		requiresDataPath: 'single',
		displayOptions: { show: { templateSet: ['custom'], customSource: ['field'] } },
		default: 'templates',
		description:
			'The item field that holds the templates: an object of template name → text (as in the bundled sets: master, firstMessage, knowledgeBase, phase-…), or the master template as text',
	},
	{
		displayName: 'Bundled Set to Extend',
		name: 'baseSet',
		type: 'options',
		displayOptions: { show: { templateSet: ['custom'] } },
		options: [
			{ name: 'None', value: 'none', description: 'Only your templates' },
			{
				name: 'German',
				value: 'de',
				description: 'Templates you leave out come from the German set',
			},
			{
				name: 'English',
				value: 'en',
				description: 'Templates you leave out come from the English set',
			},
		],
		default: 'none',
		description:
			'Whether to take the templates you do not give from a bundled set (e.g. to change only the knowledge base)',
	},
	{
		displayName: 'Phases',
		name: 'phases',
		type: 'string',
		default: '',
		placeholder:
			'greeting, identity, interest, qualification, availability, salary, questions, closing, optOut, callback, voicemail, wrongPerson',
		description:
			'The phases to include, in this order, separated by commas. Empty: all phases of the set in its own order. The bundled sets always begin with greeting (AI and recording disclosure, consent).',
	},
];

/** Options → Date Locale, as every operation that renders dates has it. */
export const dateLocaleOption: INodeProperties = {
	displayName: 'Date Locale',
	name: 'locale',
	type: 'string',
	default: '',
	placeholder: 'de-DE',
	description:
		'Locale of dates printed with formatDate. Empty: the set’s own (de-DE, en-GB) or one that fits the language.',
};

/** A list of name → value pairs (Extra Variables, Defaults, Job Details), read with variablePairs. */
export function nameValueCollection(options: {
	displayName: string;
	name: string;
	entry: string;
	placeholder: string;
	description: string;
	example: [string, string];
}): INodeProperties {
	return {
		displayName: options.displayName,
		name: options.name,
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: options.placeholder,
		default: {},
		description: options.description,
		options: [
			{
				displayName: options.entry,
				name: 'variable',
				values: [
					{
						displayName: 'Name',
						name: 'name',
						type: 'string',
						default: '',
						placeholder: options.example[0],
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						placeholder: options.example[1],
					},
				],
			},
		],
	};
}

/** Reads the template set an item asks for (bundled, custom parameters, or an item field). */
export function readTemplateSource(
	ctx: ParameterReader,
	item: INodeExecutionData,
	itemIndex: number,
): TemplateSource {
	const choice = String(ctx.getNodeParameter('templateSet', itemIndex, 'de'));
	if (isBundledSetName(choice)) {
		return {
			name: choice,
			bundled: true,
			templates: loadBundledSet(choice),
			cacheKey: choice,
			...BUNDLED_SETS[choice],
		};
	}
	if (choice !== 'custom') {
		throw new ProblemError(
			`Unknown template set "${choice}"`,
			`Choose ${Object.keys(BUNDLED_SETS).join(', ')} or custom under Template Set.`,
		);
	}
	const base = String(ctx.getNodeParameter('baseSet', itemIndex, 'none'));
	const baseTemplates: TemplateTexts = isBundledSetName(base) ? loadBundledSet(base) : {};
	const own = customTemplates(ctx, item, itemIndex);
	const templates = { ...baseTemplates };
	for (const [name, text] of Object.entries(own)) if (text.trim()) templates[name] = text;
	return {
		name: 'custom',
		bundled: false,
		templates,
		cacheKey: `custom\u0000${base}\u0000${JSON.stringify(own)}`,
		...(isBundledSetName(base) ? BUNDLED_SETS[base] : {}),
	};
}

function customTemplates(
	ctx: ParameterReader,
	item: INodeExecutionData,
	itemIndex: number,
): TemplateTexts {
	const source = String(ctx.getNodeParameter('customSource', itemIndex, 'parameters'));
	if (source === 'field') {
		const field = String(ctx.getNodeParameter('templatesField', itemIndex, 'templates'));
		const value = readField(item.json, field);
		if (typeof value === 'string') return { [MASTER]: value };
		if (value === undefined || value === null) return {};
		const texts = asTemplateTexts(value);
		if (!texts) {
			throw new ProblemError(
				`The item field "${field}" does not hold templates`,
				'It must be the master template as text, or an object of template names and texts, e.g. { "master": "…", "firstMessage": "…", "phase-greeting": "…" }.',
			);
		}
		return texts;
	}
	const templates: TemplateTexts = {
		[MASTER]: String(ctx.getNodeParameter('masterTemplate', itemIndex, '') ?? ''),
		[FIRST_MESSAGE]: String(ctx.getNodeParameter('firstMessageTemplate', itemIndex, '') ?? ''),
		[KNOWLEDGE_BASE]: String(ctx.getNodeParameter('knowledgeBaseTemplate', itemIndex, '') ?? ''),
	};
	const partials = ctx.getNodeParameter('partials.partial', itemIndex, []) as Array<{
		name?: string;
		template?: string;
	}>;
	for (const partial of partials) {
		const name = String(partial.name ?? '').trim();
		if (!name) continue;
		if (name === MASTER || name === FIRST_MESSAGE || name === KNOWLEDGE_BASE) {
			throw new ProblemError(
				`The partial name "${name}" is taken`,
				`${MASTER}, ${FIRST_MESSAGE} and ${KNOWLEDGE_BASE} have fields of their own; give the partial another name.`,
			);
		}
		templates[name] = String(partial.template ?? '');
	}
	return templates;
}

/**
 * Compiled sets of one execution, so that each distinct set (and phase choice) is compiled
 * once, however many items use it.
 */
export class CompiledSets {
	private readonly sets = new Map<string, CompiledSet>();
	/** The last item's choice: most executions use one set, so most items end here. */
	private last?: { cacheKey: string; phases: unknown; set: CompiledSet };

	get(source: TemplateSource, phases: unknown): CompiledSet {
		const last = this.last;
		if (
			last &&
			typeof phases === 'string' &&
			last.phases === phases &&
			last.cacheKey === source.cacheKey
		)
			return last.set;
		const selection = parsePhaseList(phases);
		const key = `${selection?.join(',') ?? ''}\u0000${source.cacheKey ?? JSON.stringify(source)}`;
		let set = this.sets.get(key);
		if (!set) {
			set = compileSet(source, selection);
			this.sets.set(key, set);
		}
		if (source.cacheKey !== undefined) this.last = { cacheKey: source.cacheKey, phases, set };
		return set;
	}
}

/** Name → value pairs of a fixedCollection (Extra Variables, Defaults), with checked names. */
export function variablePairs(entries: unknown, parameter: string): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const entry of Array.isArray(entries)
		? (entries as Array<{ name?: unknown; value?: unknown }>)
		: []) {
		const name = String(entry.name ?? '').trim();
		if (!name) continue;
		if (!isDynamicVariableName(name)) {
			throw new ProblemError(
				`"${name}" under ${parameter} is not a valid variable name`,
				'Use letters, digits and underscores, starting with a letter, e.g. jobLocation or contact_email (the system__ prefix is ElevenLabs’ own).',
			);
		}
		out[name] = entry.value;
	}
	return out;
}
