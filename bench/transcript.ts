/**
 * Benchmark: 1,000 finished conversations with audio fetched in one execution through
 * n8n's engine (Get Transcript: Get, then Download Audio) against the sandbox.
 *
 * - Memory: the peak growth of the process's resident memory during the run, divided by the
 *   total size of the audio fetched, with n8n's filesystem binary mode (what a single n8n uses
 *   from n8n 3.0 on). Fair baseline: the audio itself (a node that buffered every recording
 *   would show ≥ 1). Then, as a note for n8n 2.x only, the same with the in-memory mode that
 *   n8n 3.0 removes (it keeps recordings as base64, so ≈ 1.33 is the floor there). Each mode runs
 *   in a fresh child process, so neither inherits the other's heap.
 * - Time: the run against the sandbox's own request-time floor, the same 2,000 requests
 *   (GET conversation + GET audio) sent one after the other with plain fetch, no SDK and no n8n,
 *   in the same process and sandbox just before. The ratio is what the node and the engine add.
 *   In filesystem mode n8n writes each recording to a file, so the fair floor writes the same
 *   bytes to a file of its own per recording too (`floorWithFilesSeconds`, `timePerFloorWithFiles`).
 *
 * Run: npx tsx bench/transcript.ts (after npm run build:dev), or through bench/run.ts.
 */
import { fork } from 'node:child_process';
import { createWriteStream, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { tmpdir } from 'node:os';

const CONVERSATIONS = 1000;
/** Talk time of each call: with the sandbox's 32 kbit/s MP3, about 240 kB of audio each. */
const TALK_SECS = 60;
const SAMPLE_MS = 5;

type BinaryMode = 'default' | 'filesystem';

export interface TranscriptModeFigures {
	binaryMode: BinaryMode;
	conversations: number;
	audioMegabytes: number;
	peakRssGrowthMegabytes: number;
	peakRssGrowthPerAudioByte: number;
	floorPeakRssGrowthMegabytes: number;
	seconds: number;
	floorSeconds: number;
	timePerFloor: number;
	/** Filesystem mode: the same requests, each recording written to a file, as n8n does. */
	floorWithFilesSeconds?: number;
	timePerFloorWithFiles?: number;
}

export interface TranscriptFigures {
	machine: string;
	/** n8n's filesystem binary mode: the figure. */
	filesystem: TranscriptModeFigures;
	/** n8n 2.x's in-memory mode (`default`), removed in n8n 3.0: for comparison only. */
	inMemoryN8n2Only: TranscriptModeFigures & { note: string };
}

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const round2 = (n: number) => Math.round(n * 100) / 100;

/** Runs `work` while sampling resident memory; returns its result, the peak growth and the time. */
async function measured<T>(
	work: () => Promise<T>,
): Promise<{ result: T; peakGrowth: number; ms: number }> {
	(globalThis as { gc?: () => void }).gc?.();
	const start = process.memoryUsage().rss;
	let peak = start;
	const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), SAMPLE_MS);
	const began = performance.now();
	try {
		const result = await work();
		peak = Math.max(peak, process.memoryUsage().rss);
		return { result, peakGrowth: peak - start, ms: performance.now() - began };
	} finally {
		clearInterval(sampler);
	}
}

