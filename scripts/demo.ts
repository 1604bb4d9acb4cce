/**
 * `npm run demo`: a calling campaign in a real n8n 2.41.1 against the local sandbox, no accounts
 * and no cost.
 *
 * 1. starts the sandbox (ElevenLabs + Twilio simulator; its clock runs fast, so calls last seconds);
 * 2. installs n8n 2.41.1 and Node 24 into the cache on the first run (minutes, with progress),
 *    and the package into a fresh n8n user folder as a community package;
 * 3. imports the sandbox credentials and the demo workflow (workflows/demo-campaign.json);
 * 4. publishes the recruiting set to the sandbox agent first (workflows/set-up-agent.json: Build
 *    Recruiting Prompt → Publish), so that the agent collects the answers the prompts ask for;
 * 5. publishes the callback example (workflows/callback.json, reading the demo's CSV instead of
 *    the Google sheet) and the web interview (workflows/web-interview.json, on a signed WebSocket
 *    URL) and starts n8n, so that a candidate who calls back and one who opens the interview link
 *    reach n8n as they would in production;
 * 6. runs the demo: nine candidates from workflows/data/demo-candidates.csv, one per outcome
 *    (answered, voicemail, busy, no answer, opt-out, refused consent, call-back request, answers
 *    the second call, calls back), in two rounds of calls, a follow-up text with the interview
 *    link to those still not reached (one of them opens it and talks in the browser), prints the
 *    progress of each call and a results table with how each person was reached, and writes
 *    tmp/demo/demo-results.csv and the Campaign Report of the run, demo-report.html and
 *    demo-report.pdf, beside it.
 *
 * `npm run demo -- --open` then leaves n8n running with every example imported and prints the
 * editor URL and login (Ctrl-C stops n8n and the sandbox).
 */
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import * as path from 'node:path';

import type { IDataObject, INode } from 'n8n-workflow';

import { startSandbox } from '../sandbox';
import type { Sandbox } from '../sandbox';
import { COLLECTED_ANSWERS } from '../nodes/RecruitingPrompt/helpers/answers';
import { conversationStore } from '../sandbox/conversations';
import type { ConversationRecord, ConversationStatus } from '../sandbox/conversations';
import { candidateOpensLink } from './demoBrowser';
import { ensureRuntime, N8nInstance, packPackage, runtimeDir, runtimeInstalled } from './n8n';
import type { ExecutionResult, N8nRestClient, OwnerAccount, WorkflowJson } from './n8n';
import { REPO_ROOT } from './paths';
import { formatDuration, freePort } from './process';

export const WORKFLOWS_DIR = path.join(REPO_ROOT, 'workflows');
export const DEMO_WORKFLOW_FILE = path.join(WORKFLOWS_DIR, 'demo-campaign.json');
export const DEMO_CANDIDATES_FILE = path.join(WORKFLOWS_DIR, 'data', 'demo-candidates.csv');
export const SET_UP_AGENT_FILE = path.join(WORKFLOWS_DIR, 'set-up-agent.json');
export const CALLBACK_FILE = path.join(WORKFLOWS_DIR, 'callback.json');
export const WEB_INTERVIEW_FILE = path.join(WORKFLOWS_DIR, 'web-interview.json');
/** The sandbox scenario of the candidate who opens the follow-up text's link (Sophie Wagner). */
export const OPENS_LINK_SCENARIO = 'noAnswer';
export const DEMO_WORKFLOW_ID = 'vrDemoCampaign';
/** Simulated seconds per real second: a 3-minute screening call takes about 3 s. */
export const DEMO_CLOCK_SPEED = 60;

/** The owner of the local `--open` instance (127.0.0.1 only, deleted on exit): not a secret. */
export const DEMO_OWNER: OwnerAccount = {
	email: 'recruiter@demo.voice-recruiting.test',
	firstName: 'Demo',
	lastName: 'Recruiter',
	// eslint-disable-next-line @n8n/community-nodes/no-hardcoded-secrets
	password: 'Demo-Recruiter-2026',
};

const write = (line = '') => process.stdout.write(`${line}\n`);

export interface DemoOptions {
	/** The packed package; default: `npm pack` of the repo (dist/ must be built). */
	tarball?: string;
	/** Where the results CSV goes; default tmp/demo in the repo. */
	outputDir?: string;
	/** Print progress and the table (default true). */
	print?: boolean;
	/** Sandbox clock speed (default DEMO_CLOCK_SPEED). */
	clockSpeed?: number;
}

