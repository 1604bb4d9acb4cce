/**
 * Benchmark: 10,000 candidates rendered with the bundled German set by Build Recruiting
 * Prompt through n8n's engine (WorkflowExecute, the engine-test harness), against two baselines:
 *
 * (a) the way users build such prompts without this node: an Edit Fields (Set) node whose fields
 *     hold the same system prompt, first message and knowledge base as n8n expression templates
 *     (`… {{ $json.name }} …`, today's date with `$now`), run by the same engine. The Set node is
 *     n8n's own (n8n-nodes-base 2.41.1 from the real n8n runtime of scripts/n8n/runtime.ts, which
 *     is installed on first use). Its templates are our German set rendered with every candidate
 *     field left as a placeholder, so both sides produce the same text. The baseline does less
 *     work than the node: no cleaning, fencing or type checks, no missing-variable check, no
 *     dynamic variables, no date parsing of job fields.
 * (b) the floor: the same templates precompiled with plain Handlebars and rendered in a loop for
 *     the same candidates, with no n8n around it.
 * (b′) the same, each text read once (trim): Handlebars returns ropes of its pieces, and reading
 *     them (as the node's tidying and anything that sends or stores a prompt does) copies them
 *     into flat strings. A reference for what that copy costs, not a goal.
 * (c) what the engine costs by itself: n8n's No Operation node (it returns its input items) in the
 *     same one-node workflow with the same 10,000 candidates. The node's time minus this is the
 *     node's own share, which is what is compared with (b).
 *
 * Each variant runs in a fresh child process (GC exposed), so that one's heap does not count
 * towards another's peak, five times after a warm-up. Figures: the fastest run's time (on a machine
 * shared with other work, noise only ever adds time, and the variants run one after the other, so
 * a median still carries whatever else ran then), time per candidate,
 * highest peak growth of resident memory and of the JS heap during a run, that growth per output
 * character and against the output's size in memory (UTF-16: the prompts hold ⟦ ⟧, so V8 keeps
 * them at two bytes per character); ratios node / Set node, node / plain Handlebars and
 * (node − No Operation) / plain Handlebars. One more child runs the node once under
 * `--cpu-prof`; the summary of that run's samples is printed, the profile file named.
 *
 * Run: npx tsx bench/recruitingPrompt.ts (after npm run build:dev), or through bench/run.ts
 * (`npx tsx bench/run.ts render`). RECRUITING_PROMPT_VARIANTS=noOp,handlebarsRead,profile runs
 * only those besides the node and plain Handlebars (for a quick look while developing; the table
 * needs all).
 */
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { formatProfile, summariseProfile } from './cpuProfile';
import type { ProfileSummary } from './cpuProfile';

const CANDIDATES = 10000;
/** Runs per variant (after a warm-up); the time is the fastest's, the memory their highest peak. */
const REPEATS = 5;
const SAMPLE_MS = 5;
const ROOT = join(__dirname, '..');

type Variant = 'node' | 'noOp' | 'setNode' | 'handlebars' | 'handlebarsRead';

export interface VariantFigures {
	variant: Variant;
	candidates: number;
	seconds: number;
	msPerCandidate: number;
	peakRssGrowthMegabytes: number;
	peakHeapGrowthMegabytes: number;
	/** Characters of system prompt + first message + knowledge base, summed over all candidates. */
	outputMegaCharacters: number;
	/** Peak RSS growth in bytes per output character (none for No Operation, which outputs no prompt). */
	rssBytesPerOutputCharacter?: number;
	/** Peak RSS growth / the output's size at two bytes per character (UTF-16, as V8 holds these texts). */
	rssPerOutputSize?: number;
}

/** What a child sends back: the figures, and the last measured run's time window (for the profile). */
interface ChildResult {
	figures: VariantFigures;
	window: { fromMicros: number; toMicros: number };
}

type Skipped = { skipped: string };

