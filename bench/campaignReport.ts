/**
 * Benchmark: the campaign report of 10,000 candidates (the made-up campaign of
 * test/fixtures/reportCandidates.ts, the results sheet's columns) against the floor, rendering the
 * same rows as a plain HTML table (every field of every row escaped into a cell, nothing
 * counted or drawn). That is what a recruiter gets today from "sheet rows → HTML table", so it is
 * the fair baseline for the page; the PDF is compared with it too, as the other form of the same
 * rows. The report's own work is aggregation (funnel, reach, heat map, answers, compliance with
 * the calling window per candidate), the view, and the page's HTML or pdfkit's PDF.
 *
 * Each variant runs in a fresh child process (GC exposed), three times after a warm-up on 1,000
 * rows; figures: the fastest run's time, time per candidate, the peak growth of resident memory
 * and of the JS heap during a run and that growth per candidate, the output's size, and the
 * ratios page / plain table and PDF / plain table.
 *
 * Run: npx tsx bench/campaignReport.ts, or through bench/run.ts (`npm run bench -- campaignReport`).
 */
import { fork } from 'node:child_process';

const CANDIDATES = 10_000;
const RUNS = 3;
const SAMPLE_MS = 5;
const VARIANTS = ['plainTable', 'page', 'pdf'] as const;
type Variant = (typeof VARIANTS)[number];

export interface VariantFigures {
	variant: Variant;
	ms: number;
	usPerCandidate: number;
	peakRssMb: number;
	peakHeapMb: number;
	rssKbPerCandidate: number;
	outputMb: number;
}

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

async function render(variant: Variant, rows: Array<Record<string, unknown>>): Promise<number> {
	if (variant === 'plainTable') {
		const { escapeHtml } = await import('../nodes/CampaignReport/helpers/svgCharts');
		const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
		const cell = (value: unknown) =>
			`<td>${escapeHtml(value === undefined || value === null ? '' : String(value))}</td>`;
		const html = `<!DOCTYPE html><html><body><table><thead><tr>${columns
			.map((c) => `<th>${escapeHtml(c)}</th>`)
			.join('')}</tr></thead><tbody>${rows
			.map((row) => `<tr>${columns.map((c) => cell(row[c])).join('')}</tr>`)
			.join('\n')}</tbody></table></body></html>`;
		return html.length;
	}
	const { aggregate } = await import('../nodes/CampaignReport/helpers/aggregate');
	const { reportView } = await import('../nodes/CampaignReport/helpers/reportView');
	const { windowRules } = await import('../nodes/AgentCall/helpers/windowRules');
	const rules = windowRules(
		{ days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00', skipHolidays: true },
		new Date(),
	);
	if (!rules.ok) throw new Error(rules.message);
	const report = aggregate(rows, {
		answers: [],
		mustHaves: [{ field: 'workPermit', condition: 'yes' }],
		defaultRegion: 'DE',
		defaultZone: 'Europe/Berlin',
		window: rules.value,
		transcriptLinkBase: 'https://recruiting.example.de/t/',
	});
	const view = reportView(report, {
		language: 'de',
		costUnit: 'Credits',
		now: new Date(),
		zone: 'Europe/Berlin',
	});
	if (variant === 'page') {
		const { renderHtmlReport } = await import('../nodes/CampaignReport/helpers/htmlReport');
		return renderHtmlReport(view).length;
	}
	const { renderPdfReport } = await import('../nodes/CampaignReport/helpers/pdfReport');
	return (await renderPdfReport(view)).length;
}

/** One variant in this (child) process. */
async function runVariant(variant: Variant): Promise<VariantFigures> {
	const { reportCandidates } = await import('../test/fixtures/reportCandidates');
	const rows = reportCandidates(CANDIDATES);
	await render(variant, rows.slice(0, 1000));
	let best: Omit<VariantFigures, 'variant'> | undefined;
	for (let run = 0; run < RUNS; run++) {
		(globalThis as { gc?: () => void }).gc?.();
		const start = process.memoryUsage();
		let rss = start.rss;
		let heap = start.heapUsed;
		const sampler = setInterval(() => {
			const now = process.memoryUsage();
			rss = Math.max(rss, now.rss);
			heap = Math.max(heap, now.heapUsed);
		}, SAMPLE_MS);
		const began = performance.now();
		const size = await render(variant, rows);
		const ms = performance.now() - began;
		clearInterval(sampler);
		const end = process.memoryUsage();
		rss = Math.max(rss, end.rss) - start.rss;
		heap = Math.max(heap, end.heapUsed) - start.heapUsed;
		if (!best || ms < best.ms) {
			best = {
				ms: Math.round(ms),
				usPerCandidate: Math.round((ms * 1000) / CANDIDATES),
				peakRssMb: mb(rss),
				peakHeapMb: mb(heap),
				rssKbPerCandidate: Math.round((rss / 1024 / CANDIDATES) * 10) / 10,
				outputMb: mb(size),
			};
		}
	}
	return { variant, ...best! };
}

async function inChild(variant: Variant): Promise<VariantFigures> {
	return await new Promise((resolve, reject) => {
		// A benchmark, not a node: a fresh process per variant keeps one variant's heap out of another's figure.
		// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions
		const child = fork(__filename, ['--variant', variant], {
			execArgv: ['--import', 'tsx', '--expose-gc', '--max-old-space-size=4096'],
		});
		let figures: VariantFigures | undefined;
		child.on('message', (message) => (figures = message as VariantFigures));
		child.on('error', reject);
		child.on('exit', (code) =>
			figures
				? resolve(figures)
				: reject(new Error(`The ${variant} benchmark child exited with ${String(code)}`)),
		);
	});
}

export async function benchmarkCampaignReport(): Promise<VariantFigures[]> {
	const figures: VariantFigures[] = [];
	for (const variant of VARIANTS) figures.push(await inChild(variant));
	return figures;
}

export function formatCampaignReport(figures: VariantFigures[]): string {
	const plain = figures.find((f) => f.variant === 'plainTable')!;
	const names: Record<Variant, string> = {
		plainTable: 'plain HTML table',
		page: 'report page',
		pdf: 'report PDF',
	};
	const lines = figures.map(
		(f) =>
			`${names[f.variant].padEnd(17)} ${String(f.ms).padStart(6)} ms  ${String(f.usPerCandidate).padStart(5)} µs/candidate  peak RSS +${f.peakRssMb} MB (${f.rssKbPerCandidate} KB/candidate), heap +${f.peakHeapMb} MB, output ${f.outputMb} MB`,
	);
	for (const f of figures.filter((f) => f !== plain)) {
		lines.push(
			`${names[f.variant]} / plain table: time ${Math.round((f.ms / plain.ms) * 10) / 10}×, peak RSS ${Math.round((f.peakRssMb / Math.max(0.1, plain.peakRssMb)) * 10) / 10}×`,
		);
	}
	return [
		`${CANDIDATES.toLocaleString('en')} candidates, fastest of ${RUNS} runs each`,
		...lines,
	].join('\n');
}

const variantArg = process.argv.indexOf('--variant');
if (variantArg > 0 && process.send) {
	runVariant(process.argv[variantArg + 1] as Variant).then(
		(figures) => {
			process.send!(figures);
			process.exit(0);
		},
		(error: unknown) => {
			process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
			process.exit(1);
		},
	);
} else if (require.main === module) {
	benchmarkCampaignReport().then(
		(figures) => process.stdout.write(`${formatCampaignReport(figures)}\n`),
		(error: unknown) => {
			process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
			process.exitCode = 1;
		},
	);
}