/** One row of the results table: the demo workflow's "Result row" node. */
export interface DemoResultRow {
	candidateId: string;
	name: string;
	phone: string;
	outcome: string;
	reached: string;
	/** How the person was reached (Get Transcript's reachedVia): first_call, retry, callback, browser. */
	reachedVia: string;
	consent: unknown;
	interested: unknown;
	availability: unknown;
	salary: unknown;
	optOut: unknown;
	callback: unknown;
	durationSecs: unknown;
	cost: unknown;
	summary: string;
	/** When the call started (Get Transcript), else when it was placed. */
	calledAt: string;
	conversationId: string;
}

export interface DemoRun {
	sandbox: Sandbox;
	n8n: N8nInstance;
	execution: ExecutionResult;
	rows: DemoResultRow[];
	resultsFile: string;
	resultsCsv: string;
	/** The Campaign Report of the run: the page and the PDF the workflow wrote. */
	reportPageFile: string;
	reportPdfFile: string;
	/** The items of the set-up workflow's Publish node (the recruiting set put onto the agent). */
	published: IDataObject[];
	timings: Record<string, number>;
	/** Stops n8n and the sandbox and deletes the n8n user folder. */
	dispose(): Promise<void>;
}

/** Reads a workflow file of workflows/. */
export async function readWorkflow(file: string): Promise<WorkflowJson> {
	return JSON.parse(await readFile(file, 'utf8')) as WorkflowJson;
}

/** Every example workflow file (workflows/*.json). */
export async function exampleWorkflowFiles(): Promise<string[]> {
	return (await readdir(WORKFLOWS_DIR))
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => path.join(WORKFLOWS_DIR, file));
}

/** The demo workflow with its file paths pointed at the repo's CSV and the output folder. */
export function demoWorkflowFor(
	workflow: WorkflowJson,
	files: {
		candidatesFile: string;
		resultsFile: string;
		reportPageFile?: string;
		reportPdfFile?: string;
		/** The web interview's page on the demo's n8n (`…/webhook/interview`). */
		interviewPageUrl?: string;
	},
): WorkflowJson {
	const copy = structuredClone(workflow);
	const settings = copy.nodes.find((node) => node.name === 'Demo settings');
	const assignments = (
		settings?.parameters.assignments as
			| { assignments?: Array<{ name: string; value: unknown }> }
			| undefined
	)?.assignments;
	if (!assignments)
		throw new Error('The demo workflow has no "Demo settings" node with assignments');
	for (const assignment of assignments) {
		if (assignment.name === 'candidatesFile') assignment.value = files.candidatesFile;
		if (assignment.name === 'resultsFile') assignment.value = files.resultsFile;
		if (assignment.name === 'reportPageFile' && files.reportPageFile)
			assignment.value = files.reportPageFile;
		if (assignment.name === 'reportPdfFile' && files.reportPdfFile)
			assignment.value = files.reportPdfFile;
		if (assignment.name === 'interviewPageUrl' && files.interviewPageUrl)
			assignment.value = files.interviewPageUrl;
	}
	return copy;
}

/** The demo workflow's setting `name` (its "Demo settings" node). */
export function demoSetting(workflow: WorkflowJson, name: string): string {
	const settings = workflow.nodes.find((node) => node.name === 'Demo settings');
	const assignments = (
		settings?.parameters.assignments as { assignments?: Array<{ name: string; value: unknown }> }
	)?.assignments;
	const found = assignments?.find((assignment) => assignment.name === name);
	if (!found) throw new Error(`The demo workflow has no setting "${name}"`);
	return String(found.value);
}

function nodeNamed(workflow: WorkflowJson, name: string): INode {
	const found = workflow.nodes.find((node) => node.name === name);
	if (!found) throw new Error(`${workflow.name} has no node "${name}"`);
	return found;
}

/**
 * workflows/callback.json for the demo: the candidates come from the demo's CSV instead of the
 * Google sheet (read file, extract rows), and the callback is recorded in the demo's campaign.
 */
