/**
 * The walk over a template set's syntax trees, before compiling: which variables the outputs
 * use (and whether each must be given), which phases the master includes, and whether it places
 * the knowledge base itself. Mistakes Handlebars would only find while rendering (a field inside
 * a variable, an unknown or circular partial) are ProblemErrors here, once per set.
 */
import { ProblemError } from '../../shared/n8n/problems';
import { KNOWN_HELPERS, TOLERANT_HELPERS } from './handlebarsHelpers';
import {
	FIRST_MESSAGE,
	KNOWLEDGE_BASE,
	MASTER,
	PHASE_PREFIX,
	VOICEMAIL_MESSAGE,
} from './templateNames';
import { closest } from './wording';

/** Where and how templates use a variable. */
export interface VariableUse {
	/** Whether some template prints it without a condition or default (so it must be given). */
	required: boolean;
	/** Templates that use it (for error messages). */
	templates: string[];
	/** Whether the knowledge base uses it (company and job data: the same for every candidate). */
	inKnowledgeBase: boolean;
	/** Whether the voicemail message uses it (a mailbox others may hear). */
	inVoicemailMessage: boolean;
}

/** What a set's three outputs use, found by walking their syntax trees. */
export interface TemplateUses {
	/** Root variables used anywhere the three outputs reach. */
	variables: Map<string, VariableUse>;
	/** The phases the master includes, in order. */
	phases: string[];
	/** Whether the master places the knowledge base itself (`{{@knowledgeBase}}`). */
	masterPlacesKnowledgeBase: boolean;
	/**
	 * Whether the knowledge base reads the whole context (`this`, `@root`, e.g. in
	 * `{{lookup this "x"}}`), so that which variables it depends on is not known from its tree.
	 */
	knowledgeBaseReadsWholeContext: boolean;
}

interface Walk {
	set: Map<string, hbs.AST.Program>;
	variables: Map<string, VariableUse>;
	phases: string[];
	usesKnowledgeBase: boolean;
	/** Where the walk started: master, firstMessage or knowledgeBase. */
	root: string;
	knowledgeBaseReadsWholeContext: boolean;
}

interface Scope {
	/** The template being walked (for messages). */
	template: string;
	/** Variables known to be given here (inside `{{#if name}}`). */
	guards: Set<string>;
	/** How many blocks above changed the context (each, with): root paths need that depth. */
	contextDepth: number;
	/** Partials being expanded (no endless recursion). */
	stack: string[];
}

function isHelperName(name: string): boolean {
	return KNOWN_HELPERS.includes(name);
}

/** Whether a path is the root context itself: `this` at the top level, or `@root`. */
function isWholeContext(node: hbs.AST.PathExpression, scope: Scope): boolean {
	if (node.data) return node.parts.length === 1 && node.parts[0] === 'root';
	return node.parts.length === 0 && node.depth === scope.contextDepth;
}

/** The root variable a path refers to, or undefined for data, scoped or `this` paths. */
function rootVariable(node: hbs.AST.PathExpression, scope: Scope): string | undefined {
	if (node.data) {
		if (node.parts[0] === 'root' && node.parts.length > 1)
			return checkDepth(node.parts.slice(1), node, scope);
		return undefined;
	}
	if (node.depth !== scope.contextDepth || node.parts.length === 0) return undefined;
	return checkDepth(node.parts, node, scope);
}

function checkDepth(parts: string[], node: hbs.AST.PathExpression, scope: Scope): string {
	// constructor, toString, __proto__ …: every object has them, so they would resolve to
	// JavaScript's own functions instead of a value (or of nothing).
	if (parts[0] in Object.prototype) {
		throw new ProblemError(
			`The template "${scope.template}" uses "${node.original}" on line ${node.loc?.start.line ?? '?'}, a name every JavaScript object has`,
			`"${parts[0]}" cannot be a template variable. Name the variable differently (e.g. ${parts[0]}Text), in the template and where its value comes from.`,
		);
	}
	if (parts.length > 1) {
		throw new ProblemError(
			`The template "${scope.template}" uses "${node.original}" on line ${node.loc?.start.line ?? '?'}, a field inside a variable`,
			`Template variables are text or numbers, without fields of their own. Map the nested field to a variable of its own (Candidate Field Names or Extra Variables), e.g. ${parts.join('_')}.`,
		);
	}
	return parts[0];
}

