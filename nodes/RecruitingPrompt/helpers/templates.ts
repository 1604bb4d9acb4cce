/** Template sets: loads the bundled ones, checks and compiles a set in its own Handlebars */
import type Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

import { handlebars } from '../../shared/n8n/lazyModule';
import { ProblemError } from '../../shared/n8n/problems';
import { HELPERS, KNOWN_HELPERS } from './handlebarsHelpers';
import {
	FIRST_MESSAGE,
	KNOWLEDGE_BASE,
	MASTER,
	PHASES,
	PHASE_PREFIX,
	VOICEMAIL_MESSAGE,
} from './templateNames';
import { checkBlockDepth, checkExpansion, checkSetText } from './templateBounds';
import { walkTemplates } from './templateWalk';
import type { TemplateUses } from './templateWalk';
import { closest, listing } from './wording';

/** Template name → Handlebars source, as in `dist/prompts/<set>.json`. */
export type TemplateTexts = Record<string, string>;

export const BUNDLED_SETS = {
	de: { language: 'de', locale: 'de-DE', label: 'German' },
	en: { language: 'en', locale: 'en-GB', label: 'English' },
} as const;
export type BundledSetName = keyof typeof BUNDLED_SETS;

/** The phase every bundled call begins with: AI and recording disclosure, consent. */
export const DISCLOSURE_PHASE = 'greeting';

export function isBundledSetName(name: string): name is BundledSetName {
	return Object.prototype.hasOwnProperty.call(BUNDLED_SETS, name);
}

// Compiled node: dist/nodes/RecruitingPrompt/helpers/templates.js → dist/prompts/<set>.json
// (written by the build's gulp task from prompts/<set>/*.hbs).
const BUNDLE_DIR = path.join(__dirname, '..', '..', '..', 'prompts');
const bundles = new Map<string, TemplateTexts>();

/** A bundled set, read from the package once per process. */
export function loadBundledSet(name: BundledSetName, directory = BUNDLE_DIR): TemplateTexts {
	const file = path.join(directory, `${name}.json`);
	const cached = bundles.get(file);
	if (cached) return cached;
	const read = readJson(file);
	if ('failure' in read) {
		throw new ProblemError(
			`The bundled template set "${name}" is ${read.failure === 'missing' ? 'missing from' : 'unreadable in'} this installation of the package`,
			`Expected the file prompts/${name}.json in the package's dist folder. Reinstall n8n-nodes-voice-recruiting (Settings → Community nodes); when developing, run npm run build.`,
		);
	}
	const parsed = read.value;
	const texts = asTemplateTexts(parsed);
	if (!texts) {
		throw new ProblemError(
			`The bundled template set "${name}" in this installation is damaged`,
			`prompts/${name}.json must hold template names and their text. Reinstall n8n-nodes-voice-recruiting.`,
		);
	}
	bundles.set(file, texts);
	return texts;
}

function readJson(file: string): { value: unknown } | { failure: 'missing' | 'unreadable' } {
	try {
		return { value: JSON.parse(readFileSync(file, 'utf8')) as unknown };
	} catch (error) {
		return { failure: (error as { code?: string }).code === 'ENOENT' ? 'missing' : 'unreadable' };
	}
}

/** An object of template texts, or undefined when the value is not one. */
export function asTemplateTexts(value: unknown): TemplateTexts | undefined {
	if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
	const out: TemplateTexts = {};
	for (const [name, text] of Object.entries(value)) {
		if (typeof text !== 'string') return undefined;
		out[name] = text;
	}
	return out;
}

/** What a template set is made of, before compiling. */
export interface TemplateSource {
	/** `de`, `en`, or `custom`. */
	name: string;
	/** Whether it is one of the sets this package ships (their rules apply: disclosure first). */
	bundled: boolean;
	templates: TemplateTexts;
	/** Language and date locale of the set, when it has its own. */
	language?: string;
	locale?: string;
	/** Identifies the same set across items (so that an execution compiles it once). */
	cacheKey?: string;
}

export type TemplateDelegate = Handlebars.TemplateDelegate;

/** A template set compiled for one execution: templates, phases, and the variables they use. */
export interface CompiledSet extends TemplateUses {
	name: string;
	bundled: boolean;
	language?: string;
	locale?: string;
	master: TemplateDelegate;
	firstMessage?: TemplateDelegate;
	knowledgeBase?: TemplateDelegate;
	/** What the agent leaves on a mailbox (Publish sets it on the agent's voicemail tool). */
	voicemailMessage?: TemplateDelegate;
}

const COMPILE_OPTIONS: CompileOptions = {
	strict: true,
	noEscape: true,
	knownHelpersOnly: true,
	// Handlebars' log helper is known by default; templates have no business writing to n8n's log.
	knownHelpers: { ...Object.fromEntries(KNOWN_HELPERS.map((name) => [name, true])), log: false },
	preventIndent: true,
};