export async function callbackWorkflowFor(
	candidatesFile: string,
	campaign: string,
): Promise<WorkflowJson> {
	const workflow = structuredClone(await readWorkflow(CALLBACK_FILE));
	const sheet = nodeNamed(workflow, 'Read candidates');
	const [x, y] = sheet.position;
	const read: INode = {
		id: 'demo-callback-read-csv',
		name: 'Read candidates CSV',
		type: 'n8n-nodes-base.readWriteFile',
		typeVersion: 1,
		position: [x, y],
		parameters: { fileSelector: candidatesFile, options: {} },
	};
	const extract: INode = {
		id: 'demo-callback-extract-csv',
		name: 'Read candidates',
		type: 'n8n-nodes-base.extractFromFile',
		typeVersion: 1,
		position: [x + 200, y],
		parameters: { options: {} },
	};
	workflow.nodes = [...workflow.nodes.filter((node) => node !== sheet), read, extract];
	const trigger = workflow.nodes.find((node) => node.type.endsWith('.elevenLabsCallbackTrigger'));
	workflow.connections[trigger!.name] = {
		main: [[{ node: read.name, type: 'main', index: 0 }]],
	};
	workflow.connections[read.name] = { main: [[{ node: extract.name, type: 'main', index: 0 }]] };
	nodeNamed(workflow, 'Answer caller').parameters.campaign = campaign;
	return workflow;
}

/**
 * workflows/web-interview.json for the demo: the page hands out a signed WebSocket URL (the
 * sandbox hosts no WebRTC room) and the candidates are the demo's (the link's id is their linkId).
 */
export async function webInterviewWorkflowFor(candidatesCsv: string): Promise<WorkflowJson> {
	const workflow = structuredClone(await readWorkflow(WEB_INTERVIEW_FILE));
	const [header, ...lines] = candidatesCsv.trim().split('\n');
	const columns = header.split(',');
	const candidates = lines.map((line) => {
		const row = Object.fromEntries(line.split(',').map((cell, n) => [columns[n], cell]));
		return {
			candidateId: row.linkId,
			name: row.name,
			jobTitle: row.jobTitle,
			company: row.company,
			language: row.language,
			linkValidUntil: '2099-12-31T23:59:59Z',
			interviewCompletedAt: null,
		};
	});
	const lookUp = nodeNamed(workflow, 'Look up candidate');
	lookUp.parameters.jsCode = String(lookUp.parameters.jsCode).replace(
		/const candidates = \[[\s\S]*?\n\];/,
		`const candidates = ${JSON.stringify(candidates, null, 2)};`,
	);
	const token = nodeNamed(workflow, 'Fetch WebRTC Token');
	token.parameters = { ...token.parameters, operation: 'signedUrl', options: {} };
	return workflow;
}

/** workflows/set-up-agent.json pointed at the sandbox: its Publish nodes use the sandbox agent and credential. */
export async function setUpAgentWorkflowFor(sandbox: Sandbox): Promise<WorkflowJson> {
	const workflow = structuredClone(await readWorkflow(SET_UP_AGENT_FILE));
	const credential = sandbox.n8nCredentials()[0];
	for (const node of workflow.nodes) {
		if (!node.type.endsWith('.recruitingPrompt') || node.parameters.operation !== 'publish')
			continue;
		node.parameters.agentId = { __rl: true, mode: 'id', value: sandbox.ids.agents.recruitingDe };
		node.credentials = { elevenLabsAgentsApi: { id: credential.id, name: credential.name } };
	}
	return workflow;
}

/**
 * Gives the sandbox agent the data-collection fields the bundled prompts name, as Publish sets
 * them up (and as a recruiter would in the ElevenLabs dashboard), for tests that run a workflow
 * without running the set-up workflow first, so that Get Transcript returns opt-out, call-back
 * and the other answers. The agent's own fields stay. Returns the field ids added.
 */
export function giveAgentBundledAnswers(
	sandbox: Sandbox,
	agentId = sandbox.ids.agents.recruitingDe,
): string[] {
	const stored = sandbox.state.agents.get(agentId);
	const settings = stored?.agent.platformSettings;
	if (!settings) throw new Error(`The sandbox has no agent ${agentId}`);
	const fields = { ...(settings.dataCollection ?? {}) };
	const added: string[] = [];
	for (const answer of COLLECTED_ANSWERS) {
		if (fields[answer.id]) continue;
		fields[answer.id] = { type: answer.type, description: answer.description };
		added.push(answer.id);
	}
	settings.dataCollection = fields;
	return added;
}

