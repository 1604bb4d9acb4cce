/** A node's description rendered as Markdown: its parameter tables per resource and operation. */
import type {
	INodeProperties,
	INodePropertyCollection,
	INodePropertyOptions,
	INodeTypeDescription,
	IDisplayOptions,
} from 'n8n-workflow';

import type { OutputField } from '../../nodes/shared/n8n/outputFields';

/** Output fields by section: `resource.operation`, `operation`, or '' for a node without either. */
export type SectionOutputs = Record<string, OutputField[]>;

/** The resource and operation an editor has chosen; `undefined` where the node has none. */
interface Section {
	resource?: string;
	operation?: string;
}

/** One table row: a parameter, or a field inside a collection, with its path from the node. */
interface Row {
	path: string;
	label: string;
	property: INodeProperties;
	shownWhen: string;
}

const SELECTORS = ['resource', 'operation'] as const;

/** Text for a table cell: one line, pipes escaped. */
function cell(text: string): string {
	return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|').trim();
}

const code = (text: string) => (text === '' ? '' : `\`${text.replace(/`/g, 'ˋ')}\``);

function selectorValue(section: Section, key: string): string | undefined {
	return key === 'resource'
		? section.resource
		: key === 'operation'
			? section.operation
			: undefined;
}

/**
 * Whether the property shows in the section, judged by its resource and operation conditions
 * only; its other conditions go into the "shown when" column.
 */
function showsIn(options: IDisplayOptions | undefined, section: Section): boolean {
	for (const key of SELECTORS) {
		const value = selectorValue(section, key);
		const show = options?.show?.[key];
		const hide = options?.hide?.[key];
		if (show && (value === undefined || !show.includes(value))) return false;
		if (hide && value !== undefined && hide.includes(value)) return false;
	}
	return true;
}

function conditionValues(values: unknown): string {
	const list = Array.isArray(values) ? values : [values];
	return list
		.map((value) => code(typeof value === 'string' ? value : JSON.stringify(value)))
		.join(' or ');
}

/** The conditions other than resource and operation, e.g. "`transport` is `ownTwilio`". */
function shownWhen(options: IDisplayOptions | undefined): string {
	const parts: string[] = [];
	for (const [kind, verb] of [
		['show', 'is'],
		['hide', 'is not'],
	] as const) {
		for (const [key, values] of Object.entries(options?.[kind] ?? {})) {
			if ((SELECTORS as readonly string[]).includes(key)) continue;
			parts.push(`${code(key)} ${verb} ${conditionValues(values)}`);
		}
	}
	return parts.join('; ');
}

function formatDefault(value: unknown): string {
	if (value === undefined || value === null || value === '') return '';
	if (typeof value === 'string') return code(value.startsWith('=') ? value.slice(1) : value);
	if (typeof value === 'object') {
		if (Array.isArray(value)) return value.length ? code(JSON.stringify(value)) : '';
		const entries = Object.entries(value as Record<string, unknown>);
		if (entries.length === 0) return '';
		const locator = value as { __rl?: boolean; mode?: string; value?: unknown };
		if (locator.__rl || ('mode' in locator && 'value' in locator))
			return locator.value ? code(String(locator.value)) : '';
		return code(JSON.stringify(value));
	}
	return code(String(value));
}

function formatType(property: INodeProperties): string {
	const bounds = property.typeOptions;
	let type = property.type as string;
	if (type === 'number' && bounds) {
		const min = bounds.minValue;
		const max = bounds.maxValue;
		if (min !== undefined && max !== undefined) type += ` (${min} to ${max})`;
		else if (min !== undefined) type += ` (${min} or more)`;
		else if (max !== undefined) type += ` (up to ${max})`;
	}
	if (bounds?.multipleValues) type += ', several';
	if (property.required) type += ', required';
	return type;
}

function isOption(option: unknown): option is INodePropertyOptions {
	return typeof option === 'object' && option !== null && 'value' in option;
}

function formatOptions(property: INodeProperties): string {
	if (property.type === 'resourceLocator')
		return (property.modes ?? [])
			.map((mode) => `${mode.displayName} (${code(mode.name)})`)
			.join(', ');
	const method = property.typeOptions?.loadOptionsMethod;
	if (method) return `loaded from the account (${code(method)})`;
	if (property.type === 'collection' || property.type === 'fixedCollection') return 'see below';
	return (property.options ?? [])
		.filter(isOption)
		.map((option) => `${option.name} (${code(String(option.value))})`)
		.join(', ');
}

function formatDescription(property: INodeProperties): string {
	return [property.description, property.hint].filter(Boolean).join(' ');
}

/** The fields inside a collection or fixed collection, each with its path. */
function nestedRows(parent: Row): Row[] {
	const { property } = parent;
	if (property.type === 'collection') {
		return (property.options ?? []).flatMap((option) =>
			rowsOf(option as INodeProperties, parent.path, parent.label, ''),
		);
	}
	if (property.type === 'fixedCollection') {
		const several = property.typeOptions?.multipleValues ? '[]' : '';
		return (property.options ?? []).flatMap((group) => {
			const { name, displayName, values } = group as INodePropertyCollection;
			return values.flatMap((value) =>
				rowsOf(value, `${parent.path}.${name}${several}`, `${parent.label} → ${displayName}`, ''),
			);
		});
	}
	return [];
}