export interface RecruitingPromptFigures {
	machine: string;
	candidates: number;
	node: VariantFigures;
	noOp: VariantFigures | Skipped;
	setNode: VariantFigures | Skipped;
	handlebars: VariantFigures;
	handlebarsRead: VariantFigures | Skipped;
	/** Time of the node divided by the time of the Set-node baseline (below 1: the node is faster). */
	nodePerSetNode?: number;
	/** Time of the node divided by plain precompiled Handlebars: what n8n and the node's checks cost. */
	nodePerHandlebars: number;
	/** The No Operation run (the engine alone) divided by plain Handlebars. */
	noOpPerHandlebars?: number;
	/** (node − No Operation) / plain Handlebars: the node's own share against the floor. */
	nodeOwnPerHandlebars?: number;
	/** (node − No Operation) / plain Handlebars whose texts are read once (flat, as the node's are). */
	nodeOwnPerHandlebarsRead?: number;
	profile?: { file: string; summary: ProfileSummary } | Skipped;
}

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const round2 = (n: number) => Math.round(n * 100) / 100;

/** The candidate rows: what a recruiting sheet gives (numbers stay numbers). */
function candidates(): Array<Record<string, string | number>> {
	const first = [
		'Anna',
		'Mehmet',
		'Zoë',
		'Jonas',
		'Aleksandra',
		'Lukas',
		'Fatma',
		'Sven',
		'Olga',
		'Noah',
	];
	const last = [
		'Schmidt',
		'Yılmaz',
		'Müller',
		'Weber',
		'Nowak',
		'Becker',
		'Kaya',
		'Hoffmann',
		'Iwanowa',
		'Wagner',
	];
	return Array.from({ length: CANDIDATES }, (_, i) => ({
		candidateId: 100000 + i,
		name: `${first[i % 10]} ${last[Math.floor(i / 10) % 10]}`,
		phone: `0171 ${String(1000000 + i)}`,
		email: `bewerbung${i}@example.de`,
		address: `Hauptstraße ${(i % 120) + 1}, 20095 Hamburg`,
		jobTitle: 'Pflegefachkraft (m/w/d)',
		company: 'Klinikum Nord GmbH',
		recruiterName: 'Sabine Krause',
		jobLocation: 'Hamburg-Barmbek',
		salaryRange: '48.000 bis 56.000 Euro brutto im Jahr',
	}));
}

interface Measurement<T> {
	result: T;
	rss: number;
	heap: number;
	ms: number;
	/** When it ran, on the clock of V8's CPU profiles (process.hrtime, microseconds). */
	window: ChildResult['window'];
}

const REPEATS_ARG = process.argv.indexOf('--repeats');
/** The profiling child measures one run: its samples are what is summarised. */
const repeats = () => (REPEATS_ARG > 0 ? Number(process.argv[REPEATS_ARG + 1]) : REPEATS);
const micros = () => Number(process.hrtime.bigint() / 1000n);

/** `measured` REPEATS times: the fastest time, the highest peaks, the last result. */
async function repeated<T>(work: () => Promise<T> | T): Promise<Measurement<T>> {
	const runs: Array<Measurement<T>> = [];
	for (let i = 0; i < repeats(); i++) {
		if (runs.length) runs[runs.length - 1].result = undefined as T;
		runs.push(await measured(work));
	}
	const times = runs.map((run) => run.ms).sort((a, b) => a - b);
	return {
		result: runs[runs.length - 1].result,
		ms: times[0],
		rss: Math.max(...runs.map((run) => run.rss)),
		heap: Math.max(...runs.map((run) => run.heap)),
		window: runs[runs.length - 1].window,
	};
}

/** Runs `work` while sampling memory; returns its result, the peak growths and the time. */
async function measured<T>(work: () => Promise<T> | T): Promise<Measurement<T>> {
	(globalThis as { gc?: () => void }).gc?.();
	const start = process.memoryUsage();
	let rss = start.rss;
	let heap = start.heapUsed;
	const sample = () => {
		const now = process.memoryUsage();
		rss = Math.max(rss, now.rss);
		heap = Math.max(heap, now.heapUsed);
	};
	const sampler = setInterval(sample, SAMPLE_MS);
	const fromMicros = micros();
	const began = performance.now();
	try {
		const result = await work();
		const ms = performance.now() - began;
		const toMicros = micros();
		sample();
		return {
			result,
			rss: rss - start.rss,
			heap: heap - start.heapUsed,
			ms,
			window: { fromMicros, toMicros },
		};
	} finally {
		clearInterval(sampler);
	}
}