/** The templates that are outputs of their own; every other template is a partial. */
const ROOTS = [MASTER, FIRST_MESSAGE, KNOWLEDGE_BASE, VOICEMAIL_MESSAGE];

const TEMPLATE_NAME = /^[A-Za-z0-9_-]+$/;
const PHASE_NAME = /^[A-Za-z0-9_-]+$/;

/** Phase names from a comma- or line-separated list; empty means "the set's own order". */
export function parsePhaseList(value: unknown): string[] | undefined {
	const list = Array.isArray(value) ? value.map(String) : String(value ?? '').split(/[,;\n]/);
	const names = list.map((name) => name.trim()).filter(Boolean);
	return names.length ? names : undefined;
}

function phaseNames(templates: TemplateTexts): string[] {
	return Object.keys(templates)
		.filter((name) => name.startsWith(PHASE_PREFIX))
		.map((name) => name.slice(PHASE_PREFIX.length))
		.sort((a, b) => a.localeCompare(b));
}

function selectPhases(source: TemplateSource, selection: string[]): string {
	const available = phaseNames(source.templates);
	const setName = source.bundled ? `"${source.name}"` : 'custom';
	const unknown = selection.filter((name) => !PHASE_NAME.test(name) || !available.includes(name));
	if (unknown.length) {
		const hints = unknown
			.map((name) => [name, closest(name, available)])
			.filter(([, near]) => near)
			.map(([name, near]) => `"${name}" → "${near}"?`);
		throw new ProblemError(
			`Unknown phase${unknown.length > 1 ? 's' : ''} ${listing(unknown.map((n) => `"${n}"`))} in Phases`,
			`${available.length ? `The ${setName} template set has the phases ${available.join(', ')}.` : `The ${setName} template set has no phase templates (phase-<name>).`}${hints.length ? ` Did you mean ${hints.join(' ')}` : ''} Leave Phases empty for all phases in the set's own order.`,
		);
	}
	const twice = selection.filter((name, i) => selection.indexOf(name) !== i);
	if (twice.length) {
		throw new ProblemError(
			`The phase${twice.length > 1 ? 's' : ''} ${listing([...new Set(twice)].map((n) => `"${n}"`))} ${twice.length > 1 ? 'are' : 'is'} listed twice in Phases`,
			'List each phase once, in the order the agent should go through them.',
		);
	}
	if (source.bundled && selection[0] !== DISCLOSURE_PHASE) {
		throw new ProblemError(
			`The bundled template sets begin every call with the phase "${DISCLOSURE_PHASE}"`,
			`"${DISCLOSURE_PHASE}" tells the candidate that an AI is calling and that the call is recorded, and asks for consent before anything else. Put it first in Phases (e.g. "${DISCLOSURE_PHASE}, identity, interest"). To build a call without it, use a custom template set.`,
		);
	}
	return `${selection.map((name) => `{{> ${PHASE_PREFIX}${name}}}`).join('\n\n')}\n`;
}

/** A Handlebars error turned into "template X has a syntax error on line N" with the detail. */
function syntaxError(template: string, error: unknown, setName: string): ProblemError {
	const e = error as { message?: string; lineNumber?: number; column?: number };
	const message = String(e.message ?? error);
	const unknownHelper = /unknown helper (\S+)/.exec(message);
	const line = e.lineNumber ?? Number(/on line (\d+)/.exec(message)?.[1] ?? NaN);
	const where = Number.isFinite(line)
		? ` on line ${line}${typeof e.column === 'number' ? `, column ${e.column + 1}` : ''}`
		: '';
	const inSet = setName === 'custom' ? '' : ` of the "${setName}" set`;
	if (unknownHelper) {
		return new ProblemError(
			`The template "${template}"${inSet} uses the unknown helper "${unknownHelper[1]}"${where}`,
			`Helpers you can use: ${Object.keys(HELPERS).join(', ')}, and Handlebars' if, unless, each, with, lookup. A variable is written without arguments: {{name}}.`,
		);
	}
	const detail = message.replace(/\s+-\s+\d+:\d+$/, '');
	return new ProblemError(
		`The template "${template}"${inSet} has a syntax error${where}`,
		`${detail}\nCheck the {{ }} tags near that line: every {{#if}} needs its {{/if}}, every tag closes with }}, and partials are written {{> name}}.`,
	);
}

/** Runs `work`; a Handlebars exception becomes a ProblemError that names the template and line. */
function handlebarsStep<T>(name: string, setName: string, work: () => T): T {
	let failure: unknown;
	try {
		return work();
	} catch (error) {
		failure = error;
	}
	throw syntaxError(name, failure, setName);
}

