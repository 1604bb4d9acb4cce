/**
 * `npm run demo` as a test (the result row holds text: the CSV's cells): the demo workflow (workflows/demo-campaign.json) in a real n8n
 * 2.41.1 against the sandbox, seven candidates from workflows/data/demo-candidates.csv, one per
 * outcome. Asserts what was dialled, each candidate's row of the results, and the CSV written.
 */
import { readFile } from 'node:fs/promises';

import type { DemoRun } from '../../scripts/demo';
import { resultsTable, runDemo } from '../../scripts/demo';
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
		expect(run.rows).toHaveLength(7);
	});

	it('dials each candidate once, at the number in E.164 whatever its spelling in the CSV', () => {
		const dialled = run.sandbox.requests
			.filter('POST', '/v1/convai/twilio/outbound-call')
			.map((request) => (request.body as { to_number: string }).to_number)
			.sort();
		expect(dialled).toEqual(
			[
				run.sandbox.scenarios.answered.number,
				run.sandbox.scenarios.voicemail.number,
				run.sandbox.scenarios.busy.number,
				run.sandbox.scenarios.noAnswer.number,
				run.sandbox.scenarios.optOut.number,
				run.sandbox.scenarios.consentRefused.number,
				run.sandbox.scenarios.callbackRequested.number,
			].sort(),
		);
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

	it('reports the calls that reached nobody', () => {
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
		expect(row('Sophie Wagner')).toMatchObject({
			outcome: 'no_answer',
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
		expect(lines).toHaveLength(8);
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
		// Seven candidates, all dialled, four reached (answered), one completed screen.
		expect(text).toMatch(/Kandidat:innen\s+7 · 100 %/);
		expect(text).toMatch(/erreicht\s+4 · 57 %/);
		expect(text).toMatch(/Vorgespräch abgeschlossen\s+1 · 14 %/);
		expect(text).toContain('Marie Keller: morgen ab 17 Uhr');
	});
});
