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
 *
 * Each variant runs in a fresh child process (GC exposed), so that one's heap does not count
 * towards another's peak, three times after a warm-up. Figures: median time, time per candidate,
 * highest peak growth of resident memory and of the JS heap during a run; ratios node / Set node
 * and node / plain Handlebars.
 *
 * Run: npx tsx bench/recruitingPrompt.ts (after npm run build:dev), or through bench/run.ts.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CANDIDATES = 10000;
/** Runs per variant (after a warm-up); the time is their median, the memory their highest peak. */
const REPEATS = 3;
const SAMPLE_MS = 5;
const ROOT = join(__dirname, '..');

type Variant = 'node' | 'setNode' | 'handlebars';

export interface VariantFigures {
	variant: Variant;
	candidates: number;
	seconds: number;
	msPerCandidate: number;
	peakRssGrowthMegabytes: number;
	peakHeapGrowthMegabytes: number;
	/** Characters of system prompt + first message + knowledge base, summed over all candidates. */
	outputMegaCharacters: number;
}

export interface RecruitingPromptFigures {
	machine: string;
	candidates: number;
	node: VariantFigures;
	setNode: VariantFigures | { skipped: string };
	handlebars: VariantFigures;
	/** Time of the node divided by the time of the Set-node baseline (below 1: the node is faster). */
	nodePerSetNode?: number;
	/** Time of the node divided by plain precompiled Handlebars: what n8n and the node's checks cost. */
	nodePerHandlebars: number;
}

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const round2 = (n: number) => Math.round(n * 100) / 100;

/** The candidate rows: what a recruiting sheet gives (numbers stay numbers). */
function candidates(): Array<Record<string, string | number>> {
	const first = ['Anna', 'Mehmet', 'Zoë', 'Jonas', 'Aleksandra', 'Lukas', 'Fatma', 'Sven', 'Olga', 'Noah'];
	const last = ['Schmidt', 'Yılmaz', 'Müller', 'Weber', 'Nowak', 'Becker', 'Kaya', 'Hoffmann', 'Iwanowa', 'Wagner'];
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
}