function figures(variant: Variant, run: Measurement<unknown>, characters: number): ChildResult {
	return {
		figures: {
			variant,
			candidates: CANDIDATES,
			seconds: round2(run.ms / 1000),
			msPerCandidate: Math.round((run.ms / CANDIDATES) * 1000) / 1000,
			peakRssGrowthMegabytes: mb(run.rss),
			peakHeapGrowthMegabytes: mb(run.heap),
			outputMegaCharacters: round2(characters / 1e6),
			...(characters
				? {
						rssBytesPerOutputCharacter: round2(run.rss / characters),
						rssPerOutputSize: round2(run.rss / (characters * 2)),
					}
				: {}),
		},
		window: run.window,
	};
}

function textLength(json: Record<string, unknown>): number {
	const prompt = json.prompt as { system?: string; firstMessage?: string; knowledgeBase?: string };
	return (
		(prompt?.system?.length ?? 0) +
		(prompt?.firstMessage?.length ?? 0) +
		(prompt?.knowledgeBase?.length ?? 0)
	);
}

/** The bundled German set as the build bundled it (falls back to the sources). */
function germanSet(): Record<string, string> {
	try {
		return JSON.parse(readFileSync(join(ROOT, 'dist', 'prompts', 'de.json'), 'utf8')) as Record<
			string,
			string
		>;
	} catch {
		const dir = join(ROOT, 'prompts', 'de');
		return Object.fromEntries(
			readdirSync(dir)
				.filter((f) => f.endsWith('.hbs'))
				.map((f) => [f.slice(0, -4), readFileSync(join(dir, f), 'utf8')]),
		);
	}
}

async function setUpEngine() {
	process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'n8n-bench-prompt-'));
	process.env.N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS = 'false';
	process.env.N8N_DIAGNOSTICS_ENABLED = 'false';
	await import('reflect-metadata');
	// The engine harness builds its mocks with jest-mock-extended, which needs `jest.fn` outside jest too.
	const { ModuleMocker } = await import('jest-mock');
	const mocker = new ModuleMocker(globalThis);
	(globalThis as { jest?: unknown }).jest ??= {
		fn: (impl?: (...args: unknown[]) => unknown) => mocker.fn(impl),
	};
	return await import('../test/engine/harness');
}

async function runNode(): Promise<ChildResult> {
	const { runWorkflow, singleNodeWorkflow } = await setUpEngine();
	const workflow = singleNodeWorkflow({
		name: 'Build Recruiting Prompt',
		type: 'n8n-nodes-voice-recruiting.recruitingPrompt',
		parameters: {},
	});
	await runWorkflow(workflow, { items: candidates().slice(0, 20) });
	const items = candidates();
	const run = await repeated(async () => await runWorkflow(workflow, { items }));
	if (run.result.status !== 'success')
		throw new Error(`The node's run failed: ${String(run.result.error?.message)}`);
	const out = run.result.json('Build Recruiting Prompt');
	if (out.length !== CANDIDATES) throw new Error(`The node returned ${out.length} items`);
	return figures(
		'node',
		run,
		out.reduce((sum, json) => sum + textLength(json), 0),
	);
}

/**
 * The Set-node templates: the German set rendered with every candidate field as `{{field}}`,
 * turned into n8n expressions (`{{ $json.field }}`), today's date as a `$now` expression.
 */
async function setNodeTemplates() {
	const { compileSet } = await import('../nodes/RecruitingPrompt/helpers/templates');
	const { renderTexts } = await import('../nodes/RecruitingPrompt/helpers/render');
	const set = compileSet({
		name: 'de',
		bundled: true,
		templates: germanSet(),
		language: 'de',
		locale: 'de-DE',
	});
	const fields = Object.keys(candidates()[0]);
	const now = new Date().toISOString();
	const texts = renderTexts(set, {
		values: new Map(),
		placeholders: new Set([...set.variables.keys()].filter((name) => fields.includes(name))),
		data: { now, locale: 'de-DE', timezone: 'Europe/Berlin', language: 'de' },
		includeKnowledgeBase: false,
	});
	const { DateTime } = await import('luxon');
	const today = DateTime.fromISO(now)
		.setZone('Europe/Berlin')
		.setLocale('de-DE')
		.toFormat('cccc, d. MMMM yyyy');
	const expression = (text: string) =>
		`=${text
			.replace(/\{\{(\w+)\}\}/g, (_, field: string) => `{{ $json.${field} }}`)
			.split(today)
			.join(
				`{{ $now.setZone('Europe/Berlin').setLocale('de-DE').toFormat('cccc, d. MMMM yyyy') }}`,
			)}`;
	return {
		system: expression(texts.system),
		firstMessage: expression(texts.firstMessage),
		knowledgeBase: expression(texts.knowledgeBase),
	};
}