/** One binary mode, in this (child) process. */
async function runMode(mode: BinaryMode): Promise<TranscriptModeFigures> {
	process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'n8n-bench-transcript-'));
	process.env.N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS = 'false';
	process.env.N8N_DIAGNOSTICS_ENABLED = 'false';
	process.env.N8N_DEFAULT_BINARY_DATA_MODE = mode;
	await import('reflect-metadata');
	// The engine harness builds its mocks with jest-mock-extended, which needs `jest.fn` outside jest too.
	const { ModuleMocker } = await import('jest-mock');
	const mocker = new ModuleMocker(globalThis);
	(globalThis as { jest?: unknown }).jest ??= {
		fn: (impl?: (...args: unknown[]) => unknown) => mocker.fn(impl),
	};
	if (mode === 'filesystem') {
		// n8n-core's own copy of the DI container (it nests its @n8n/di), where its services are registered.
		const { Container } = (await import(
			require.resolve('@n8n/di', { paths: [require.resolve('n8n-core')] })
		)) as typeof import('@n8n/di');
		const { BinaryDataService } = await import('n8n-core');
		await Container.get(BinaryDataService).init();
	}
	const { startSandbox } = await import('../sandbox');
	const { conversationStore } = await import('../sandbox/conversations');
	const { silentMp3 } = await import('../sandbox/transcripts');
	const { runWorkflow } = await import('../test/engine/harness');

	const sandbox = await startSandbox({ port: 0 });
	try {
		const store = conversationStore(sandbox);
		const ids: string[] = [];
		for (let i = 0; i < CONVERSATIONS; i++) {
			const record = store.create({
				agentId: sandbox.ids.agents.recruitingDe,
				source: 'twilio',
				outcome: { callResult: 'answered', ringSecs: 1, talkSecs: TALK_SECS },
				phoneCall: {
					type: 'twilio',
					direction: 'outbound',
					phoneNumberId: sandbox.ids.phoneNumbers.twilioDe,
					agentNumber: sandbox.numbers.twilioBerlin,
					externalNumber: `+49171${String(3000000 + i)}`,
				},
				clientData: {
					dynamicVariables: {
						candidate_name: `Kandidat ${i}`,
						company: 'Muster GmbH',
						job_title: 'Lagerist',
					},
				},
			});
			ids.push(record.conversationId);
		}
		store.settleAll();
		const audioBytes = CONVERSATIONS * silentMp3(TALK_SECS).length;

		const headers = { 'xi-api-key': sandbox.apiKey };
		const bareRequests = async (folder?: string) => {
			for (const id of ids) {
				await (
					await fetch(`${sandbox.url}/v1/convai/conversations/${id}`, { headers })
				).arrayBuffer();
				const audio = await fetch(`${sandbox.url}/v1/convai/conversations/${id}/audio`, {
					headers,
				});
				// Streamed to its file as it arrives, as n8n's filesystem mode stores a download.
				if (folder)
					await pipeline(
						Readable.fromWeb(audio.body as import('node:stream/web').ReadableStream),
						createWriteStream(join(folder, `${id}.mp3`)),
					);
				else await audio.arrayBuffer();
			}
		};
		const floor = await measured(async () => await bareRequests());
		const floorWithFiles =
			mode === 'filesystem'
				? await measured(
						async () =>
							await bareRequests(mkdtempSync(join(tmpdir(), 'n8n-bench-transcript-files-'))),
					)
				: undefined;

		const credentials = { elevenLabsAgentsApi: { id: '1', name: 'ElevenLabs' } };
		const node = (name: string, operation: string, x: number) => ({
			id: name,
			name,
			type: 'n8n-nodes-voice-recruiting.transcript',
			typeVersion: 1,
			position: [x, 0] as [number, number],
			parameters: { resource: 'conversation', operation },
			credentials,
		});
		const workflow = {
			nodes: [
				{
					id: 'start',
					name: 'Start',
					type: 'n8n-nodes-base.manualTrigger',
					typeVersion: 1,
					position: [0, 0] as [number, number],
					parameters: {},
				},
				node('Get Transcript', 'get', 200),
				node('Download Audio', 'downloadAudio', 400),
			],
			connections: {
				Start: { main: [[{ node: 'Get Transcript', type: 'main' as const, index: 0 }]] },
				'Get Transcript': { main: [[{ node: 'Download Audio', type: 'main' as const, index: 0 }]] },
			},
		};
		const run = await measured(
			async () =>
				await runWorkflow(workflow, {
					credentials: sandbox.credentials() as never,
					items: ids.map((conversationId) => ({ conversationId })),
				}),
		);
		if (run.result.status !== 'success')
			throw new Error(`The run failed: ${String(run.result.error?.message)}`);
		const out = run.result.output('Download Audio');
		if (
			out.length !== CONVERSATIONS ||
			out.some((item) => item.binary?.data?.mimeType !== 'audio/mpeg')
		) {
			throw new Error('The run did not return every recording');
		}
		return {
			binaryMode: mode,
			conversations: CONVERSATIONS,
			audioMegabytes: mb(audioBytes),
			peakRssGrowthMegabytes: mb(run.peakGrowth),
			peakRssGrowthPerAudioByte: round2(run.peakGrowth / audioBytes),
			floorPeakRssGrowthMegabytes: mb(floor.peakGrowth),
			seconds: round2(run.ms / 1000),
			floorSeconds: round2(floor.ms / 1000),
			timePerFloor: round2(run.ms / floor.ms),
			...(floorWithFiles && {
				floorWithFilesSeconds: round2(floorWithFiles.ms / 1000),
				timePerFloorWithFiles: round2(run.ms / floorWithFiles.ms),
			}),
		};
	} finally {
		await sandbox.close();
	}
}

/** Each binary mode in a fresh child process (tsx loader, GC exposed for a clean start line). */
async function inChild(mode: BinaryMode): Promise<TranscriptModeFigures> {
	return await new Promise((resolve, reject) => {
		// A benchmark, not a node: a fresh process per mode keeps one mode's heap out of the other's figure.
		// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions
		const child = fork(__filename, ['--mode', mode], {
			execArgv: ['--import', 'tsx', '--expose-gc', '--max-old-space-size=4096'],
			env: {
				...process.env,
				N8N_USER_FOLDER: mkdtempSync(join(tmpdir(), 'n8n-bench-transcript-')),
			},
		});
		let figures: TranscriptModeFigures | undefined;
		child.on('message', (message) => (figures = message as TranscriptModeFigures));
		child.on('error', reject);
		child.on('exit', (code) =>
			figures
				? resolve(figures)
				: reject(new Error(`The ${mode} benchmark child exited with ${String(code)}`)),
		);
	});
}

export async function benchmarkTranscript(): Promise<TranscriptFigures> {
	const { cpus } = await import('node:os');
	return {
		machine: `${process.version}, ${process.arch}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`,
		filesystem: await inChild('filesystem'),
		inMemoryN8n2Only: {
			...(await inChild('default')),
			note: 'n8n 2.x only: n8n 3.0 removes the in-memory binary data mode',
		},
	};
}

const modeArg = process.argv.indexOf('--mode');
if (modeArg > 0 && process.send) {
	const mode = process.argv[modeArg + 1] as BinaryMode;
	runMode(mode).then(
		(figures) => {
			process.send!(figures);
			process.exit(0);
		},
		(error) => {
			process.stderr.write(`${String(error?.stack ?? error)}\n`);
			process.exit(1);
		},
	);
} else if (require.main === module) {
	benchmarkTranscript().then(
		(figures) =>
			process.stdout.write(
				`Get Transcript, 1,000 conversations with audio: ${JSON.stringify(figures, null, 2)}\n`,
			),
		(error) => {
			process.stderr.write(`${String(error?.stack ?? error)}\n`);
			process.exitCode = 1;
		},
	);
}