function use(walk: Walk, scope: Scope, name: string | undefined, required: boolean) {
	if (!name) return;
	const entry = walk.variables.get(name) ?? {
		required: false,
		templates: [],
		inKnowledgeBase: false,
		inVoicemailMessage: false,
	};
	entry.required ||= required && !scope.guards.has(name);
	if (!entry.templates.includes(scope.template)) entry.templates.push(scope.template);
	entry.inKnowledgeBase ||= walk.root === KNOWLEDGE_BASE;
	entry.inVoicemailMessage ||= walk.root === VOICEMAIL_MESSAGE;
	walk.variables.set(name, entry);
}

function visitExpression(walk: Walk, scope: Scope, node: hbs.AST.Expression, required: boolean) {
	if (node.type === 'PathExpression') {
		const path = node as hbs.AST.PathExpression;
		if (path.data && path.parts[0] === 'knowledgeBase') walk.usesKnowledgeBase = true;
		if (walk.root === KNOWLEDGE_BASE && isWholeContext(path, scope))
			walk.knowledgeBaseReadsWholeContext = true;
		use(walk, scope, rootVariable(path, scope), required);
	} else if (node.type === 'SubExpression') {
		visitCall(walk, scope, node as hbs.AST.SubExpression);
	}
}

/**
 * `{{#with name}}`, `{{#each name}}` and `{{lookup name …}}` go into a variable, which is text
 * without fields: nothing there but the value object's inside, never fenced.
 */
function refuseGoingInto(helper: string, params: hbs.AST.Expression[], scope: Scope) {
	if (helper !== 'with' && helper !== 'each' && helper !== 'lookup') return;
	const first = params[0];
	if (first?.type !== 'PathExpression') return;
	const path = first as hbs.AST.PathExpression;
	const variable = rootVariable(path, scope);
	if (!variable) return;
	const tag =
		helper === 'lookup' ? `{{lookup ${path.original} …}}` : `{{#${helper} ${path.original}}}`;
	throw new ProblemError(
		`The template "${scope.template}" uses ${tag} on line ${path.loc?.start.line ?? '?'}, but "${variable}" is text, without fields or entries`,
		`Print the variable itself, {{${variable}}}, or test it with {{#if ${variable}}}…{{/if}}.`,
	);
}

function visitCall(
	walk: Walk,
	scope: Scope,
	node: {
		path: hbs.AST.PathExpression | hbs.AST.Expression;
		params: hbs.AST.Expression[];
		hash?: hbs.AST.Hash;
	},
) {
	const name =
		node.path.type === 'PathExpression' ? (node.path as hbs.AST.PathExpression).original : '';
	refuseGoingInto(name, node.params, scope);
	const tolerant = TOLERANT_HELPERS.has(name);
	for (const param of node.params) visitExpression(walk, scope, param, !tolerant);
	for (const pair of node.hash?.pairs ?? []) visitExpression(walk, scope, pair.value, !tolerant);
}

/** Variables that a condition being true guarantees: `x`, `(and x y)`, `(eq x "de")`. */
function guaranteed(scope: Scope, helper: string, params: hbs.AST.Expression[]): string[] {
	const name = (n: hbs.AST.Expression | undefined) => {
		if (n?.type !== 'PathExpression') return undefined;
		const p = n as hbs.AST.PathExpression;
		return p.data || p.depth !== scope.contextDepth || p.parts.length !== 1
			? undefined
			: p.parts[0];
	};
	const literal = (n: hbs.AST.Expression | undefined) =>
		(n?.type === 'StringLiteral' && (n as hbs.AST.StringLiteral).value !== '') ||
		n?.type === 'NumberLiteral';
	if (helper === 'if' || helper === 'unless') {
		const first = params[0];
		if (first?.type === 'SubExpression') {
			const sub = first as hbs.AST.SubExpression;
			return guaranteed(scope, sub.path.original, sub.params);
		}
		return [name(first)].filter((n): n is string => Boolean(n));
	}
	if (helper === 'and') return params.map(name).filter((n): n is string => Boolean(n));
	if (helper === 'eq') {
		if (literal(params[1])) return [name(params[0])].filter((n): n is string => Boolean(n));
		if (literal(params[0])) return [name(params[1])].filter((n): n is string => Boolean(n));
	}
	return [];
}

function visitProgram(walk: Walk, scope: Scope, program: hbs.AST.Program | undefined) {
	for (const statement of program?.body ?? []) visitStatement(walk, scope, statement);
}