/** The engine harness with one of n8n's own nodes (from the n8n-nodes-base of the real n8n install) added. */
async function engineWithBaseNode(folder: string, className: string, typeName: string) {
	const { ensureRuntime } = await import('../scripts/n8n');
	const runtime = await ensureRuntime();
	const harness = await setUpEngine();
	const file = join(
		runtime.dir,
		'node_modules',
		'n8n-nodes-base',
		'dist',
		'nodes',
		folder,
		`${className}.node.js`,
	);
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const NodeClass = (require(file) as Record<string, new () => never>)[className];
	harness.loadPackage().nodeTypes[`n8n-nodes-base.${typeName}`] = new NodeClass();
	return harness;
}

async function runNoOp(): Promise<ChildResult> {
	const harness = await engineWithBaseNode('NoOp', 'NoOp', 'noOp');
	const workflow = harness.singleNodeWorkflow({
		name: 'No Operation',
		type: 'n8n-nodes-base.noOp',
		parameters: {},
	});
	await harness.runWorkflow(workflow, { items: candidates().slice(0, 20) });
	const items = candidates();
	const run = await repeated(async () => await harness.runWorkflow(workflow, { items }));
	if (run.result.status !== 'success')
		throw new Error(`The No Operation run failed: ${String(run.result.error?.message)}`);
	const out = run.result.json('No Operation');
	if (out.length !== CANDIDATES) throw new Error(`No Operation returned ${out.length} items`);
	return figures('noOp', run, 0);
}

async function runSetNode(): Promise<ChildResult> {
	// n8n's own Edit Fields (Set) node.
	const harness = await engineWithBaseNode('Set', 'Set', 'set');
	const templates = await setNodeTemplates();
	const assignment = (name: string, value: string) => ({ id: name, name, value, type: 'string' });
	const workflow = harness.singleNodeWorkflow({
		name: 'Edit Fields',
		type: 'n8n-nodes-base.set',
		typeVersion: 3.4,
		parameters: {
			mode: 'manual',
			includeOtherFields: true,
			assignments: {
				assignments: [
					assignment('prompt.system', templates.system),
					assignment('prompt.firstMessage', templates.firstMessage),
					assignment('prompt.language', 'de'),
					assignment('prompt.knowledgeBase', templates.knowledgeBase),
				],
			},
			options: {},
		},
	});
	const warm = await harness.runWorkflow(workflow, { items: candidates().slice(0, 20) });
	const sample = warm.json('Edit Fields')[0];
	if (
		warm.status !== 'success' ||
		!String((sample?.prompt as { system?: string })?.system).includes('Anna Schmidt')
	) {
		throw new Error(
			`The Set node did not render the prompt: ${String(warm.error?.message ?? JSON.stringify(sample).slice(0, 300))}`,
		);
	}
	const items = candidates();
	const run = await repeated(async () => await harness.runWorkflow(workflow, { items }));
	if (run.result.status !== 'success')
		throw new Error(`The Set node's run failed: ${String(run.result.error?.message)}`);
	const out = run.result.json('Edit Fields');
	return figures(
		'setNode',
		run,
		out.reduce((sum, json) => sum + textLength(json), 0),
	);
}

/**
 * Handlebars returns its output as a rope of the template's pieces (V8 cons strings), which
 * costs little until something reads the text: then V8 copies it into one flat string. The node
 * reads every text (tidying it), and so does anything that sends or stores it. (b′) reads each
 * text once (trim), to show what that copy costs by itself.
 */
const readOnce = (text: string) => text.trim();
const asReturned = (text: string) => text;

async function runHandlebarsRead(): Promise<ChildResult> {
	return await runHandlebars(readOnce, 'handlebarsRead');
}