/** `measured` REPEATS times: the median time, the highest peaks, the last result. */
async function repeated<T>(work: () => Promise<T> | T): Promise<Measurement<T>> {
	const runs: Array<Measurement<T>> = [];
	for (let i = 0; i < REPEATS; i++) {
		if (runs.length) runs[runs.length - 1].result = undefined as T;
		runs.push(await measured(work));
	}
	const times = runs.map((run) => run.ms).sort((a, b) => a - b);
	return {
		result: runs[runs.length - 1].result,
		ms: times[Math.floor(times.length / 2)],
		rss: Math.max(...runs.map((run) => run.rss)),
		heap: Math.max(...runs.map((run) => run.heap)),
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
	const began = performance.now();
	try {
		const result = await work();
		const ms = performance.now() - began;
		sample();
		return { result, rss: rss - start.rss, heap: heap - start.heapUsed, ms };
	} finally {
		clearInterval(sampler);
	}
}

function figures(variant: Variant, run: { rss: number; heap: number; ms: number }, characters: number): VariantFigures {
	return {
		variant,
		candidates: CANDIDATES,
		seconds: round2(run.ms / 1000),
		msPerCandidate: Math.round((run.ms / CANDIDATES) * 1000) / 1000,
		peakRssGrowthMegabytes: mb(run.rss),
		peakHeapGrowthMegabytes: mb(run.heap),
		outputMegaCharacters: round2(characters / 1e6),
	};
}

function textLength(json: Record<string, unknown>): number {
	const prompt = json.prompt as { system?: string; firstMessage?: string; knowledgeBase?: string };
	return (prompt?.system?.length ?? 0) + (prompt?.firstMessage?.length ?? 0) + (prompt?.knowledgeBase?.length ?? 0);
}

/** The bundled German set as the build bundled it (falls back to the sources). */
function germanSet(): Record<string, string> {
	try {
		return JSON.parse(readFileSync(join(ROOT, 'dist', 'prompts', 'de.json'), 'utf8')) as Record<string, string>;
	} catch {
		const dir = join(ROOT, 'prompts', 'de');
		return Object.fromEntries(readdirSync(dir).filter((f) => f.endsWith('.hbs')).map((f) => [f.slice(0, -4), readFileSync(join(dir, f), 'utf8')]));
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
	(globalThis as { jest?: unknown }).jest ??= { fn: (impl?: (...args: unknown[]) => unknown) => mocker.fn(impl) };
	return await import('../test/engine/harness');
}

async function runNode(): Promise<VariantFigures> {
	const { runWorkflow, singleNodeWorkflow } = await setUpEngine();
	const workflow = singleNodeWorkflow({ name: 'Build Recruiting Prompt', type: 'n8n-nodes-voice-recruiting.recruitingPrompt', parameters: {} });
	await runWorkflow(workflow, { items: candidates().slice(0, 20) });
	const items = candidates();
	const run = await repeated(async () => await runWorkflow(workflow, { items }));
	if (run.result.status !== 'success') throw new Error(`The node's run failed: ${String(run.result.error?.message)}`);
	const out = run.result.json('Build Recruiting Prompt');
	if (out.length !== CANDIDATES) throw new Error(`The node returned ${out.length} items`);
	return figures('node', run, out.reduce((sum, json) => sum + textLength(json), 0));
}

/**
 * The Set-node templates: the German set rendered with every candidate field as `{{field}}`,
 * turned into n8n expressions (`{{ $json.field }}`), today's date as a `$now` expression.
 */
async function setNodeTemplates() {
	const { compileSet } = await import('../nodes/RecruitingPrompt/helpers/templates');
	const { renderTexts } = await import('../nodes/RecruitingPrompt/helpers/render');
	const set = compileSet({ name: 'de', bundled: true, templates: germanSet(), language: 'de', locale: 'de-DE' });
	const fields = Object.keys(candidates()[0]);
	const now = new Date().toISOString();
	const texts = renderTexts(set, {
		values: new Map(),
		placeholders: new Set([...set.variables.keys()].filter((name) => fields.includes(name))),
		data: { now, locale: 'de-DE', timezone: 'Europe/Berlin', language: 'de' },
		includeKnowledgeBase: false,
	});
	const { DateTime } = await import('luxon');
	const today = DateTime.fromISO(now).setZone('Europe/Berlin').setLocale('de-DE').toFormat('cccc, d. MMMM yyyy');
	const expression = (text: string) =>
		`=${text
			.replace(/\{\{(\w+)\}\}/g, (_, field: string) => `{{ $json.${field} }}`)
			.split(today)
			.join(`{{ $now.setZone('Europe/Berlin').setLocale('de-DE').toFormat('cccc, d. MMMM yyyy') }}`)}`;
	return { system: expression(texts.system), firstMessage: expression(texts.firstMessage), knowledgeBase: expression(texts.knowledgeBase) };
}

async function runSetNode(): Promise<VariantFigures> {
	const { ensureRuntime } = await import('../scripts/n8n');
	const runtime = await ensureRuntime();
	const harness = await setUpEngine();
	// n8n's own Edit Fields (Set) node, from the n8n-nodes-base of the real n8n install.
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { Set } = require(join(runtime.dir, 'node_modules', 'n8n-nodes-base', 'dist', 'nodes', 'Set', 'Set.node.js')) as {
		Set: new () => never;
	};
	harness.loadPackage().nodeTypes['n8n-nodes-base.set'] = new Set();
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
	if (warm.status !== 'success' || !String((sample?.prompt as { system?: string })?.system).includes('Anna Schmidt')) {
		throw new Error(`The Set node did not render the prompt: ${String(warm.error?.message ?? JSON.stringify(sample).slice(0, 300))}`);
	}
	const items = candidates();
	const run = await repeated(async () => await harness.runWorkflow(workflow, { items }));
	if (run.result.status !== 'success') throw new Error(`The Set node's run failed: ${String(run.result.error?.message)}`);
	const out = run.result.json('Edit Fields');
	return figures('setNode', run, out.reduce((sum, json) => sum + textLength(json), 0));
}

async function runHandlebars(): Promise<VariantFigures> {
	const Handlebars = (await import('handlebars')).default;
	const { HELPERS } = await import('../nodes/RecruitingPrompt/helpers/handlebarsHelpers');
	const templates = germanSet();
	const env = Handlebars.create();
	for (const [name, helper] of Object.entries(HELPERS)) env.registerHelper(name, helper);
	const compile = (text: string) => {
		const template = env.compile(text, { noEscape: true, strict: true });
		template({ name: '', company: '', jobTitle: '', recruiterName: '' }, { data: { now: new Date().toISOString() } });
		return template;
	};
	for (const [name, text] of Object.entries(templates)) {
		if (name !== 'master' && name !== 'firstMessage' && name !== 'knowledgeBase') env.registerPartial(name, compile(text));
	}
	const master = compile(templates.master);
	const firstMessage = compile(templates.firstMessage);
	const knowledgeBase = compile(templates.knowledgeBase);
	const items = candidates();
	const run = await repeated(() => {
		const data = { now: new Date().toISOString(), locale: 'de-DE', timezone: 'Europe/Berlin', language: 'de' };
		const out: Array<Record<string, unknown>> = [];
		for (const item of items) {
			out.push({
				...item,
				prompt: {
					system: master(item, { data }),
					firstMessage: firstMessage(item, { data }),
					language: 'de',
					knowledgeBase: knowledgeBase(item, { data }),
				},
			});
		}
		return out;
	});
	return figures('handlebars', run, run.result.reduce((sum, json) => sum + textLength(json), 0));
}

const VARIANTS: Record<Variant, () => Promise<VariantFigures>> = { node: runNode, setNode: runSetNode, handlebars: runHandlebars };

/** One variant in a fresh child process (tsx loader, GC exposed for a clean start line). */
async function inChild(variant: Variant): Promise<VariantFigures> {
	return await new Promise((resolve, reject) => {
		// A benchmark, not a node: a fresh process per variant keeps one variant's heap out of the other's figure.
		// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions
		const child = fork(__filename, ['--variant', variant], {
			execArgv: ['--import', 'tsx', '--expose-gc', '--max-old-space-size=8192'],
			env: { ...process.env, N8N_USER_FOLDER: mkdtempSync(join(tmpdir(), 'n8n-bench-prompt-')) },
			stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
		});
		let result: VariantFigures | undefined;
		let stderr = '';
		child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
		child.on('message', (message) => (result = message as VariantFigures));
		child.on('error', reject);
		child.on('exit', (code) =>
			result ? resolve(result) : reject(new Error(`The ${variant} benchmark child exited with ${String(code)}: ${stderr.trim()}`)),
		);
	});
}

export async function benchmarkRecruitingPrompt(): Promise<RecruitingPromptFigures> {
	const { cpus } = await import('node:os');
	const node = await inChild('node');
	const handlebars = await inChild('handlebars');
	let setNode: VariantFigures | { skipped: string };
	try {
		setNode = await inChild('setNode');
	} catch (error) {
		setNode = { skipped: `n8n's Set node could not run: ${String((error as Error)?.message ?? error).slice(0, 500)}` };
	}
	return {
		machine: `${process.version}, ${process.arch}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`,
		candidates: CANDIDATES,
		node,
		setNode,
		handlebars,
		...('seconds' in setNode ? { nodePerSetNode: round2(node.seconds / setNode.seconds) } : {}),
		nodePerHandlebars: round2(node.seconds / handlebars.seconds),
	};
}

/** The figures as a few lines of text (for bench/run.ts and the command line). */
export function formatRecruitingPrompt(f: RecruitingPromptFigures): string {
	const line = (v: VariantFigures) =>
		`${v.seconds} s (${v.msPerCandidate} ms per candidate), peak memory +${v.peakRssGrowthMegabytes} MB RSS / +${v.peakHeapGrowthMegabytes} MB heap`;
	return [
		`Build Recruiting Prompt, ${f.candidates} candidates, bundled de set (${f.machine})`,
		`  node (n8n engine):          ${line(f.node)}`,
		`  (a) Edit Fields (Set) node: ${'seconds' in f.setNode ? line(f.setNode) : f.setNode.skipped}`,
		`  (b) plain Handlebars loop:  ${line(f.handlebars)}`,
		`  ratio node / Set node:          ${f.nodePerSetNode ?? 'n/a'}`,
		`  ratio node / plain Handlebars:  ${f.nodePerHandlebars}`,
	].join('\n');
}

const variantArg = process.argv.indexOf('--variant');
if (variantArg > 0 && process.send) {
	const variant = process.argv[variantArg + 1] as Variant;
	VARIANTS[variant]().then(
		(result) => {
			process.send!(result);
			process.exit(0);
		},
		(error) => {
			process.stderr.write(`${String(error?.stack ?? error)}\n`);
			process.exit(1);
		},
	);
} else if (require.main === module) {
	benchmarkRecruitingPrompt().then(
		(result) => process.stdout.write(`${formatRecruitingPrompt(result)}\n${JSON.stringify(result, null, 2)}\n`),
		(error) => {
			process.stderr.write(`${String(error?.stack ?? error)}\n`);
			process.exitCode = 1;
		},
	);
}
