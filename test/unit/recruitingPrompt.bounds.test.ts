/** Build Recruiting Prompt: the expansion bound of a template set, measured as template text. */
import Handlebars from 'handlebars';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';

import {
	MAX_BLOCK_DEPTH,
	MAX_EXPANDED_CHARACTERS,
	MAX_PARTIAL_DEPTH,
	MAX_TEMPLATE_TAGS,
	checkBlockDepth,
	checkExpansion,
} from '../../nodes/RecruitingPrompt/helpers/templateBounds';
import { compileSet } from '../../nodes/RecruitingPrompt/helpers/templates';
import { thrownProblem } from './thrownProblem';

const ROOT = path.resolve(__dirname, '..', '..');

function parsed(texts: Record<string, string>): Map<string, hbs.AST.Program> {
	return new Map(Object.entries(texts).map(([name, text]) => [name, Handlebars.parse(text)]));
}

/** Levels p0 … p(n-1), each including the next twice: 2^n copies of the last. */
function doublingSet(levels: number): Record<string, string> {
	const texts: Record<string, string> = { master: 'Rolle\n{{> p0}}' };
	for (let i = 0; i < levels; i++)
		texts[`p${i}`] = i === levels - 1 ? 'Text {{name}}' : `{{> p${i + 1}}}{{> p${i + 1}}}`;
	return texts;
}

describe('checkExpansion', () => {
	it('measures the bundled sets far below the bound', () => {
		for (const set of ['de', 'en']) {
			const dir = path.join(ROOT, 'prompts', set);
			const texts: Record<string, string> = {};
			for (const file of readdirSync(dir).filter((f) => f.endsWith('.hbs')))
				texts[file.slice(0, -4)] = readFileSync(path.join(dir, file), 'utf8');
			const size = checkExpansion(texts, parsed(texts), ['master']).get('master')!;
			expect(size).toBeGreaterThan(5_000);
			expect(size).toBeLessThan(MAX_EXPANDED_CHARACTERS / 4);
		}
	});

	it('counts every include, inside blocks too', () => {
		const texts = { master: '{{#if a}}{{> p}}{{else}}{{> p}}{{/if}}{{> p}}', p: '0123456789' };
		expect(checkExpansion(texts, parsed(texts), ['master']).get('master')).toBe(
			texts.master.length + 30,
		);
	});

	it('stops a doubling set at the template where it passes the bound, without expanding it', () => {
		const texts = doublingSet(24);
		// Level k expands to sizes[k] characters; the first level (from the bottom) past the bound multiplies.
		const sizes: number[] = [];
		for (let k = 23; k >= 0; k--)
			sizes[k] = texts[`p${k}`].length + (k === 23 ? 0 : 2 * sizes[k + 1]);
		let culprit = sizes.length - 1;
		while (sizes[culprit] <= MAX_EXPANDED_CHARACTERS) culprit--;
		expect(sizes[culprit + 1]).toBeLessThanOrEqual(MAX_EXPANDED_CHARACTERS);
		const error = thrownProblem(() => checkExpansion(texts, parsed(texts), ['master']));
		expect(error.message).toBe(
			`The template "p${culprit}" multiplies its partials: it includes 2 × "p${culprit + 1}", and expands to more than 200,000 characters of template text`,
		);
		expect(error.hint).toContain('Include each partial once');
	});

	it('refuses a chain deeper than the bound, naming the chain', () => {
		const texts: Record<string, string> = { master: '{{> p0}}' };
		for (let i = 0; i < 3000; i++) texts[`p${i}`] = i === 2999 ? 'end' : `{{> p${i + 1}}}`;
		const error = thrownProblem(() => checkExpansion(texts, parsed(texts), ['master']));
		expect(error.message).toBe(
			`The partials nest more than ${MAX_PARTIAL_DEPTH} levels deep: master → p0 → p1 → p2 → … → p29 → p30 → p31`,
		);
	});

	it('leaves unknown and circular includes to the walk, which names them with their line', () => {
		const circular = thrownProblem(() =>
			compileSet({
				name: 'custom',
				bundled: false,
				templates: { master: '{{> a}}', a: '{{> b}}', b: '{{> a}}' },
			}),
		);
		expect(circular.message).toBe('The template "a" includes itself (master → a → b → a)');
	});
});

describe('checkBlockDepth', () => {
	it('takes blocks as deep as the bound, side by side without limit', () => {
		expect(() =>
			checkBlockDepth(
				'master',
				'{{#if a}}'.repeat(MAX_BLOCK_DEPTH) + '{{/if}}'.repeat(MAX_BLOCK_DEPTH),
			),
		).not.toThrow();
		expect(() => checkBlockDepth('master', '{{#if a}}x{{/if}}'.repeat(10_000))).not.toThrow();
	});

	it('refuses 2,000 nested blocks before Handlebars parses them', () => {
		const error = thrownProblem(() =>
			compileSet({
				name: 'custom',
				bundled: false,
				templates: {
					master: 'Rolle\n' + '{{#if name}}'.repeat(2000) + 'x' + '{{/if}}'.repeat(2000),
				},
			}),
		);
		expect(error.message).toBe(
			`The template "master" nests blocks more than ${MAX_BLOCK_DEPTH} levels deep (line 2)`,
		);
	});
});

describe('checkSetText', () => {
	const compileCustom = (templates: Record<string, string>) =>
		compileSet({ name: 'custom', bundled: false, templates });

	afterEach(() => jest.restoreAllMocks());

	it('refuses 100,000 tags before Handlebars parses anything', () => {
		// The work counted: no Handlebars environment is even created for such a set.
		const create = jest.spyOn(Handlebars, 'create');
		const error = thrownProblem(() => compileCustom({ master: '{{a}}'.repeat(100_000) }));
		expect(error.message).toBe(
			'The template set has more than 200,000 characters of template text (at "master")',
		);
		const tags = thrownProblem(() =>
			compileCustom({ master: 'x', p: '{{a}}'.repeat(MAX_TEMPLATE_TAGS + 1) }),
		);
		expect(tags.message).toBe(
			`The template set has more than ${MAX_TEMPLATE_TAGS.toLocaleString('en')} {{ }} tags (at "p")`,
		);
		expect(create).not.toHaveBeenCalled();
	});

	it('takes a set of exactly the most tags', () => {
		expect(() =>
			compileCustom({ master: '{{a}}'.repeat(MAX_TEMPLATE_TAGS - 1), p: '{{b}}' }),
		).not.toThrow();
	});

	it('says that inline partials and decorators are not supported', () => {
		const inline = thrownProblem(() =>
			compileCustom({ master: 'Rolle\n{{#*inline "phase-x"}}Hallo{{/inline}}\n{{> phase-x}}' }),
		);
		expect(inline.message).toBe(
			'The template "master" defines an inline partial "phase-x" on line 2; inline partials are not supported',
		);
		expect(inline.hint).toContain('{{> phase-x}}');
		const decorator = thrownProblem(() => compileCustom({ master: '{{* log}}Hallo {{name}}' }));
		expect(decorator.message).toBe(
			'The template "master" uses the decorator "log" on line 1; decorators are not supported',
		);
		expect(decorator.hint).toContain('formatDate');
	});
});