/** How the conversation began: our call, the candidate's call back, or the browser. */
function started(record: ConversationRecord): string {
	if (!record.phoneCall) return 'opened the interview link, talking in the browser …';
	if (record.phoneCall.direction === 'inbound') return 'calls the agent’s number back …';
	return 'dialling …';
}

const STATUS_WORDS: Record<ConversationStatus, (record: ConversationRecord) => string> = {
	initiated: started,
	'in-progress': (record) =>
		record.callResult === 'voicemail'
			? 'the mailbox answered'
			: record.phoneCall
				? 'answered, screening …'
				: started(record),
	processing: (record) =>
		`${record.phoneCall ? 'call' : 'session'} ended after ${record.callDurationSecs} s, ElevenLabs analyses it …`,
	done: () => 'results ready',
	failed: (record) =>
		record.callResult === 'busy'
			? 'busy'
			: record.callResult === 'no_answer'
				? 'no answer'
				: `the call failed (${record.terminationReason ?? record.callResult ?? 'unknown'})`,
};

/** Prints each call's progress as the sandbox sees it: "Anna Schmidt: dialling …". */
function printCallProgress(sandbox: Sandbox, started: number): () => void {
	return conversationStore(sandbox).onChange((record) => {
		const variables = ((
			record.clientData as { dynamicVariables?: Record<string, unknown> } | undefined
		)?.dynamicVariables ?? {}) as Record<string, unknown>;
		const who = String(
			variables.name ??
				variables.candidate_name ??
				record.phoneCall?.externalNumber ??
				record.conversationId,
		);
		const seconds = ((Date.now() - started) / 1000).toFixed(1).padStart(5);
		write(`  ${seconds} s  ${who.padEnd(16)} ${STATUS_WORDS[record.status](record)}`);
	});
}

