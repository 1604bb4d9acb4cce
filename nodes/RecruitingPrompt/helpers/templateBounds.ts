/**
 * How much template text a set expands to through its partials, and how deep they nest, found
 * from the syntax trees before anything walks or renders them. A partial that includes another
 * one twice, level after level, doubles the text each time: under 1 KB of templates can expand
 * to megabytes and block n8n for seconds, and a long chain overflows the stack. Each template's
 * size is computed once (memoised), so this check itself stays linear in the set.
 */
import { ProblemError } from '../../shared/n8n/problems';
import { KNOWN_HELPERS } from './handlebarsHelpers';

/**
 * The most template text (characters of source, partials expanded) a set may expand to: 4 times
 * the default prompt limit, far above the bundled sets (about 20,000), far below what blocks
 * n8n's event loop noticeably.
 */
export const MAX_EXPANDED_CHARACTERS = 200_000;

/** The deepest nesting of partials (the bundled sets use 3: master → phases → phase-…). */
export const MAX_PARTIAL_DEPTH = 32;

/** The deepest nesting of blocks ({{#if}} in {{#if}} …) in one template; Handlebars' parser overflows its stack near 2,000. */
export const MAX_BLOCK_DEPTH = 100;

const BLOCK_TAG = /\{\{~?\s*([#^/])/g;

/**
 * The most tags ({{…}}) a whole set may have: the bundled sets have about 210. Handlebars
 * parses and compiles in time that grows with the tags (100,000 tags took 12 s and more), so
 * they are counted on the text, before anything parses it.
 */
export const MAX_TEMPLATE_TAGS = 5_000;

const TAG = /\{\{/g;
/** `{{* decorator}}` and `{{#* inline "name"}}`: Handlebars' decorators. */
const DECORATOR_TAG = /\{\{~?\s*#?\s*\*\s*([^\s}]*)\s*("[^"]*"|'[^']*')?/;

/**
 * Checks a set's texts before Handlebars parses them: at most MAX_TEMPLATE_TAGS tags and
 * MAX_EXPANDED_CHARACTERS characters in all, and no decorators (an inline partial would
 * otherwise be reported as a partial the set lacks).
 */
export function checkSetText(texts: Record<string, string>): void {
	let tags = 0;
	let characters = 0;
	for (const [name, text] of Object.entries(texts)) {
		characters += text.length;
		if (characters > MAX_EXPANDED_CHARACTERS) {
			throw new ProblemError(
				`The template set has more than ${MAX_EXPANDED_CHARACTERS.toLocaleString('en')} characters of template text (at "${name}")`,
				`A set may have at most ${MAX_EXPANDED_CHARACTERS.toLocaleString('en')} characters, partials included. Shorten the templates, or check the field the templates come from.`,
			);
		}
		tags += text.match(TAG)?.length ?? 0;
		if (tags > MAX_TEMPLATE_TAGS) {
			throw new ProblemError(
				`The template set has more than ${MAX_TEMPLATE_TAGS.toLocaleString('en')} {{ }} tags (at "${name}")`,
				`A set may have at most ${MAX_TEMPLATE_TAGS.toLocaleString('en')} tags; the bundled ones have about 200. Write repeated text out instead of generating it, or check the field the templates come from.`,
			);
		}
		const decorator = DECORATOR_TAG.exec(text);
		if (decorator) {
			const line = text.slice(0, decorator.index).split('\n').length;
			const inline = decorator[1] === 'inline';
			const partial = decorator[2]?.slice(1, -1);
			throw new ProblemError(
				inline
					? `The template "${name}" defines an inline partial${partial ? ` "${partial}"` : ''} on line ${line}; inline partials are not supported`
					: `The template "${name}" uses the decorator "${decorator[1] || '*'}" on line ${line}; decorators are not supported`,
				inline
					? `Make "${partial || 'the partial'}" a template of its own in the set (a custom template with that name) and include it with {{> ${partial || 'name'}}}.`
					: `Templates may use variables, partials ({{> name}}) and the helpers ${KNOWN_HELPERS.join(', ')}.`,
			);
		}
	}
}

/**
 * Checks, on the text before Handlebars parses it, that blocks nest at most MAX_BLOCK_DEPTH
 * deep: thousands of nested {{#if}} end in "Maximum call stack size exceeded" instead.
 */
export function checkBlockDepth(name: string, text: string): void {
	let depth = 0;
	for (const match of text.matchAll(BLOCK_TAG)) {
		depth += match[1] === '/' ? -1 : 1;
		if (depth > MAX_BLOCK_DEPTH) {
			const line = text.slice(0, match.index).split('\n').length;
			throw new ProblemError(
				`The template "${name}" nests blocks more than ${MAX_BLOCK_DEPTH} levels deep (line ${line})`,
				'Each {{#if}}, {{#unless}} or {{#each}} inside another adds a level. Combine conditions, e.g. {{#if (and name jobTitle)}}, instead of nesting them.',
			);
		}
	}
}

interface Expansion {
	/** Characters of template source, with every included partial counted as often as included. */
	size: number;
	/** The longest chain of includes below the template, the template itself first. */
	chain: string[];
}

/** The partials a program includes, by name, as often as it includes them (blocks included). */
function includedPartials(program: hbs.AST.Program | undefined, out: string[] = []): string[] {
	for (const statement of program?.body ?? []) {
		if (statement.type === 'PartialStatement' || statement.type === 'PartialBlockStatement') {
			const node = statement as hbs.AST.PartialStatement;
			if (node.name.type === 'PathExpression')
				out.push((node.name as hbs.AST.PathExpression).original);
			if (statement.type === 'PartialBlockStatement')
				includedPartials((statement as hbs.AST.PartialBlockStatement).program, out);
		} else if (statement.type === 'BlockStatement' || statement.type === 'DecoratorBlock') {
			const block = statement as hbs.AST.BlockStatement;
			includedPartials(block.program, out);
			includedPartials(block.inverse, out);
		}
	}
	return out;
}

function shortChain(chain: string[]): string {
	const names = chain.length > 8 ? [...chain.slice(0, 4), '…', ...chain.slice(-3)] : chain;
	return names.join(' → ');
}

function counted(names: string[]): string {
	const counts = new Map<string, number>();
	for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
	return [...counts]
		.map(([name, count]) => `${count > 1 ? `${count} × ` : ''}"${name}"`)
		.join(', ');
}

function tooDeep(chain: string[]): ProblemError {
	return new ProblemError(
		`The partials nest more than ${MAX_PARTIAL_DEPTH} levels deep: ${shortChain(chain)}`,
		`Each template there includes the next. Include partials at most ${MAX_PARTIAL_DEPTH} levels deep: put the text of the inner ones into the partial that includes them.`,
	);
}

/**
 * Checks that each root (master, first message, knowledge base) stays within
 * MAX_EXPANDED_CHARACTERS and MAX_PARTIAL_DEPTH; the error names the template that multiplies
 * (the first whose expansion passes the limit) or the chain that is too deep. Unknown and
 * circular includes count as nothing here: the walk reports them with their line.
 * Returns the expanded size of every root.
 */
export function checkExpansion(
	texts: Record<string, string>,
	programs: Map<string, hbs.AST.Program>,
	roots: string[],
): Map<string, number> {
	const memo = new Map<string, Expansion>();
	const active = new Set<string>();

	const expand = (name: string, above: string[]): Expansion => {
		const known = memo.get(name);
		if (known) return known;
		// Stop before the recursion itself gets deep (a chain of thousands of partials).
		if (above.length >= MAX_PARTIAL_DEPTH) throw tooDeep([...above, name]);
		active.add(name);
		let size = texts[name]?.length ?? 0;
		let chain = [name];
		const partials = includedPartials(programs.get(name)).filter(
			(partial) => programs.has(partial) && !active.has(partial),
		);
		for (const partial of partials) {
			const inner = expand(partial, [...above, name]);
			if (above.length + 1 + inner.chain.length > MAX_PARTIAL_DEPTH)
				throw tooDeep([...above, name, ...inner.chain]);
			size += inner.size;
			if (inner.chain.length + 1 > chain.length) chain = [name, ...inner.chain];
			if (size > MAX_EXPANDED_CHARACTERS) {
				throw new ProblemError(
					`The template "${name}" multiplies its partials: it includes ${counted(partials)}, and expands to more than ${MAX_EXPANDED_CHARACTERS.toLocaleString('en')} characters of template text`,
					`Every {{> …}} copies the whole partial, so a partial that includes another one several times, level after level, doubles the text with each level (${shortChain(chain)}). Include each partial once, or write the repeated text out. A set may expand to at most ${MAX_EXPANDED_CHARACTERS.toLocaleString('en')} characters.`,
				);
			}
		}
		active.delete(name);
		const expansion = { size, chain };
		memo.set(name, expansion);
		return expansion;
	};

	const sizes = new Map<string, number>();
	for (const root of roots) if (programs.has(root)) sizes.set(root, expand(root, []).size);
	return sizes;
}
