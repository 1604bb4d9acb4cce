/**
 * The generated parts of the docs: for every node in package.json's n8n.nodes, its page under
 * docs/nodes/ (the reference block between the markers; the text around it is written by hand),
 * its codex file's link to that page, and the index docs/nodes/README.md.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

import type { INodeType, INodeTypeDescription } from 'n8n-workflow';

import type { Operation } from '../../nodes/shared/n8n/router';
import type { OutputField } from '../../nodes/shared/n8n/outputFields';
import { renderNodeReference } from './nodeReference';
import type { SectionOutputs } from './nodeReference';

export const BEGIN_MARKER =
	'<!-- BEGIN GENERATED REFERENCE: `npm run docs` writes this part from the node description; edit the description, not this -->';
export const END_MARKER = '<!-- END GENERATED REFERENCE -->';

export interface NodeSource {
	/** The node's TypeScript source, e.g. nodes/AgentCall/AgentCall.node.ts. */
	sourceFile: string;
	description: INodeTypeDescription;
	/** The output fields its operations (or the node itself) declare. */
	outputs?: SectionOutputs;
}

/** The TypeScript source of a built node listed in package.json (dist/nodes/X/X.node.js). */
function sourceOf(root: string, distFile: string): string {
	return path.join(root, distFile.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
}

function readPackage(root: string): { nodes: string[]; homepage: string; name: string } {
	const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
		name: string;
		homepage: string;
		n8n: { nodes: string[] };
	};
	return { nodes: pkg.n8n.nodes, homepage: pkg.homepage, name: pkg.name };
}

/**
 * The output fields a node declares: each routed operation's `outputFields` (the `resources` of
 * actions/router.ts, or its `operations` for a node without resources), or the node file's own
 * `outputFields` (a trigger).
 */
function loadOutputs(sourceFile: string, exported: Record<string, unknown>): SectionOutputs {
	const outputs: SectionOutputs = {};
	if (Array.isArray(exported.outputFields)) outputs[''] = exported.outputFields as OutputField[];
	const routerFile = path.join(path.dirname(sourceFile), 'actions', 'router.ts');
	if (!existsSync(routerFile)) return outputs;
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { resources, operations } = require(routerFile) as {
		resources?: Record<string, Record<string, Operation>>;
		operations?: Record<string, Operation>;
	};
	for (const [resource, routed] of Object.entries(resources ?? {}))
		for (const [operation, module] of Object.entries(routed))
			if (module.outputFields) outputs[`${resource}.${operation}`] = module.outputFields;
	for (const [operation, module] of Object.entries(operations ?? {}))
		if (module.outputFields) outputs[operation] = module.outputFields;
	return outputs;
}

/** Every node of package.json, its description read from its TypeScript source (no n8n, no build). */
export function loadNodes(root: string): NodeSource[] {
	return readPackage(root).nodes.map((distFile) => {
		const sourceFile = sourceOf(root, distFile);
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const exported = require(sourceFile) as Record<string, unknown>;
		const types = Object.values(exported).filter(
			(value): value is new () => INodeType => typeof value === 'function',
		);
		const node = types.map((NodeClass) => new NodeClass()).find((instance) => instance.description);
		if (!node) throw new Error(`${distFile}: its source ${sourceFile} exports no node class`);
		return {
			sourceFile,
			description: node.description,
			outputs: loadOutputs(sourceFile, exported),
		};
	});
}

/** The page's file name: the node type in kebab case, e.g. agentCall → agent-call.md. */
export function pageName(description: INodeTypeDescription): string {
	return `${description.name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()}.md`;
}

/** The page with its reference block rendered anew; a new page gets a title and the summary. */
export function pageWithReference(
	current: string | undefined,
	description: INodeTypeDescription,
	outputs: SectionOutputs = {},
) {
	const block = `${BEGIN_MARKER}\n\n${renderNodeReference(description, outputs)}\n${END_MARKER}\n`;
	const text =
		current ??
		`# ${description.displayName} (\`${description.name}\`)\n\n${description.description}.\n`;
	const begin = text.indexOf(BEGIN_MARKER);
	const end = text.indexOf(END_MARKER);
	if (begin === -1 || end === -1) return `${text.trimEnd()}\n\n${block}`;
	return `${text.slice(0, begin)}${block}${text.slice(end + END_MARKER.length).replace(/^\n/, '')}`;
}

function pageUrl(root: string, page: string): string {
	const repository = readPackage(root).homepage.replace(/#.*$/, '');
	return `${repository}/blob/main/docs/nodes/${page}`;
}

/** The codex file with its primary documentation pointing at the node's page. */
export function codexWithLink(current: string | undefined, nodeType: string, url: string): string {
	const linked = `"primaryDocumentation": [{ "url": "${url}" }]`;
	const pattern = /"primaryDocumentation":\s*\[\s*\{\s*"url":\s*"[^"]*"\s*\}\s*\]/;
	if (current && pattern.test(current)) return current.replace(pattern, linked);
	const codex = (
		current
			? JSON.parse(current)
			: {
					node: nodeType,
					nodeVersion: '1.0',
					codexVersion: '1.0',
					categories: [],
				}
	) as { resources?: Record<string, unknown> };
	codex.resources = { ...codex.resources, primaryDocumentation: [{ url }] };
	return `${JSON.stringify(codex, null, '\t')}\n`;
}

function indexPage(nodes: NodeSource[]): string {
	const rows = nodes.map(
		({ description }) =>
			`| [${description.displayName}](${pageName(description)}) | \`${description.name}\` | ${description.description} |`,
	);
	return [
		'# Nodes',
		'',
		`<!-- ${"Generated by `npm run docs` from package.json's n8n.nodes; do not edit."} -->`,
		'',
		'One page per node: what it does and how to use it, then its reference, generated from the',
		"node's own description (every parameter by resource and operation).",
		'',
		'| node | type | what it does |',
		'|---|---|---|',
		...rows,
		'',
	].join('\n');
}

const readIfExists = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : undefined);

/** Every generated file with the text it should have: file path (absolute) → text. */
export function plannedDocs(
	root: string,
	nodes: NodeSource[] = loadNodes(root),
): Map<string, string> {
	const packageName = readPackage(root).name;
	const planned = new Map<string, string>();
	for (const { sourceFile, description, outputs } of nodes) {
		const page = path.join(root, 'docs', 'nodes', pageName(description));
		planned.set(page, pageWithReference(readIfExists(page), description, outputs));
		const codex = sourceFile.replace(/\.ts$/, '.json');
		const nodeType = `${packageName}.${description.name}`;
		planned.set(
			codex,
			codexWithLink(readIfExists(codex), nodeType, pageUrl(root, pageName(description))),
		);
	}
	planned.set(path.join(root, 'docs', 'nodes', 'README.md'), indexPage(nodes));
	return planned;
}

/** The generated files whose committed text differs from what `npm run docs` would write. */
export function staleDocs(root: string, nodes?: NodeSource[]): string[] {
	return [...plannedDocs(root, nodes)]
		.filter(([file, text]) => readIfExists(file) !== text)
		.map(([file]) => path.relative(root, file));
}