/** Runs the demo; the caller disposes of the result. */
export async function runDemo(options: DemoOptions = {}): Promise<DemoRun> {
	const print = options.print ?? true;
	const say = (line = '') => print && write(line);
	const timings: Record<string, number> = {};
	const time = async <T>(name: string, action: () => Promise<T>): Promise<T> => {
		const started = Date.now();
		try {
			return await action();
		} finally {
			timings[name] = Date.now() - started;
		}
	};

	const firstRun = !(await runtimeInstalled());
	if (firstRun) {
		say(
			`First run: installing n8n 2.41.1 and Node 24 into ${runtimeDir()} (once per machine, about 5–10 minutes).`,
		);
	}
	const runtime = await time('runtime', ensureRuntime);
	const tarball = options.tarball ?? (await time('pack', () => packPackage()));

	const outputDir = options.outputDir ?? path.join(REPO_ROOT, 'tmp', 'demo');
	await mkdir(outputDir, { recursive: true });
	const resultsFile = path.join(outputDir, 'demo-results.csv');
	const reportPageFile = path.join(outputDir, 'demo-report.html');
	const reportPdfFile = path.join(outputDir, 'demo-report.pdf');
	for (const file of [resultsFile, reportPageFile, reportPdfFile]) await rm(file, { force: true });

	const sandbox = await startSandbox({
		port: 0,
		clock: { speed: options.clockSpeed ?? DEMO_CLOCK_SPEED },
	});
	let n8n: N8nInstance | undefined;
	const dispose = async () => {
		await n8n?.dispose();
		await sandbox.close();
	};
	let handedOver = false;
	try {
		say(
			`Sandbox (simulated ElevenLabs and Twilio) on ${sandbox.url}, clock ${options.clockSpeed ?? DEMO_CLOCK_SPEED}× faster`,
		);
		n8n = await time('install package', () =>
			N8nInstance.create({
				runtime,
				tarball,
				label: 'demo',
				env: {
					NODE_ENV: 'production',
					// n8n 2.x reads and writes files only inside these folders.
					N8N_RESTRICT_FILE_ACCESS_TO: [path.dirname(DEMO_CANDIDATES_FILE), outputDir].join(';'),
				},
			}),
		);
		const instance = n8n;
		// The port first: the follow-up text links to the interview page on this n8n.
		const port = await freePort();
		const demoWorkflow = demoWorkflowFor(await readWorkflow(DEMO_WORKFLOW_FILE), {
			candidatesFile: DEMO_CANDIDATES_FILE,
			resultsFile,
			reportPageFile,
			reportPdfFile,
			interviewPageUrl: `http://127.0.0.1:${port}/webhook/interview`,
		});
		const callback = await callbackWorkflowFor(
			DEMO_CANDIDATES_FILE,
			demoSetting(demoWorkflow, 'campaign'),
		);
		const interview = await webInterviewWorkflowFor(await readFile(DEMO_CANDIDATES_FILE, 'utf8'));
		const setUp = await setUpAgentWorkflowFor(sandbox);
		// One CLI run per step: each n8n command starts n8n anew (seconds).
		await time('import', async () => {
			await instance.importCredentials(sandbox.n8nCredentials());
			await instance.importWorkflows([demoWorkflow, callback, interview, setUp]);
		});

		say(
			'Publishing the bundled German recruiting set to the sandbox agent (workflows/set-up-agent.json) …',
		);
		const result = await time('publish', () => instance.execute(setUp.id));
		if (result.status !== 'success')
			throw new Error(`The set-up workflow failed: ${result.error?.message ?? result.status}`);
		const publishNode = setUp.nodes.find((node: INode) => node.parameters.operation === 'publish');
		const published = publishNode ? result.json(publishNode.name) : [];
		for (const item of published)
			say(`  agent ${String(item.agentId)}: changed ${JSON.stringify(item.changed ?? [])}`);

		say('');
		say(
			'Publishing the callback workflow (workflows/callback.json) and the web interview (workflows/web-interview.json), starting n8n …',
		);
		const callbackTrigger = callback.nodes.find((node) =>
			node.type.endsWith('.elevenLabsCallbackTrigger'),
		)!;
		await time('start n8n', async () => {
			await instance.publish(callback.id);
			await instance.publish(interview.id);
			await instance.start({
				port,
				webhookPaths: [
					`${callbackTrigger.webhookId}/elevenlabs-conversation-initiation`,
					{ path: 'interview', method: 'GET' },
				],
			});
		});

		say('');
		say('Calling the candidates of workflows/data/demo-candidates.csv …');
		const started = Date.now();
		const stopProgress = print ? printCallProgress(sandbox, started) : () => undefined;
		const browserCandidate = sandbox.scenarios[OPENS_LINK_SCENARIO].number;
		const stopBrowser = new AbortController();
		const browser = candidateOpensLink(sandbox, browserCandidate, stopBrowser.signal).catch(
			(error: unknown) => say(`  the interview link failed: ${String(error)}`),
		);
		let execution: ExecutionResult;
		try {
			execution = await time('run', () =>
				instance.execute(DEMO_WORKFLOW_ID, { timeoutMs: 10 * 60_000 }),
			);
		} finally {
			stopBrowser.abort();
			await browser;
			stopProgress();
		}
		if (execution.status !== 'success') {
			throw new Error(
				`The demo workflow failed in node "${execution.lastNodeExecuted ?? '?'}": ${execution.error?.message ?? execution.status}` +
					(execution.error?.description ? `\n${execution.error.description}` : ''),
			);
		}
		const rows = execution.json('By candidate') as unknown as DemoResultRow[];
		const resultsCsv = await readFile(resultsFile, 'utf8');
		if (print) {
			write('');
			write(resultsTable(rows));
			write('');
			write(REACH_WAYS_EXPLAINED);
			write('');
			const shown = (file: string) => path.relative(process.cwd(), file) || file;
			write(`Results CSV: ${shown(resultsFile)}`);
			write(`Campaign report (page): ${shown(reportPageFile)}`);
			write(`Campaign report (PDF): ${shown(reportPdfFile)}`);
		}
		handedOver = true;
		return {
			sandbox,
			n8n: instance,
			execution,
			rows,
			resultsFile,
			resultsCsv,
			reportPageFile,
			reportPdfFile,
			published,
			timings,
			dispose,
		};
	} finally {
		// On failure nothing is handed to the caller: stop what was started.
		if (!handedOver) await dispose();
	}
}