async function runHandlebars(
	read = asReturned,
	variant: Variant = 'handlebars',
): Promise<ChildResult> {
	const Handlebars = (await import('handlebars')).default;
	const { HELPERS } = await import('../nodes/RecruitingPrompt/helpers/handlebarsHelpers');
	const templates = germanSet();
	const env = Handlebars.create();
	for (const [name, helper] of Object.entries(HELPERS)) env.registerHelper(name, helper);
	const compile = (text: string) => {
		const template = env.compile(text, { noEscape: true, strict: true });
		template(
			{ name: '', company: '', jobTitle: '', recruiterName: '' },
			{ data: { now: new Date().toISOString() } },
		);
		return template;
	};
	for (const [name, text] of Object.entries(templates)) {
		if (name !== 'master' && name !== 'firstMessage' && name !== 'knowledgeBase')
			env.registerPartial(name, compile(text));
	}
	const master = compile(templates.master);
	const firstMessage = compile(templates.firstMessage);
	const knowledgeBase = compile(templates.knowledgeBase);
	const items = candidates();
	const run = await repeated(() => {
		const data = {
			now: new Date().toISOString(),
			locale: 'de-DE',
			timezone: 'Europe/Berlin',
			language: 'de',
		};
		const out: Array<Record<string, unknown>> = [];
		for (const item of items) {
			out.push({
				...item,
				prompt: {
					system: read(master(item, { data })),
					firstMessage: read(firstMessage(item, { data })),
					language: 'de',
					knowledgeBase: read(knowledgeBase(item, { data })),
				},
			});
		}
		return out;
	});
	return figures(
		variant,
		run,
		run.result.reduce((sum, json) => sum + textLength(json), 0),
	);
}

const VARIANTS: Record<Variant, () => Promise<ChildResult>> = {
	node: runNode,
	noOp: runNoOp,
	setNode: runSetNode,
	handlebars: async () => await runHandlebars(),
	handlebarsRead: runHandlebarsRead,
};

/**
 * One variant in a fresh child process (tsx loader, GC exposed for a clean start line); with
 * `profileDir`, under `--cpu-prof` for one measured run.
 */
async function inChild(variant: Variant, profileDir?: string): Promise<ChildResult> {
	return await new Promise((resolve, reject) => {
		const profiling = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
		// A benchmark, not a node: a fresh process per variant keeps one variant's heap out of the other's figure.
		// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions
		const child = fork(
			__filename,
			['--variant', variant, ...(profileDir ? ['--repeats', '1'] : [])],
			{
				execArgv: ['--import', 'tsx', '--expose-gc', '--max-old-space-size=8192', ...profiling],
				env: { ...process.env, N8N_USER_FOLDER: mkdtempSync(join(tmpdir(), 'n8n-bench-prompt-')) },
				stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
			},
		);
		let result: ChildResult | undefined;
		let stderr = '';
		child.stderr?.on(
			'data',
			(chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)),
		);
		child.on('message', (message) => (result = message as ChildResult));
		child.on('error', reject);
		child.on('exit', (code) =>
			result
				? resolve(result)
				: reject(
						new Error(
							`The ${variant} benchmark child exited with ${String(code)}: ${stderr.trim()}`,
						),
					),
		);
	});
}

/** A baseline that needs the real n8n install (n8n's own nodes), or why it was left out. */
async function baseline(
	variant: Variant,
	label: string,
	wanted: Set<string>,
): Promise<VariantFigures | Skipped> {
	if (!wanted.has(variant)) return { skipped: 'not asked for (RECRUITING_PROMPT_VARIANTS)' };
	try {
		return (await inChild(variant)).figures;
	} catch (error) {
		return {
			skipped: `${label} could not run: ${String((error as Error)?.message ?? error).slice(0, 500)}`,
		};
	}
}

/** The node once under --cpu-prof: the summary of its measured run's samples, and the profile's file. */
async function profileNode(): Promise<{ file: string; summary: ProfileSummary } | Skipped> {
	const dir = mkdtempSync(join(tmpdir(), 'n8n-bench-prompt-profile-'));
	const { window } = await inChild('node', dir);
	const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
	if (!file) return { skipped: `node --cpu-prof wrote no profile into ${dir}` };
	return { file: join(dir, file), summary: summariseProfile(join(dir, file), ROOT, window) };
}

const isFigures = (value: VariantFigures | Skipped): value is VariantFigures => 'seconds' in value;