function compileTemplate(
	env: typeof Handlebars,
	name: string,
	program: hbs.AST.Program,
	setName: string,
): TemplateDelegate {
	return handlebarsStep(name, setName, () => {
		const delegate = env.compile(program, COMPILE_OPTIONS) as TemplateDelegate & {
			_setup?: (o: object) => unknown;
		};
		// Handlebars compiles on first use; do it now, so that errors surface here, once.
		delegate._setup?.({});
		return delegate;
	});
}

/** The set's non-empty templates, checked: not empty, with a master, names that are allowed. */
function setTexts(source: TemplateSource): TemplateTexts {
	const setName = source.name;
	const texts = Object.fromEntries(
		Object.entries(source.templates).filter(([, text]) => text.trim() !== ''),
	);
	if (!Object.keys(texts).length) {
		throw new ProblemError(
			source.bundled
				? `The bundled template set "${setName}" is empty`
				: 'The custom template set is empty',
			source.bundled
				? 'Reinstall n8n-nodes-voice-recruiting; the package ships its templates in dist/prompts.'
				: 'Give at least the master template (the system prompt), as a parameter or in the item field with the templates.',
		);
	}
	if (!texts[MASTER]) {
		throw new ProblemError(
			`The ${source.bundled ? `"${setName}"` : 'custom'} template set has no master template`,
			`The master template becomes the system prompt. Add a template named "${MASTER}" (the set has ${Object.keys(texts).sort().join(', ')}).`,
		);
	}
	for (const name of Object.keys(texts)) {
		// A phase stands on a line of its own ({{> phase-…}}), which Handlebars removes with its
		// line break: end each phase with one, so that phases stay paragraphs apart.
		if (name.startsWith(PHASE_PREFIX) && !texts[name].endsWith('\n')) texts[name] += '\n';
		if (!TEMPLATE_NAME.test(name)) {
			throw new ProblemError(
				`The template name "${name}" is not allowed`,
				'Template and partial names use letters, digits, - and _ only, e.g. phase-greeting.',
			);
		}
	}
	return texts;
}

/** The phases template: the chosen phases in their order, else the set's own or all of its phases. */
function addPhases(texts: TemplateTexts, source: TemplateSource, selection?: string[]): void {
	if (selection) {
		texts[PHASES] = selectPhases(source, selection);
	} else if (!texts[PHASES]) {
		const all = phaseNames(texts);
		if (all.length)
			texts[PHASES] = `${all.map((name) => `{{> ${PHASE_PREFIX}${name}}}`).join('\n\n')}\n`;
	}
}

/** The set's own Handlebars environment (this package's helpers, no log) and every template parsed. */
function parseSet(texts: TemplateTexts, setName: string) {
	// Before anything parses: the nesting (the parser's stack), then the tags (its time).
	for (const [name, text] of Object.entries(texts)) checkBlockDepth(name, text);
	checkSetText(texts);
	const env = handlebars().create();
	env.unregisterHelper('log');
	for (const [name, helper] of Object.entries(HELPERS)) env.registerHelper(name, helper);

	const programs = new Map<string, hbs.AST.Program>();
	for (const [name, text] of Object.entries(texts)) {
		programs.set(
			name,
			handlebarsStep(name, setName, () => env.parse(text)),
		);
	}
	return { env, programs };
}

/** Every template compiled; those that are not outputs of their own become partials. */
function compilePrograms(
	env: typeof Handlebars,
	programs: Map<string, hbs.AST.Program>,
	setName: string,
): Map<string, TemplateDelegate> {
	const compiled = new Map<string, TemplateDelegate>();
	for (const [name, program] of programs) {
		const delegate = compileTemplate(env, name, program, setName);
		compiled.set(name, delegate);
		if (!ROOTS.includes(name)) env.registerPartial(name, delegate);
	}
	return compiled;
}

/**
 * Parses, checks and compiles a template set, in a Handlebars environment of its own. Errors
 * (syntax, unknown partials, helpers or phases, an empty set) are ProblemErrors that name the
 * template and line.
 */
export function compileSet(source: TemplateSource, selection?: string[]): CompiledSet {
	const setName = source.name;
	const texts = setTexts(source);
	addPhases(texts, source, selection);
	const { env, programs } = parseSet(texts, setName);

	// Before the walk and the render, which would both expand every include.
	checkExpansion(texts, programs, ROOTS);
	const uses = walkTemplates(programs);
	if (selection && !uses.phases.length) {
		throw new ProblemError(
			'Phases were chosen, but the master template does not include them',
			`Add {{> ${PHASES}}} to the master template where the phases belong, or leave Phases empty.`,
		);
	}

	const compiled = compilePrograms(env, programs, setName);
	return {
		name: setName,
		bundled: source.bundled,
		language: source.language,
		locale: source.locale,
		master: compiled.get(MASTER)!,
		firstMessage: compiled.get(FIRST_MESSAGE),
		knowledgeBase: compiled.get(KNOWLEDGE_BASE),
		voicemailMessage: compiled.get(VOICEMAIL_MESSAGE),
		...uses,
	};
}
