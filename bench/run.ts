/**
 * `npm run bench`: every benchmark, each printed as figures against a baseline measured in the
 * same run, with the machine noted. `npm run bench -- load agentCall` runs only those named
 * (`render` is the short name of recruitingPrompt); `npx tsx bench/run.ts render` does the same
 * without the build, for a dist/ that is already built.
 */
import * as os from 'node:os';

import { benchmarkAgentCall } from './agentCall';
import { benchmarkCallingAtScale, scaleOptions } from './callingAtScale';
import { benchmarkCampaignReport, formatCampaignReport } from './campaignReport';
import { benchmarkLoadCost } from './loadCost';
import { benchmarkRecruitingPrompt, formatRecruitingPrompt } from './recruitingPrompt';
import { benchmarkTranscript } from './transcript';

interface Benchmark {
	name: string;
	/** Another name it can be asked for by. */
	alias?: string;
	title: string;
	run(args: string[]): Promise<string>;
}

const json = (value: unknown) => JSON.stringify(value, null, 2);

const BENCHMARKS: Benchmark[] = [
	{
		name: 'load',
		title: 'Loading the package in n8n: require of every node and credential vs n8n-workflow alone',
		run: async () => {
			const f = await benchmarkLoadCost();
			return [
				`package ${f.packageMs} ms (${f.files} files, +${f.packageHeapMb} MB heap) / n8n-workflow alone ${f.n8nWorkflowMs} ms = ${f.ratio}`,
				`CPU time: package ${f.packageCpuMs} ms / n8n-workflow alone ${f.n8nWorkflowCpuMs} ms = ${f.cpuRatio} (goal 1.2)`,
				`vendor SDKs loaded at start-up: ${f.sdksLoaded.length ? f.sdksLoaded.join(', ') : 'none (lazy, as intended)'}`,
			].join('\n');
		},
	},
	{
		name: 'recruitingPrompt',
		alias: 'render',
		title:
			"Build Recruiting Prompt: 10,000 candidates, bundled de set, vs the Set node, plain Handlebars and n8n's No Operation node",
		run: async () => formatRecruitingPrompt(await benchmarkRecruitingPrompt()),
	},
	{
		name: 'agentCall',
		title: 'Place Agent Call: 200 candidates, agent concurrency limit 5, calls of about 3 s',
		run: async () => json(await benchmarkAgentCall()),
	},
	{
		name: 'callingAtScale',
		title:
			'A campaign at scale: 100 candidates (--candidates=N), agent limit 20, calls of 10–40 s talk (--talk=MIN-MAX), 300 ms per API request; one process and queue mode with two workers',
		run: async (args) => json(await benchmarkCallingAtScale(scaleOptions(args))),
	},
	{
		name: 'transcript',
		title:
			'Get Transcript: 1,000 finished conversations with audio in one execution (filesystem binary mode; in-memory as an n8n 2.x note)',
		run: async () => json(await benchmarkTranscript()),
	},
	{
		name: 'campaignReport',
		alias: 'report',
		title:
			'Campaign Report: 10,000 candidates as the page and as the PDF, vs the same rows as a plain HTML table',
		run: async () => formatCampaignReport(await benchmarkCampaignReport()),
	},
];

async function main() {
	const args = process.argv.slice(2);
	const wanted = args.filter((a) => !a.startsWith('-'));
	const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
	process.stdout.write(
		`Machine: ${cpu}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version} (${process.arch})\n\n`,
	);
	for (const bench of BENCHMARKS) {
		if (
			wanted.length &&
			!wanted.includes(bench.name) &&
			!(bench.alias && wanted.includes(bench.alias))
		)
			continue;
		process.stdout.write(`## ${bench.title}\n`);
		const started = Date.now();
		process.stdout.write(
			`${await bench.run(args)}\n(${Math.round((Date.now() - started) / 1000)} s)\n\n`,
		);
	}
}

main().catch((error) => {
	process.stderr.write(`${String(error?.stack ?? error)}\n`);
	process.exitCode = 1;
});
