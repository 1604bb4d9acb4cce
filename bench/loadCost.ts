/**
 * What loading the package costs n8n at start-up: requiring every node and credential class
 * listed in package.json from dist/, each run in a fresh Node process, against requiring
 * n8n-workflow alone (which n8n loads anyway), the fair floor. Also checks that the vendor SDKs
 * stay unloaded: they must load lazily, on first use inside a node.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

import packageJson from '../package.json';

const ROOT = path.resolve(__dirname, '..');
const RUNS = 7;

export interface LoadCostFigures {
	packageMs: number;
	n8nWorkflowMs: number;
	ratio: number;
	/** The same in CPU time: steadier than wall time on a machine shared with other work. */
	packageCpuMs: number;
	n8nWorkflowCpuMs: number;
	cpuRatio: number;
	packageHeapMb: number;
	sdksLoaded: string[];
	files: number;
}

/** Source of a child that times `require` of the given files and reports what got loaded. */
function probe(files: string[]): string {
	return `
const t0 = process.hrtime.bigint();
const cpu0 = process.cpuUsage();
const before = process.memoryUsage().heapUsed;
for (const f of ${JSON.stringify(files)}) require(f);
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
const cpu = process.cpuUsage(cpu0);
const cpuMs = (cpu.user + cpu.system) / 1e3;
const sdks = Object.keys(require.cache).filter((k) => /node_modules[\\\\/](@elevenlabs|twilio)[\\\\/]/.test(k));
process.stdout.write(JSON.stringify({ ms, cpuMs, heap: process.memoryUsage().heapUsed - before, sdks: [...new Set(sdks.map((k) => k.split(/node_modules[\\\\/]/).pop().split(/[\\\\/]/).slice(0, k.includes('@elevenlabs') ? 2 : 1).join('/')))] }));
`;
}

function measure(files: string[]) {
	// A fresh process per measurement: require's module cache would hide the cost otherwise.
	// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions
	const out = execFileSync(process.execPath, ['-e', probe(files)], { cwd: ROOT, encoding: 'utf8' });
	return JSON.parse(out) as { ms: number; cpuMs: number; heap: number; sdks: string[] };
}

const median = (values: number[]) =>
	[...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export async function benchmarkLoadCost(): Promise<LoadCostFigures> {
	const distFiles = [...packageJson.n8n.credentials, ...packageJson.n8n.nodes].map((f) =>
		path.join(ROOT, f),
	);
	// The package's own time includes n8n-workflow, which every node requires first.
	const pkg: ReturnType<typeof measure>[] = [];
	const floor: ReturnType<typeof measure>[] = [];
	for (let i = 0; i < RUNS; i++) {
		floor.push(measure([require.resolve('n8n-workflow', { paths: [ROOT] })]));
		pkg.push(measure(distFiles));
	}
	const packageMs = median(pkg.map((r) => r.ms));
	const n8nWorkflowMs = median(floor.map((r) => r.ms));
	const packageCpuMs = median(pkg.map((r) => r.cpuMs));
	const n8nWorkflowCpuMs = median(floor.map((r) => r.cpuMs));
	return {
		packageMs: Math.round(packageMs * 10) / 10,
		n8nWorkflowMs: Math.round(n8nWorkflowMs * 10) / 10,
		ratio: Math.round((packageMs / n8nWorkflowMs) * 100) / 100,
		packageCpuMs: Math.round(packageCpuMs),
		n8nWorkflowCpuMs: Math.round(n8nWorkflowCpuMs),
		cpuRatio: Math.round((packageCpuMs / n8nWorkflowCpuMs) * 100) / 100,
		packageHeapMb: Math.round((median(pkg.map((r) => r.heap)) / 1e6) * 10) / 10,
		sdksLoaded: [...new Set(pkg.flatMap((r) => r.sdks))],
		files: distFiles.length,
	};
}