function visitStatement(walk: Walk, scope: Scope, statement: hbs.AST.Statement) {
	switch (statement.type) {
		case 'MustacheStatement': {
			const node = statement as hbs.AST.MustacheStatement;
			if (node.path.type !== 'PathExpression') return;
			const path = node.path as hbs.AST.PathExpression;
			const call =
				node.params.length > 0 ||
				(node.hash?.pairs.length ?? 0) > 0 ||
				(!path.data && path.parts.length === 1 && isHelperName(path.parts[0]));
			if (call) visitCall(walk, scope, node);
			else visitExpression(walk, scope, path, true);
			return;
		}
		case 'BlockStatement': {
			const block = statement as hbs.AST.BlockStatement;
			const name = block.path.original;
			const helper = isHelperName(name);
			if (helper) visitCall(walk, scope, block);
			else visitExpression(walk, scope, block.path, false);
			const changesContext = name === 'each' || name === 'with' || !helper;
			const given = guaranteed(scope, name, block.params);
			const unless = name === 'unless';
			visitProgram(
				walk,
				{
					...scope,
					guards: new Set([...scope.guards, ...(unless ? [] : given)]),
					contextDepth: scope.contextDepth + (changesContext ? 1 : 0),
				},
				block.program,
			);
			visitProgram(
				walk,
				{ ...scope, guards: new Set([...scope.guards, ...(unless ? given : [])]) },
				block.inverse,
			);
			return;
		}
		case 'PartialStatement':
		case 'PartialBlockStatement': {
			const node = statement as hbs.AST.PartialStatement;
			if (node.name.type !== 'PathExpression') {
				throw new ProblemError(
					`The template "${scope.template}" includes a partial by expression on line ${node.loc?.start.line ?? '?'}`,
					'Include partials by name, e.g. {{> phase-greeting}}; choose phases with the Phases parameter.',
				);
			}
			const partial = (node.name as hbs.AST.PathExpression).original;
			for (const param of node.params) visitExpression(walk, scope, param, false);
			for (const pair of node.hash?.pairs ?? []) visitExpression(walk, scope, pair.value, false);
			const program = walk.set.get(partial);
			if (!program) {
				const near = closest(partial, [...walk.set.keys()]);
				throw new ProblemError(
					`The template "${scope.template}" includes the partial "${partial}" on line ${node.loc?.start.line ?? '?'}, which the set does not have`,
					`${near ? `Did you mean "${near}"? ` : ''}The set has the templates ${[...walk.set.keys()].sort().join(', ')}.`,
				);
			}
			if (scope.stack.includes(partial)) {
				throw new ProblemError(
					`The template "${partial}" includes itself (${[...scope.stack, partial].join(' → ')})`,
					'Remove the circular {{> …}} include.',
				);
			}
			if (partial.startsWith(PHASE_PREFIX) && walk.root === MASTER) {
				const phase = partial.slice(PHASE_PREFIX.length);
				if (!walk.phases.includes(phase)) walk.phases.push(phase);
			}
			visitProgram(
				walk,
				{ ...scope, template: partial, stack: [...scope.stack, partial] },
				program,
			);
			return;
		}
		default:
			return;
	}
}

/** Walks the master, first message, knowledge base and voicemail message, with the partials each includes. */
export function walkTemplates(programs: Map<string, hbs.AST.Program>): TemplateUses {
	const walk: Walk = {
		set: programs,
		variables: new Map(),
		phases: [],
		usesKnowledgeBase: false,
		root: MASTER,
		knowledgeBaseReadsWholeContext: false,
	};
	const roots = [MASTER, FIRST_MESSAGE, KNOWLEDGE_BASE, VOICEMAIL_MESSAGE].filter((name) =>
		programs.has(name),
	);
	let masterPlacesKnowledgeBase = false;
	for (const root of roots) {
		walk.root = root;
		walk.usesKnowledgeBase = false;
		visitProgram(
			walk,
			{ template: root, guards: new Set(), contextDepth: 0, stack: [root] },
			programs.get(root),
		);
		if (root === MASTER) masterPlacesKnowledgeBase = walk.usesKnowledgeBase;
	}
	return {
		variables: walk.variables,
		phases: walk.phases,
		masterPlacesKnowledgeBase,
		knowledgeBaseReadsWholeContext: walk.knowledgeBaseReadsWholeContext,
	};
}
