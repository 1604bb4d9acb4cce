/**
 * `npm run demo` as a test (the result row holds text: the CSV's cells): the demo workflow
 * (workflows/demo-campaign.json) in a real n8n 2.41.1 against the sandbox, nine candidates from
 * workflows/data/demo-candidates.csv, one per outcome, in two rounds of calls, with the callback
 * and web-interview examples published. Asserts what was dialled (each attempt once), how each
 * person was reached (first call, retry, callback, browser), each candidate's row of the results,
 * and the CSV written.
 */
import { readFile } from 'node:fs/promises';

import { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import type { IDataObject } from 'n8n-workflow';

import type { DemoRun } from '../../scripts/demo';
import { resultsTable, runDemo } from '../../scripts/demo';
import { conversationStore } from '../../sandbox/conversations';
import { pdfText } from '../../scripts/pdfTools';
import { TARBALL_ENV } from './helpers';

let run: DemoRun;

beforeAll(async () => {
	run = await runDemo({ tarball: process.env[TARBALL_ENV], print: false });
}, 10 * 60_000);

afterAll(async () => {
	await run?.dispose();
});

const row = (name: string) => {
	const found = run.rows.find((candidate) => candidate.name === name);
	if (!found) throw new Error(`No result row for ${name}`);
	return found;
};

describe('npm run demo', () => {
	it('runs the demo workflow to the end in n8n', () => {
		expect(run.execution.status).toBe('success');
		// The results CSV is written first; the campaign report's branches run after it.
		expect(run.execution.lastNodeExecuted).toBe('Write report PDF');
		expect(run.execution.json('Write results file')).toHaveLength(1);
		expect(run.rows).toHaveLength(9);
	});

	it('dials everyone once, and those not reached once more, at the number in E.164 whatever its spelling in the CSV', () => {
		const { scenarios } = run.sandbox;
		const dials = run.sandbox.requests
			.filter('POST', '/v1/convai/twilio/outbound-call')
			.map((request) => {
				const body = request.body as {
					to_number: string;
					conversation_initiation_client_data: { dynamic_variables: IDataObject };
				};
				const attempt = body.conversation_initiation_client_data.dynamic_variables.call_attempt;
				return `${body.to_number} #${String(attempt ?? 1)}`;
			});
		// Nobody is dialled twice on the same attempt.
		expect(new Set(dials).size).toBe(dials.length);
		const first = [
			scenarios.answered,
			scenarios.voicemail,
			scenarios.busy,
			scenarios.noAnswer,
			scenarios.optOut,
			scenarios.consentRefused,
			scenarios.callbackRequested,
			scenarios.answersSecondCall,
			scenarios.callsBack,
		].map((scenario) => `${scenario.number} #1`);
		// The second round: who was not reached; not the candidate who had called back meanwhile.
		const second = [
			scenarios.voicemail,
			scenarios.busy,
			scenarios.noAnswer,
			scenarios.answersSecondCall,
		].map((scenario) => `${scenario.number} #2`);
		expect(dials.sort()).toEqual([...first, ...second].sort());
	});

	it('reaches somebody by each of the four ways, each the candidate meant for it', () => {
		const via = Object.fromEntries(run.rows.map((r) => [r.name, r.reachedVia]));
		expect(via).toEqual({
			'Anna Schmidt': 'first_call',
			'Jonas Becker': '',
			'Mehmet Yılmaz': '',
			'Sophie Wagner': 'browser',
			'Lukas Hoffmann': 'first_call',
			'Elif Demir': 'first_call',
			'Marie Keller': 'first_call',
			'Tim Richter': 'retry',
			'Clara Neumann': 'callback',
		});
	});

	it('retry: the second round’s call is the one that reached Tim Richter', () => {
		const tim = row('Tim Richter');
		expect(tim).toMatchObject({ outcome: 'answered', reached: 'yes', consent: 'true' });
		const reached = conversationStore(run.sandbox).get(tim.conversationId);
		expect(reached?.clientData).toMatchObject({ dynamicVariables: { call_attempt: 2 } });
	});

	it('callback: Clara Neumann called back, was greeted by name by the callback workflow, and was not dialled again', async () => {
		const clara = row('Clara Neumann');
		expect(clara).toMatchObject({ outcome: 'answered', reached: 'yes' });
		const conversation = await new ElevenLabsClient({
			apiKey: run.sandbox.apiKey,
			baseUrl: run.sandbox.url,
		}).conversationalAi.conversations.get(clara.conversationId);
		expect(conversation.metadata.phoneCall).toMatchObject({
			direction: 'inbound',
			externalNumber: run.sandbox.scenarios.callsBack.number,
		});
		const greeting = conversation.transcript[0]?.message ?? '';
		expect(greeting).toContain('Sie hatten einen Anruf von uns');
		expect(greeting).toContain('Clara Neumann');
		// The call ledger knew of the callback: the second round held her back.
		expect(run.execution.json('Call again')).toContainEqual(
			expect.objectContaining({ candidateId: 'D-1009', status: 'already_called' }),
		);
	});

	it('browser: Sophie Wagner opened the link of the follow-up text and talked in the browser', () => {
		const texts = run.execution.json('Follow-up SMS: browser link');
		expect(texts.map((text) => text.candidateId).sort()).toEqual(['D-1002', 'D-1003', 'D-1004']);
		const sophie = row('Sophie Wagner');
		expect(sophie).toMatchObject({ outcome: 'answered', reached: 'yes' });
		const conversation = conversationStore(run.sandbox).get(sophie.conversationId);
		expect(conversation?.phoneCall).toBeUndefined();
		expect(conversation?.clientData).toMatchObject({
			dynamicVariables: { candidate_name: 'Sophie Wagner' },
		});
	});

	it('sends each candidate’s own prompt (Build Recruiting Prompt) with the call', () => {
		const calls = run.sandbox.requests.filter('POST', '/v1/convai/twilio/outbound-call');
		for (const call of calls) {
			const body = call.body as {
				conversation_initiation_client_data: {
					conversation_config_override: {
						agent: { first_message: string; prompt: { prompt: string } };
					};
					dynamic_variables: Record<string, string>;
				};
			};
			const { dynamic_variables: variables, conversation_config_override: override } =
				body.conversation_initiation_client_data;
			expect(override.agent.first_message).toContain(variables.name);
			expect(override.agent.prompt.prompt).toContain(`⟦${variables.name}⟧`);
			expect(variables.candidateId).toMatch(/^D-10\d\d$/);
		}
	});

	it('reports the cooperative candidate with every answer', () => {
		expect(row('Anna Schmidt')).toMatchObject({
			outcome: 'answered',
			reached: 'yes',
			reachedVia: 'first_call',
			consent: 'true',
			interested: 'true',
			availability: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
			salary: '52000',
			optOut: 'false',
			callback: 'false',
			durationSecs: '184',
			cost: expect.stringMatching(/^\d+$/),
		});
		expect(row('Anna Schmidt').summary).toContain('hat der Aufzeichnung zugestimmt');
	});

	it('reports the calls that reached nobody, with the last call’s outcome', () => {
		expect(row('Jonas Becker')).toMatchObject({
			outcome: 'voicemail',
			reached: 'no',
			reachedVia: '',
			consent: '',
		});
		expect(row('Mehmet Yılmaz')).toMatchObject({
			outcome: 'busy',
			reached: 'no',
			durationSecs: '0',
		});
	});

	it('reports the opt-out, the refused consent and the call-back request', () => {
		expect(row('Lukas Hoffmann')).toMatchObject({
			outcome: 'answered',
			reached: 'yes',
			optOut: 'true',
			interested: 'false',
		});
		expect(row('Elif Demir')).toMatchObject({
			outcome: 'answered',
			reached: 'yes',
			consent: 'false',
		});
		expect(row('Marie Keller')).toMatchObject({
			outcome: 'answered',
			reached: 'yes',
			callback: 'morgen ab 17 Uhr',
			optOut: 'false',
		});
	});

	it('writes the results CSV and prints the table', () => {
		const lines = run.resultsCsv
			.replace(/^\uFEFF/, '')
			.trim()
			.split('\n');
		expect(lines[0]).toBe(
			'candidateId,name,phone,outcome,reached,reachedVia,consent,interested,availability,salary,optOut,callback,durationSecs,cost,summary,calledAt,conversationId',
		);
		expect(lines).toHaveLength(10);
		for (const way of ['first_call', 'retry', 'callback', 'browser'])
			expect(lines.some((line) => line.includes(`,yes,${way},`))).toBe(true);
		expect(lines.find((line) => line.startsWith('D-1005,'))).toMatch(
			/^D-1005,Lukas Hoffmann,\+4915112345606,answered,yes,first_call,/,
		);
		const table = resultsTable(run.rows).split('\n');
		expect(table[0]).toMatch(
			/^Candidate\s+Outcome\s+Reached\s+Reached via\s+Consent\s+Interest\s+Availability\s+Salary\s+Opt-out\s+Call-back\s+Cost$/,
		);
		expect(table.find((line) => line.startsWith('Lukas Hoffmann'))).toMatch(
			/answered\s+yes\s+first_call\s+–\s+no\s+–\s+–\s+yes\s+/,
		);
	});

	it('writes the campaign report of the run as a page and a PDF', async () => {
		const page = await readFile(run.reportPageFile, 'utf8');
		expect(page).toContain('<title>Demo: Pflegefachkraft (m/w/d)</title>');
		expect(page).toContain('Mehmet Yılmaz');
		const text = await pdfText(await readFile(run.reportPdfFile));
		// Nine candidates, all dialled, seven reached (four first calls, a retry, a callback, the
		// browser), three completed screens (the cooperative ones on the phone).
		expect(text).toMatch(/Kandidat:innen\s+9 · 100 %/);
		expect(text).toMatch(/erreicht\s+7 · 78 %/);
		expect(text).toMatch(/Vorgespräch abgeschlossen\s+3 · 33 %/);
		expect(text).toMatch(/Wiederholung\s+1/);
		expect(text).toMatch(/Rückruf\s+1/);
		expect(text).toMatch(/Browser\s+1/);
		expect(text).toContain('Marie Keller: morgen ab 17 Uhr');
	});
});