function rowsOf(property: INodeProperties, path: string, label: string, when: string): Row[] {
	const row: Row = {
		path: path ? `${path}.${property.name}` : property.name,
		label: label ? `${label} → ${property.displayName}` : property.displayName,
		property,
		shownWhen: [when, shownWhen(property.displayOptions)].filter(Boolean).join('; '),
	};
	return [row, ...nestedRows(row)];
}

function table(rows: Row[]): string {
	const lines = [
		'| name | display name | type | default | options | description | shown when |',
		'|---|---|---|---|---|---|---|',
	];
	for (const { path, label, property, shownWhen: when } of rows) {
		const cells = [
			code(path),
			label,
			formatType(property),
			formatDefault(property.default),
			formatOptions(property),
			formatDescription(property),
			when,
		];
		lines.push(`| ${cells.map(cell).join(' | ')} |`);
	}
	return lines.join('\n');
}

function selector(description: INodeTypeDescription, name: string, section: Section) {
	return description.properties.filter(
		(property) =>
			property.name === name &&
			property.type === 'options' &&
			showsIn(property.displayOptions, section),
	);
}

/** Every resource and operation the editor offers, in the description's order. */
function sections(
	description: INodeTypeDescription,
): Array<Section & { title: string; summary: string }> {
	const resources = selector(description, 'resource', {}).flatMap((property) =>
		(property.options ?? []).filter(isOption),
	);
	const resourceList: Array<INodePropertyOptions | undefined> = resources.length
		? resources
		: [undefined];
	return resourceList.flatMap((resource) => {
		const section: Section = { resource: resource ? String(resource.value) : undefined };
		const operations = selector(description, 'operation', section).flatMap((property) =>
			(property.options ?? []).filter(isOption),
		);
		if (operations.length === 0)
			return [
				{ ...section, title: resource?.name ?? 'Parameters', summary: resource?.description ?? '' },
			];
		return operations.map((operation) => ({
			...section,
			operation: String(operation.value),
			title: [resource?.name, operation.name].filter(Boolean).join(' → '),
			summary: operation.description ?? '',
		}));
	});
}

/** The key of a section's output fields in SectionOutputs. */
export function sectionKey(section: Section): string {
	return [section.resource, section.operation].filter((part) => part !== undefined).join('.');
}

function outputTable(fields: OutputField[]): string {
	const examples = fields.some((field) => field.example !== undefined);
	const header = ['field', 'type', ...(examples ? ['example'] : []), 'present', 'description'];
	const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---|').join('')}`];
	for (const field of fields) {
		const cells = [
			code(field.name),
			field.type,
			...(examples ? [field.example === undefined ? '' : code(field.example)] : []),
			field.when ?? 'always',
			sentence(field.description),
		];
		lines.push(`| ${cells.map(cell).join(' | ')} |`);
	}
	return lines.join('\n');
}

/** The text as a sentence: with a full stop unless it ends in punctuation already. */
function sentence(text: string): string {
	const trimmed = text.trim();
	return trimmed === '' || /[.!?:)]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

function selectorLine(section: Section): string {
	const parts = SELECTORS.flatMap((key) => {
		const value = selectorValue(section, key);
		return value === undefined ? [] : [`${code(key)}: ${code(value)}`];
	});
	return parts.length ? `${parts.join(', ')}. ` : '';
}

function credentialLines(description: INodeTypeDescription): string[] {
	return (description.credentials ?? []).map((credential) => {
		const when = shownWhen(credential.displayOptions);
		const selectors = SELECTORS.flatMap((key) => {
			const values = credential.displayOptions?.show?.[key];
			return values ? [`${code(key)} is ${conditionValues(values)}`] : [];
		});
		const conditions = [...selectors, when].filter(Boolean).join('; ');
		const required = credential.required ? 'required' : 'optional';
		return `- ${code(credential.name)} (${required}${conditions ? `, when ${conditions}` : ''})`;
	});
}

/**
 * The node's reference: identity, credentials, and per resource and operation its parameter
 * table and, where declared, its output fields.
 */
export function renderNodeReference(
	description: INodeTypeDescription,
	outputs: SectionOutputs = {},
): string {
	const versions = [description.version].flat().join(', ');
	const out: string[] = [
		'## Reference',
		'',
		`Type \`${description.name}\`, version ${versions}. ${sentence(description.description)}`,
		`Usable as an AI tool: ${description.usableAsTool ? 'yes' : 'no'}.`,
	];
	const credentials = credentialLines(description);
	if (credentials.length) out.push('', 'Credentials:', '', ...credentials);
	for (const section of sections(description)) {
		const rows = description.properties
			.filter(
				(property) =>
					!(SELECTORS as readonly string[]).includes(property.name) &&
					property.type !== 'notice' &&
					showsIn(property.displayOptions, section),
			)
			.flatMap((property) => rowsOf(property, '', '', ''));
		out.push('', `### ${section.title}`, '');
		out.push(`${selectorLine(section)}${sentence(section.summary)}`.trim());
		out.push('', rows.length ? table(rows) : 'No parameters.');
		const fields = outputs[sectionKey(section)];
		if (fields?.length) out.push('', 'Output fields:', '', outputTable(fields));
	}
	return out.join('\n').replace(/\n{3,}/g, '\n\n') + '\n';
}