/** How each way of reach happened in the demo, printed under the table. */
export const REACH_WAYS_EXPLAINED = [
	'Reached via:',
	'  first_call  answered the first call of the campaign',
	'  retry       missed the first call, answered the second round (Place Agent Call, attempt 2)',
	'  callback    missed the call, rang the agent’s number back: the callback workflow found the',
	'              caller in the CSV, the agent greeted them by name, the call ledger recorded it,',
	'              so the second round did not dial them again',
	'  browser     missed both calls, opened the interview link of the follow-up text and talked',
	'              to the agent in the browser',
].join('\n');

/** "yes"/"no" for booleans, "–" for nothing, text otherwise. */
function cell(value: unknown): string {
	if (value === true || value === 'true') return 'yes';
	if (value === false || value === 'false') return 'no';
	if (value === null || value === undefined || value === '') return '–';
	return String(value);
}

/** The results as a fixed-width table. */
export function resultsTable(rows: DemoResultRow[]): string {
	const header = [
		'Candidate',
		'Outcome',
		'Reached',
		'Reached via',
		'Consent',
		'Interest',
		'Availability',
		'Salary',
		'Opt-out',
		'Call-back',
		'Cost',
	];
	const body = rows.map((row) => [
		row.name,
		cell(row.outcome),
		cell(row.reached),
		cell(row.reachedVia),
		cell(row.consent),
		cell(row.interested),
		cell(row.availability),
		cell(row.salary),
		cell(row.optOut),
		cell(row.callback),
		row.cost === '' || row.cost === undefined || row.cost === null ? '–' : `${String(row.cost)} cr`,
	]);
	const widths = header.map((title, column) =>
		Math.max(title.length, ...body.map((line) => line[column].length)),
	);
	const line = (cells: string[]) =>
		cells
			.map((text, column) => text.padEnd(widths[column]))
			.join('  ')
			.trimEnd();
	return [line(header), line(widths.map((width) => '─'.repeat(width))), ...body.map(line)].join(
		'\n',
	);
}

/** `--open`: every example imported into the demo's n8n, the server started, an owner created. */
async function openEditor(run: DemoRun): Promise<{ url: string; client: N8nRestClient }> {
	const others: WorkflowJson[] = [];
	for (const file of await exampleWorkflowFiles()) {
		const workflow = await readWorkflow(file);
		if (workflow.id === DEMO_WORKFLOW_ID) continue;
		// These were imported already, pointed at the sandbox and the demo's CSV, when it ran.
		if ([SET_UP_AGENT_FILE, CALLBACK_FILE, WEB_INTERVIEW_FILE].includes(file)) continue;
		others.push(workflow);
	}
	// The CLI writes into the database of the running n8n; the editor reads them from there.
	if (others.length) await run.n8n.importWorkflows(others);
	const client = await run.n8n.setupOwner(DEMO_OWNER);
	return { url: run.n8n.baseUrl!, client };
}

async function main(): Promise<void> {
	const args = process.argv.slice(2);
	const open = args.includes('--open');
	const unknown = args.filter((arg) => arg !== '--open');
	if (unknown.length)
		throw new Error(`Unknown option ${unknown.join(' ')} (npm run demo [-- --open])`);
	const started = Date.now();
	write(
		'n8n-nodes-voice-recruiting demo: an AI phone-screen campaign in a real n8n, against a local sandbox',
	);
	const run = await runDemo();
	write(
		`Done in ${formatDuration(Date.now() - started)} (${Object.entries(run.timings)
			.map(([step, ms]) => `${step} ${formatDuration(ms)}`)
			.join(', ')}).`,
	);
	if (!open) {
		await run.dispose();
		write('Run "npm run demo -- --open" to look at it in the n8n editor.');
		return;
	}
	const { url } = await openEditor(run);
	write('');
	write(`n8n is running with every example workflow: ${url}/workflow/${DEMO_WORKFLOW_ID}`);
	write(`Log in as ${DEMO_OWNER.email} with the password ${DEMO_OWNER.password}`);
	write(
		'The sandbox credentials are set up. "Execute workflow" runs the campaign again: the call ledger holds back everyone it called (already_called, attempts_exhausted).',
	);
	write('Press Ctrl-C to stop n8n and the sandbox.');
	await new Promise<void>((resolve) => {
		process.once('SIGINT', resolve);
		process.once('SIGTERM', resolve);
	});
	write('Stopping …');
	await run.dispose();
}

if (require.main === module) {
	main().catch((error: unknown) => {
		process.stderr.write(
			`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
		);
		process.exit(1);
	});
}
