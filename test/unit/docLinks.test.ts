/** Every relative link of the Markdown docs reaches a file, and a heading where it names one. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../..');

/** The Markdown files a reader moves between: the README, the guides, everything under docs/. */
function docFiles(): string[] {
	const underDocs = (readdirSync(path.join(root, 'docs'), { recursive: true }) as string[])
		.filter((file) => file.endsWith('.md'))
		.map((file) => path.join('docs', file));
	const top = ['README.md', 'CONTRIBUTING.md', 'CHANGELOG.md'];
	const guides = ['workflows/README.md', 'prompts/README.md', 'sandbox/README.md'];
	return [...top, ...guides, ...underDocs].filter((file) => existsSync(path.join(root, file)));
}

const withoutCode = (text: string) => text.replace(/^```[\s\S]*?^```/gm, '');

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchors(file: string): Set<string> {
	const seen = new Map<string, number>();
	const found = new Set<string>();
	for (const [, heading] of withoutCode(readFileSync(file, 'utf8')).matchAll(/^#{1,6} (.+)$/gm)) {
		const slug = heading
			.trim()
			.toLowerCase()
			.replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
			.replace(/ /g, '-');
		const count = seen.get(slug) ?? 0;
		seen.set(slug, count + 1);
		found.add(count ? `${slug}-${count}` : slug);
	}
	return found;
}

function brokenLinks(file: string): string[] {
	const text = withoutCode(readFileSync(path.join(root, file), 'utf8')).replace(
		/<!--[\s\S]*?-->/g,
		'',
	);
	const broken: string[] = [];
	for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
		if (/^[a-z]+:/i.test(target)) continue;
		const [filePart, anchor] = target.split('#');
		const resolved = filePart
			? path.resolve(root, path.dirname(file), filePart)
			: path.join(root, file);
		if (!existsSync(resolved)) broken.push(`${target} (no such file)`);
		else if (anchor && resolved.endsWith('.md') && !anchors(resolved).has(anchor))
			broken.push(`${target} (no such heading)`);
	}
	return broken;
}

describe('links between the docs', () => {
	it.each(docFiles())('%s links only to files and headings that exist', (file) => {
		expect(brokenLinks(file)).toEqual([]);
	});

	it('finds a moved heading', () => {
		expect(anchors(path.join(root, 'docs/nodes/web-rtc-token.md'))).toContain(
			'the-sandboxs-browser-conversations',
		);
		expect(anchors(path.join(root, 'docs/nodes/transcript.md'))).toContain(
			'conversation--get-many',
		);
		expect(anchors(path.join(root, 'README.md'))).not.toContain('never-dialled-twice');
	});
});
