/**
 * The knowledge base is company and job data: every candidate of a job gets the same text. It is
 * rendered once per distinct set of the values it uses (and date settings), and the one string
 * is shared by all items of the execution, instead of a 5,000-character render and copy per
 * candidate. The memo belongs to a compiled set, which lives for one execution.
 */
import type { RenderData } from './handlebarsHelpers';
import type { CompiledSet } from './templates';

interface Memo {
	/** The variables the knowledge base uses (its tree says which). */
	names: string[];
	texts: Map<string, string>;
}

const memos = new WeakMap<CompiledSet, Memo | null>();
/** Distinct knowledge bases kept per set: a list of many jobs keeps the memo from growing without end. */
const MAX_TEXTS = 1000;
const ABSENT = '\u0001';

function memoFor(set: CompiledSet): Memo | null {
	let memo = memos.get(set);
	if (memo === undefined) {
		// A knowledge base that reads the whole context (`lookup this …`) may depend on any variable.
		memo = set.knowledgeBaseReadsWholeContext
			? null
			: {
					names: [...set.variables].filter(([, use]) => use.inKnowledgeBase).map(([name]) => name),
					texts: new Map(),
				};
		memos.set(set, memo);
	}
	return memo;
}

/** What a knowledge-base render depends on: its variables' texts (or placeholders) and the dates' settings. */
function keyOf(
	memo: Memo,
	values: Map<string, string>,
	placeholders: ReadonlySet<string> | undefined,
	data: RenderData,
): string {
	const parts = [String(data.now), data.locale, data.timezone, data.language];
	for (const name of memo.names)
		parts.push(placeholders?.has(name) ? `{{${name}}}` : (values.get(name) ?? ABSENT));
	return parts.join('\u0000');
}

/** The set's knowledge base for these values: from the memo, else `render()`d and kept. */
export function memoisedKnowledgeBase(
	set: CompiledSet,
	input: { values: Map<string, string>; placeholders?: ReadonlySet<string>; data: RenderData },
	render: () => string,
): string {
	const memo = memoFor(set);
	if (!memo) return render();
	const key = keyOf(memo, input.values, input.placeholders, input.data);
	let text = memo.texts.get(key);
	if (text === undefined) {
		text = render();
		if (memo.texts.size >= MAX_TEXTS) memo.texts.clear();
		memo.texts.set(key, text);
	}
	return text;
}