export async function benchmarkRecruitingPrompt(): Promise<RecruitingPromptFigures> {
	const { cpus } = await import('node:os');
	const wanted = new Set(
		(
			process.env.RECRUITING_PROMPT_VARIANTS ||
			'node,noOp,setNode,handlebars,handlebarsRead,profile'
		).split(','),
	);
	const node = (await inChild('node')).figures;
	const noOp = await baseline('noOp', "n8n's No Operation node", wanted);
	const handlebars = (await inChild('handlebars')).figures;
	const setNode = await baseline('setNode', "n8n's Set node", wanted);
	const handlebarsRead = await baseline('handlebarsRead', 'Handlebars with its texts read', wanted);
	const profile = wanted.has('profile') ? await profileNode() : undefined;
	return {
		machine: `${process.version}, ${process.arch}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`,
		candidates: CANDIDATES,
		node,
		noOp,
		setNode,
		handlebars,
		handlebarsRead,
		...(isFigures(setNode) ? { nodePerSetNode: round2(node.seconds / setNode.seconds) } : {}),
		nodePerHandlebars: round2(node.seconds / handlebars.seconds),
		...(isFigures(noOp)
			? {
					noOpPerHandlebars: round2(noOp.seconds / handlebars.seconds),
					nodeOwnPerHandlebars: round2((node.seconds - noOp.seconds) / handlebars.seconds),
					...(isFigures(handlebarsRead)
						? {
								nodeOwnPerHandlebarsRead: round2(
									(node.seconds - noOp.seconds) / handlebarsRead.seconds,
								),
							}
						: {}),
				}
			: {}),
		...(profile ? { profile } : {}),
	};
}

/** The figures as a few lines of text (for bench/run.ts and the command line). */
export function formatRecruitingPrompt(f: RecruitingPromptFigures): string {
	const line = (v: VariantFigures | Skipped) =>
		!isFigures(v)
			? v.skipped
			: `${v.seconds} s (${v.msPerCandidate} ms per candidate), peak memory +${v.peakRssGrowthMegabytes} MB RSS / +${v.peakHeapGrowthMegabytes} MB heap${
					v.rssBytesPerOutputCharacter !== undefined
						? `, ${v.rssBytesPerOutputCharacter} B RSS per output character (${v.outputMegaCharacters} M characters; ${v.rssPerOutputSize} × their UTF-16 size)`
						: ''
				}`;
	const profile = !f.profile
		? []
		: 'skipped' in f.profile
			? [`  CPU profile: ${f.profile.skipped}`]
			: [
					...formatProfile(f.profile.summary),
					`  profile file (Chrome DevTools → Performance): ${f.profile.file}`,
				];
	return [
		`Build Recruiting Prompt, ${f.candidates} candidates, bundled de set (${f.machine})`,
		`  node (n8n engine):          ${line(f.node)}`,
		`  (a) Edit Fields (Set) node: ${line(f.setNode)}`,
		`  (b) plain Handlebars loop:  ${line(f.handlebars)}`,
		`  (b′) Handlebars, texts read: ${line(f.handlebarsRead)}`,
		`  (c) No Operation node:      ${line(f.noOp)}`,
		`  ratio node / Set node:                            ${f.nodePerSetNode ?? 'n/a'}   (goal ≤ 0.1)`,
		`  ratio node / plain Handlebars:                    ${f.nodePerHandlebars}   (goal ≤ 2)`,
		`  ratio No Operation (engine alone) / Handlebars:   ${f.noOpPerHandlebars ?? 'n/a'}`,
		`  ratio (node − No Operation) / plain Handlebars:   ${f.nodeOwnPerHandlebars ?? 'n/a'}   (goal ≤ 1.5)`,
		`  ratio (node − No Operation) / (b′):               ${f.nodeOwnPerHandlebarsRead ?? 'n/a'}   (reference: flat texts on both sides)`,
		`  peak RSS growth / output size (node):             ${f.node.rssPerOutputSize ?? 'n/a'}   (goal ≤ 1.2)`,
		...profile,
	].join('\n');
}

const variantArg = process.argv.indexOf('--variant');
if (variantArg > 0 && process.send) {
	const variant = process.argv[variantArg + 1] as Variant;
	VARIANTS[variant]().then(
		(result) => {
			// process.exit() after the message is out: --cpu-prof writes its file on the way out.
			process.send!(result, () => process.exit(0));
		},
		(error) => {
			process.stderr.write(`${String(error?.stack ?? error)}\n`);
			process.exit(1);
		},
	);
} else if (require.main === module) {
	benchmarkRecruitingPrompt().then(
		(result) =>
			process.stdout.write(
				`${formatRecruitingPrompt(result)}\n${JSON.stringify(result, null, 2)}\n`,
			),
		(error) => {
			process.stderr.write(`${String(error?.stack ?? error)}\n`);
			process.exitCode = 1;
		},
	);
}
