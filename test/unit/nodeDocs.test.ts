/** The node pages under docs/nodes/ and the codex links are what `npm run docs` generates. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

import type { INodeProperties } from 'n8n-workflow';

import {
	BEGIN_MARKER,
	codexWithLink,
	END_MARKER,
	loadNodes,
	pageName,
	pageWithReference,
	staleDocs,
} from '../../scripts/docs/nodePages';
import { renderNodeReference } from '../../scripts/docs/nodeReference';

const root = path.resolve(__dirname, '../..');
const nodes = loadNodes(root);

describe('generated node docs', () => {
	it('has every node of package.json, read from its source', () => {
		const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
			n8n: { nodes: string[] };
		};
		expect(nodes.map((node) => path.relative(root, node.sourceFile))).toEqual(
			pkg.n8n.nodes.map((file) => file.replace(/^dist\//, '').replace(/\.js$/, '.ts')),
		);
	});

	it('matches the committed pages, index and codex files (run `npm run docs` after a change)', () => {
		expect(staleDocs(root, nodes)).toEqual([]);
	});

	it('finds the page stale when a description changes without it', () => {
		const [first, ...rest] = nodes;
		const changed = structuredClone(first.description);
		const property = changed.properties.find((p) => p.description) as INodeProperties;
		property.description = `${property.description} Changed.`;
		expect(staleDocs(root, [{ ...first, description: changed }, ...rest])).toEqual([
			`docs/nodes/${pageName(first.description)}`,
		]);
	});

	it('finds the page stale when an operation’s output fields change without it', () => {
		const transcript = nodes.find((node) => node.description.name === 'transcript')!;
		const outputs = structuredClone(transcript.outputs!);
		outputs['conversation.get'][0].description += ' Changed.';
		const changed = nodes.map((node) => (node === transcript ? { ...node, outputs } : node));
		expect(staleDocs(root, changed)).toEqual(['docs/nodes/transcript.md']);
	});

	it('links each codex file to its page', () => {
		for (const { sourceFile, description } of nodes) {
			const codex = JSON.parse(readFileSync(sourceFile.replace(/\.ts$/, '.json'), 'utf8')) as {
				resources: { primaryDocumentation: Array<{ url: string }> };
			};
			expect(codex.resources.primaryDocumentation[0].url).toMatch(
				new RegExp(`/blob/main/docs/nodes/${pageName(description)}$`),
			);
		}
	});
});

describe('renderNodeReference', () => {
	const agentCall = nodes.find((node) => node.description.name === 'agentCall')!.description;
	const reference = renderNodeReference(agentCall);

	it('gives each resource and operation its own table', () => {
		expect(reference).toContain('### Call → Place');
		expect(reference).toContain('### Campaign → Submit');
		expect(reference).toContain('### Do Not Call → Remove');
	});

	it('shows a parameter with its type, bounds, default, options and condition', () => {
		const row = (name: string) =>
			reference
				.split('\n')
				.find((line) => line.startsWith(`| \`${name}\` |`))
				?.split(' | ');
		expect(row('phoneNumberId')?.at(-1)).toBe('`transport` is `elevenLabs` |');
		expect(row('options.maxAttempts')?.slice(1, 4)).toEqual([
			'Options → Max Attempts',
			'number (1 or more)',
			'`3`',
		]);
		expect(row('transport')?.[4]).toBe(
			'ElevenLabs Phone Number (`elevenLabs`), Own Twilio Account (`ownTwilio`)',
		);
	});
});

describe('pageWithReference', () => {
	const description = nodes[0].description;

	it('keeps the text written by hand around the reference block', () => {
		const page = `# Title\n\nBy hand.\n\n${BEGIN_MARKER}\nold\n${END_MARKER}\n\n## After\n`;
		const next = pageWithReference(page, description);
		expect(next.startsWith('# Title\n\nBy hand.\n\n')).toBe(true);
		expect(next.endsWith(`${END_MARKER}\n\n## After\n`)).toBe(true);
		expect(next).not.toContain('\nold\n');
		expect(pageWithReference(next, description)).toBe(next);
	});

	it('starts a page for a new node with its title and summary', () => {
		const page = pageWithReference(undefined, description);
		expect(page.startsWith(`# ${description.displayName} (\`${description.name}\`)\n`)).toBe(true);
		expect(page).toContain(BEGIN_MARKER);
	});
});

describe('codexWithLink', () => {
	const url = 'https://example.org/docs/nodes/sms-trigger.md';

	it('points an existing link at the page and leaves the rest of the file as it was', () => {
		const codex =
			'{\n\t"node": "x.smsTrigger",\n\t"categories": ["Communication"],\n\t"resources": {\n\t\t"primaryDocumentation": [\n\t\t\t{ "url": "https://example.org#sms" }\n\t\t]\n\t}\n}\n';
		expect(codexWithLink(codex, 'x.smsTrigger', url)).toBe(
			codex.replace(
				/"primaryDocumentation": \[[^\]]*\]/,
				`"primaryDocumentation": [{ "url": "${url}" }]`,
			),
		);
	});

	it('adds the link to a codex without one, and writes a codex for a node that has none', () => {
		const added = JSON.parse(
			codexWithLink('{ "node": "x.smsTrigger", "categories": ["Communication"] }', 'x', url),
		) as Record<string, unknown>;
		expect(added).toEqual({
			node: 'x.smsTrigger',
			categories: ['Communication'],
			resources: { primaryDocumentation: [{ url }] },
		});
		expect(JSON.parse(codexWithLink(undefined, 'x.smsTrigger', url))).toMatchObject({
			node: 'x.smsTrigger',
			resources: { primaryDocumentation: [{ url }] },
		});
	});
});
