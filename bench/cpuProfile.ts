/**
 * Summarises a V8 CPU profile (the `.cpuprofile` that `node --cpu-prof` writes): where the
 * samples of a time window went, by part (the package's own code, Handlebars, Luxon, n8n's
 * engine, the garbage collector) and by function.
 *
 * A sample in a function without a script (a builtin such as String.prototype.replace, or a
 * template Handlebars compiled with `new Function`) counts towards the nearest caller that has
 * one: a regular expression run by cleanValue is the node's work, a compiled template run by
 * the Handlebars runtime is Handlebars'.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

interface ProfileNode {
	id: number;
	callFrame: { functionName: string; url: string; lineNumber: number };
	children?: number[];
}

interface CpuProfile {
	nodes: ProfileNode[];
	startTime: number;
	samples: number[];
	timeDeltas: number[];
}

export type ProfilePart = 'node' | 'handlebars' | 'luxon' | 'engine' | 'gc' | 'harness' | 'other';

export const PART_LABELS: Record<ProfilePart, string> = {
	node: "the package's own code (dist/nodes)",
	handlebars: 'Handlebars (runtime and compiled templates)',
	luxon: 'Luxon (dates)',
	engine: "n8n's engine and other libraries",
	gc: 'garbage collector',
	harness: 'benchmark harness',
	other: 'other (program, idle)',
};

export interface ProfileSummary {
	/** Milliseconds of samples in the window. */
	totalMs: number;
	byPart: Array<{ part: ProfilePart; ms: number; share: number }>;
	/** The functions of the package's own code with most samples (their own, not callees'). */
	topOwn: Array<{ name: string; ms: number; share: number }>;
	/** The same with their callees' samples (Handlebars, n8n's parameter reads, …) included. */
	topOwnInclusive: Array<{ name: string; ms: number; share: number }>;
}

function partOfUrl(url: string, root: string): ProfilePart | undefined {
	if (!url) return undefined;
	const file = url.startsWith('file://') ? decodeURIComponent(url.slice('file://'.length)) : url;
	if (file.includes('/node_modules/handlebars/')) return 'handlebars';
	if (file.includes('/node_modules/luxon/')) return 'luxon';
	if (file.startsWith(path.join(root, 'dist', 'nodes'))) return 'node';
	if (file.startsWith(path.join(root, 'bench')) || file.startsWith(path.join(root, 'test')))
		return 'harness';
	return 'engine';
}

/**
 * The summary of the samples taken between `fromMicros` and `toMicros` (the profile's own
 * clock, which is process.hrtime's); all samples when the window is not given.
 */
export function summariseProfile(
	file: string,
	root: string,
	window?: { fromMicros: number; toMicros: number },
): ProfileSummary {
	const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const parent = new Map<number, number>();
	for (const node of profile.nodes)
		for (const child of node.children ?? []) parent.set(child, node.id);

	// Each profile node once: its part, and the function of the package's own code it counts for.
	const attribution = new Map<number, { part: ProfilePart; own?: string }>();
	const attribute = (id: number): { part: ProfilePart; own?: string } => {
		const known = attribution.get(id);
		if (known) return known;
		const frame = byId.get(id)!.callFrame;
		let result: { part: ProfilePart; own?: string };
		if (frame.functionName === '(garbage collector)') result = { part: 'gc' };
		else if (frame.functionName.startsWith('(')) result = { part: 'other' };
		else {
			const part = partOfUrl(frame.url, root);
			const up = parent.get(id);
			if (part) {
				const where = `${path.basename(frame.url)}:${frame.lineNumber + 1}`;
				result = {
					part,
					own: part === 'node' ? `${frame.functionName || '(anonymous)'} ${where}` : undefined,
				};
			} else result = up === undefined ? { part: 'other' } : attribute(up);
		}
		attribution.set(id, result);
		return result;
	};

	/** The package's own functions on a profile node's stack (each once), from the node up. */
	const ownStacks = new Map<number, string[]>();
	const ownStack = (id: number): string[] => {
		let stack = ownStacks.get(id);
		if (stack) return stack;
		const up = parent.get(id);
		const above = up === undefined ? [] : ownStack(up);
		const own = attribute(id).own;
		stack = own && !above.includes(own) ? [own, ...above] : above;
		ownStacks.set(id, stack);
		return stack;
	};

	const partMicros = new Map<ProfilePart, number>();
	const ownMicros = new Map<string, number>();
	const inclusiveMicros = new Map<string, number>();
	let time = profile.startTime;
	let total = 0;
	for (let i = 0; i < profile.samples.length; i++) {
		const delta = profile.timeDeltas[i] ?? 0;
		time += delta;
		if (window && (time < window.fromMicros || time > window.toMicros)) continue;
		const { part, own } = attribute(profile.samples[i]);
		partMicros.set(part, (partMicros.get(part) ?? 0) + delta);
		if (own) ownMicros.set(own, (ownMicros.get(own) ?? 0) + delta);
		for (const name of ownStack(profile.samples[i]))
			inclusiveMicros.set(name, (inclusiveMicros.get(name) ?? 0) + delta);
		total += delta;
	}
	const share = (micros: number) => Math.round((micros / Math.max(total, 1)) * 1000) / 10;
	const top = (micros: Map<string, number>, count: number) =>
		[...micros]
			.sort((a, b) => b[1] - a[1])
			.slice(0, count)
			.map(([name, value]) => ({ name, ms: Math.round(value / 1000), share: share(value) }));
	return {
		totalMs: Math.round(total / 1000),
		byPart: [...partMicros]
			.sort((a, b) => b[1] - a[1])
			.map(([part, micros]) => ({ part, ms: Math.round(micros / 1000), share: share(micros) })),
		topOwn: top(ownMicros, 10),
		topOwnInclusive: top(inclusiveMicros, 14),
	};
}

/** The summary as indented lines. */
export function formatProfile(summary: ProfileSummary): string[] {
	const line = (f: { name: string; ms: number; share: number }) =>
		`    ${String(f.share).padStart(5)} %  ${String(f.ms).padStart(6)} ms  ${f.name}`;
	return [
		`  CPU profile of one node run (${summary.totalMs} ms sampled), self time by part:`,
		...summary.byPart.map(
			(p) =>
				`    ${String(p.share).padStart(5)} %  ${String(p.ms).padStart(6)} ms  ${PART_LABELS[p.part]}`,
		),
		`  the package's own functions with most self time (builtins they call included):`,
		...summary.topOwn.map(line),
		`  the same with their callees (Handlebars, n8n's parameter reads, …) included:`,
		...summary.topOwnInclusive.map(line),
	];
}
