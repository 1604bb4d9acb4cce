/**
 * The example workflows run in a real n8n 2.41.1 (`n8n start` and `n8n execute`) against the
 * sandbox, with the package installed as a community package:
 *
 * - n8n Form (workflows/form-screen-call.json): published; a candidate submits the form over
 *   HTTP, confirms the number through the link in the text the sandbox's Twilio received, is
 *   called, and the recruiter's e-mail arrives at a local SMTP server;
 * - Google Sheets: new row → call (sheets-new-candidate.json), with the sheet trigger swapped
 *   for rows as test data and the sheet update for an Edit Fields node with the same column
 *   expressions; its calls end in the sandbox, whose signed post-call webhooks start
 * - the post-call workflow (sheets-call-results.json), published with its real ElevenLabs Agents
 *   Trigger and Get Transcript; its sheet lookup is test data, its update captured;
 * - Typeform → confirmation text → call → mail (typeform-screen-call.json), the Typeform trigger
 *   swapped for answers;
 * - the scheduled campaign (scheduled-campaign.json), schedule and sheet swapped, in both modes
 *   (single calls and an ElevenLabs batch campaign).
 *
 * Changes in the test copies besides the swaps: the calling window is off (the suite runs at any
 * hour), and the scheduled campaign's pacing is off (pacing has its own engine tests).
 * Calls end as soon as they are placed (the sandbox settles them), rather than on a fast sandbox
 * clock: the post-call webhooks are signed with the sandbox's time, which a fast clock would put
 * in the future, and the trigger rightly refuses those.
 * The sandbox agent has the answer fields of the bundled prompts, as Build Recruiting Prompt →
 * Publish sets them up.
 */
import type { IDataObject } from 'n8n-workflow';

import { startSandbox } from '../../sandbox';
import { conversationStore } from '../../sandbox/conversations';
import { sandboxMessages } from '../../sandbox/routes/twilioMessages';
import type { Sandbox } from '../../sandbox';
import { giveAgentBundledAnswers } from '../../scripts/demo';
import { N8nInstance } from '../../scripts/n8n';
import type { WorkflowJson } from '../../scripts/n8n';
import { idempotencyKey } from '../../nodes/AgentCall/helpers/idempotency';
import { TARBALL_ENV } from './helpers';
import {
	captureAfter,
	JsonCapture,
	loadExample,
	nodeOf,
	patchParameters,
	sheetReadAsTestData,
	sheetUpdateAsSet,
	SmtpCapture,
	testCopy,
	triggerAsTestData,
} from './workflowsShared';

const OUTBOUND = '/v1/convai/twilio/outbound-call';
const RECRUITER = 'recruiting@example.de';
const CONSENT =
	'Ja, eine KI-Assistenz darf mich für ein Vorgespräch anrufen. Mir ist bekannt, dass das Gespräch aufgezeichnet wird.';

let sandbox: Sandbox;
let n8n: N8nInstance;
let baseUrl: string;
let smtp: SmtpCapture;
let capture: JsonCapture;
let settler: NodeJS.Timeout;

const ids = {
	form: 'vrFormScreenCall',
	results: 'tResults',
	sheets: 'tSheetsNew',
	typeform: 'tTypeform',
	scheduled: 'tScheduled',
	batch: 'tScheduledBatch',
};

/** The candidate sheet as the post-call workflow finds it (attempts before the call). */
const SHEET_ROWS = [
	{
		candidateId: 'C-1',
		name: 'Anna Schmidt',
		phone: '0171 1234 5601',
		status: 'initiated',
		attempts: '',
	},
	{
		candidateId: 'C-2',
		name: 'Lukas Hoffmann',
		phone: '0151 1234 5606',
		status: 'initiated',
		attempts: '1',
	},
	{
		candidateId: 'C-3',
		name: 'Mehmet Yılmaz',
		phone: '0171 1234 5603',
		status: 'initiated',
		attempts: '0',
	},
];

/** New rows for "call each new candidate": three ready, four that must not be called. */
const NEW_ROWS = [
	{ ...SHEET_ROWS[0], status: '', callConsent: 'ja' },
	{ ...SHEET_ROWS[1], status: 'pending', callConsent: 'TRUE', attempts: '' },
	{ ...SHEET_ROWS[2], status: '', callConsent: 'yes' },
	{
		candidateId: 'C-4',
		name: 'Ohne Einwilligung',
		phone: '0171 5550004',
		callConsent: '',
		status: '',
	},
	{
		candidateId: 'C-5',
		name: 'Gesperrt',
		phone: '0171 5550005',
		callConsent: 'ja',
		doNotCall: 'TRUE',
		status: '',
	},
	{
		candidateId: 'C-6',
		name: 'Schon fertig',
		phone: '0171 5550006',
		callConsent: 'ja',
		status: 'screened',
	},
	{ candidateId: 'C-7', name: 'Falsche Nummer', phone: '12345', callConsent: 'ja', status: '' },
].map((row) => ({
	email: 'x@example.de',
	jobTitle: 'Pflegefachkraft (m/w/d)',
	company: 'Muster Klinikum GmbH',
	recruiterName: 'Lena Weber',
	...row,
}));

const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();

/** The sheet of the scheduled campaign: which rows are due, and why not. */
const CAMPAIGN_ROWS = [
	{ candidateId: 'S-1', phone: '0171 5551001', status: 'pending' },
	{
		candidateId: 'S-2',
		phone: '0171 5551002',
		status: 'no_answer',
		attempts: '1',
		lastCallAt: hoursAgo(5),
	},
	{
		candidateId: 'S-3',
		phone: '0171 5551003',
		status: 'busy',
		attempts: '1',
		lastCallAt: hoursAgo(1),
	},
	{
		candidateId: 'S-4',
		phone: '0171 5551004',
		status: 'no_answer',
		attempts: '3',
		lastCallAt: hoursAgo(30),
	},
	{ candidateId: 'S-5', phone: '0171 5551005', status: 'screened', attempts: '1' },
	{ candidateId: 'S-6', phone: '0171 5551006', status: 'pending', doNotCall: 'TRUE' },
	{
		candidateId: 'S-7',
		phone: '0171 5551007',
		status: 'callback',
		attempts: '1',
		callbackTime: hoursAgo(1),
	},
	{ candidateId: 'S-8', phone: '0171 5551008', status: '', callConsent: '' },
	{ candidateId: 'S-9', phone: '0171 5551009', status: 'outside_window', nextCallAt: hoursAgo(2) },
	{ candidateId: 'S-10', phone: '', status: 'pending' },
].map((row) => ({
	name: `Kandidat ${row.candidateId}`,
	email: 'x@example.de',
	jobTitle: 'Lagerist (m/w/d)',
	company: 'Muster Logistik GmbH',
	recruiterName: 'Jonas Weber',
	callConsent: 'ja',
	attempts: '',
	lastCallAt: '',
	...row,
}));
const DUE = ['S-1', 'S-2', 'S-7', 'S-9'];
/** Not reached in all attempts: the follow-up text with the browser link. */
const FOLLOW_UP = 'S-4';

function formCopy(): WorkflowJson {
	const workflow = structuredClone(loadExample('form-screen-call'));
	patchParameters(workflow, 'Confirm number by SMS', { useCallingWindow: false });
	patchParameters(workflow, 'Place Agent Call', { useCallingWindow: false });
	return workflow;
}

function resultsCopy(): WorkflowJson {
	const workflow = testCopy(loadExample('sheets-call-results'), ids.results);
	sheetReadAsTestData(workflow, 'Find candidate row', SHEET_ROWS);
	sheetUpdateAsSet(workflow, 'Update row');
	captureAfter(workflow, 'Update row', `${capture.url}/rows`);
	return workflow;
}

function sheetsCopy(): WorkflowJson {
	const workflow = testCopy(loadExample('sheets-new-candidate'), ids.sheets);
	triggerAsTestData(workflow, 'New candidate row', NEW_ROWS);
	patchParameters(workflow, 'Place Agent Call', { useCallingWindow: false });
	sheetUpdateAsSet(workflow, 'Update row');
	return workflow;
}

const TYPEFORM_ANSWERS = {
	'Wie heißen Sie? (Vor- und Nachname)': 'Marie Keller',
	'Ihre E-Mail-Adresse': 'marie.keller@example.de',
	'Unter welcher Telefonnummer erreichen wir Sie?': '+4915112345608',
	'Für welche Stelle bewerben Sie sich?': 'Pflegefachkraft (m/w/d)',
	'Dürfen wir Sie für ein kurzes Vorgespräch mit unserer KI-Assistenz anrufen? Das Gespräch wird aufgezeichnet.': true,
};

function typeformCopy(): WorkflowJson {
	const workflow = testCopy(loadExample('typeform-screen-call'), ids.typeform);
	triggerAsTestData(workflow, 'New application', [
		TYPEFORM_ANSWERS,
		{
			...TYPEFORM_ANSWERS,
			'Wie heißen Sie? (Vor- und Nachname)': 'Ohne Einwilligung',
			'Dürfen wir Sie für ein kurzes Vorgespräch mit unserer KI-Assistenz anrufen? Das Gespräch wird aufgezeichnet.': false,
		},
	]);
	patchParameters(workflow, 'Confirm number by SMS', { useCallingWindow: false });
	patchParameters(workflow, 'Place Agent Call', { useCallingWindow: false });
	return workflow;
}

function scheduledCopy(id: string, mode: 'single' | 'batch'): WorkflowJson {
	const workflow = testCopy(loadExample('scheduled-campaign'), id);
	const schedule = nodeOf(workflow, 'Weekday mornings');
	schedule.type = 'n8n-nodes-base.manualTrigger';
	schedule.typeVersion = 1;
	schedule.parameters = {};
	const settings = nodeOf(workflow, 'Campaign settings').parameters.assignments as {
		assignments: Array<{ name: string; value: unknown }>;
	};
	for (const assignment of settings.assignments) {
		if (assignment.name === 'mode') assignment.value = mode;
		if (assignment.name === 'campaign') assignment.value = `${mode}-screening`;
	}
	sheetReadAsTestData(workflow, 'Read candidates', CAMPAIGN_ROWS);
	patchParameters(workflow, 'Place Agent Call', {
		useCallingWindow: false,
		options: { callsPerMinute: 0 },
	});
	patchParameters(workflow, 'Submit batch campaign', { useCallingWindow: false });
	patchParameters(workflow, 'Announce the call by SMS', { useCallingWindow: false });
	patchParameters(workflow, 'Follow-up SMS: browser link', { useCallingWindow: false });
	sheetUpdateAsSet(workflow, 'Update row');
	sheetUpdateAsSet(workflow, 'Update rows (batch)');
	sheetUpdateAsSet(workflow, 'Update row (follow-up)');
	return workflow;
}

/** What the sandbox sent to n8n and what n8n logged, for a failure message. */
function diagnosis(): string {
	const deliveries = sandbox.webhooks
		.deliveries()
		.map((delivery) => `${delivery.type} → ${delivery.status ?? delivery.error ?? '?'}`)
		.join(', ');
	return `webhook deliveries: ${deliveries || 'none'}\nn8n log:\n${n8n.serverLog.split('\n').slice(-40).join('\n')}`;
}

const dialled = () =>
	sandbox.requests
		.filter('POST', OUTBOUND)
		.map((request) => (request.body as { to_number: string }).to_number);

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
	settler = setInterval(() => conversationStore(sandbox).settleAll(), 250);
	giveAgentBundledAnswers(sandbox);
	capture = await new JsonCapture().start();
	// Jest sets NODE_ENV=test, with which `n8n start` exits at once; n8n runs as in production.
	n8n = await N8nInstance.create({
		tarball: process.env[TARBALL_ENV],
		label: 'example runs',
		env: { NODE_ENV: 'production' },
	});
	smtp = await new SmtpCapture(n8n.runtime).start();
	await n8n.importCredentials([
		...sandbox.n8nCredentials(),
		{ id: 'smtpAccount', name: 'SMTP account', type: 'smtp', data: smtp.credentialData() },
	]);
	await n8n.importWorkflows([
		formCopy(),
		resultsCopy(),
		sheetsCopy(),
		typeformCopy(),
		scheduledCopy(ids.scheduled, 'single'),
		scheduledCopy(ids.batch, 'batch'),
	]);
	await n8n.publish(ids.form);
	await n8n.publish(ids.results);
	const trigger = nodeOf(loadExample('sheets-call-results'), 'Call finished');
	const hookPath = `${trigger.webhookId}/elevenlabs-post-call`;
	baseUrl = await n8n.start({ webhookPaths: [hookPath, { path: 'bewerbung', method: 'POST' }] });
	sandbox.setWebhook({
		url: `${baseUrl}/webhook/${hookPath}`,
		events: ['transcript', 'call_initiation_failure'],
	});
}, 10 * 60_000);

afterAll(async () => {
	clearInterval(settler);
	await n8n?.dispose();
	await sandbox?.close();
	await smtp?.close();
	await capture?.close();
});

/** Submits the n8n form as a browser does (multipart, one field per form field). */
async function submitForm(fields: {
	name: string;
	email: string;
	phone: string;
	jobTitle: string;
	consent: boolean;
}) {
	const form = new FormData();
	form.append('field-0', fields.name);
	form.append('field-1', fields.email);
	form.append('field-2', fields.phone);
	form.append('field-3', fields.jobTitle);
	form.append('field-4', JSON.stringify(fields.consent ? [CONSENT] : []));
	return await fetch(`${baseUrl}/form/bewerbung`, { method: 'POST', body: form });
}

/** Every text the sandbox's Twilio took for `e164`, oldest first. */
const textsTo = (e164: string) =>
	[...sandboxMessages(sandbox).values()].filter(
		(message) => message.direction === 'outbound-api' && message.to === e164,
	);

/** The last text the sandbox's Twilio took for `e164`. */
async function lastText(e164: string): Promise<string> {
	const deadline = Date.now() + 60_000;
	for (;;) {
		const texts = [...sandboxMessages(sandbox).values()].filter(
			(message) => message.direction === 'outbound-api' && message.to === e164,
		);
		if (texts.length > 0) return texts.at(-1)!.body;
		if (Date.now() > deadline) throw new Error(`no text to ${e164}\n${diagnosis()}`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

/** The code in the n8n Form's confirmation text. */
async function confirmationCode(e164: string): Promise<string> {
	const text = await lastText(e164);
	expect(text).toMatch(
		/^Muster Klinikum GmbH: Ihr Code zur Bestätigung Ihrer Telefonnummer: \d{6}\./,
	);
	return /(\d{6})/.exec(text)![1];
}

/**
 * The link in the Typeform example's confirmation text. `n8n execute` ran that workflow in its
 * own process, whose URL base is not the server's; the server resumes the execution.
 */
async function confirmationLink(e164: string): Promise<URL> {
	const link = new URL(/(https?:\/\/\S+)/.exec(await lastText(e164))![1]);
	return new URL(`${link.pathname}${link.search}`, baseUrl);
}

/** Sends a form page as a browser does (multipart, one field per form field). */
async function sendFormPage(url: URL | string, ...fields: string[]): Promise<Response> {
	const form = new FormData();
	fields.forEach((value, index) => form.append(`field-${index}`, value));
	return await fetch(url, { method: 'POST', body: form, signal: AbortSignal.timeout(30_000) });
}

/** Opens the Typeform example's link as the candidate does and ticks the confirmation. */
async function confirmNumber(link: URL): Promise<void> {
	const page = await fetch(link);
	expect(page.status).toBe(200);
	const html = await page.text();
	expect(html).toContain('Telefonnummer bestätigen');
	expect(html).toContain('Muster Klinikum GmbH');
	const answer = await sendFormPage(
		link,
		JSON.stringify(['Ja, ich habe mich beworben. Bitte rufen Sie mich unter dieser Nummer an.']),
	);
	expect(answer.status).toBe(200);
}

/** Applies through the n8n form and returns the page the browser goes on to (the code page). */
async function apply(fields: Parameters<typeof submitForm>[0]): Promise<string> {
	const response = await submitForm(fields);
	expect(response.status).toBe(200);
	const { formWaitingUrl } = (await response.json()) as { formWaitingUrl?: string };
	expect(formWaitingUrl).toMatch(/\/form-waiting\/\d+\?signature=[0-9a-f]{64}$/);
	return formWaitingUrl!;
}

describe('n8n Form: application → number confirmed by SMS → phone screen → mail to the recruiter', () => {
	it('serves the application form', async () => {
		const response = await fetch(`${baseUrl}/form/bewerbung`);
		expect(response.status).toBe(200);
		const html = await response.text();
		expect(html).toContain('Bewerbung: Pflegefachkraft (m/w/d)');
		expect(html).toContain('Telefonnummer');
		// Shown by the form page once the submission is accepted.
		expect(html).toContain('Vielen Dank für Ihre Bewerbung!');
	});

	it('texts a code, calls only once the applicant entered it, and mails the answers, summary and transcript to the recruiter', async () => {
		const before = dialled().length;
		const codePage = await apply({
			name: 'Anna Schmidt',
			email: 'anna.schmidt@example.de',
			phone: '0171 1234 5601',
			jobTitle: 'Pflegefachkraft (m/w/d)',
			consent: true,
		});
		const code = await confirmationCode(sandbox.scenarios.answered.number);
		const page = await (await fetch(codePage, { signal: AbortSignal.timeout(30_000) })).text();
		expect(page).toContain('Telefonnummer bestätigen');
		expect(page).not.toContain(code);
		// The page is the execution's own signed URL: without the signature it is refused.
		const unsigned = await fetch(codePage.replace(/\?.*$/, ''), {
			signal: AbortSignal.timeout(30_000),
		});
		expect(unsigned.status).not.toBe(200);
		expect(dialled().length).toBe(before);
		expect((await sendFormPage(codePage, ` ${code} `)).status).toBe(200);

		const mail = await smtp
			.waitFor((candidate) => candidate.subject.includes('Anna Schmidt'))
			.catch((error: Error) => {
				throw new Error(`${error.message}\n${diagnosis()}`);
			});
		expect(mail.to).toEqual([RECRUITER]);
		expect(mail).toMatchObject({ subject: 'Vorgespräch Anna Schmidt: erreicht' });
		expect(mail.text).toContain('Telefon-Vorgespräch mit Anna Schmidt (Pflegefachkraft (m/w/d))');
		expect(mail.text).toContain('Erreicht: ja');
		expect(mail.text).toContain('Einwilligung (KI und Aufnahme): true');
		expect(mail.text).toContain('Weiter interessiert: true');
		expect(mail.text).toContain('Gehaltsvorstellung: 52000');
		expect(mail.text).toContain('hat der Aufzeichnung zugestimmt');
		expect(mail.text).toMatch(/Gesprächsverlauf:\nAgent: Guten Tag, hier spricht Lena/);
		expect(dialled().slice(before)).toEqual([sandbox.scenarios.answered.number]);
	});

	it('never calls a number whose code was not entered, and texts it at most once a day', async () => {
		const before = dialled().length;
		const someoneElse = {
			name: 'Jemand Anderes',
			email: 'fremd@example.de',
			phone: '0151 1234 5607',
			jobTitle: 'Pflegefachkraft (m/w/d)',
			consent: true,
		};
		const codePage = await apply(someoneElse);
		const code = await confirmationCode(sandbox.scenarios.consentRefused.number);
		const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
		expect((await sendFormPage(codePage, wrong)).status).toBe(200);
		const refused = await smtp.waitFor((candidate) => candidate.subject.includes('Jemand Anderes'));
		expect(refused.subject).toBe('Vorgespräch Jemand Anderes: nicht angerufen');
		expect(refused.text).toContain('Status: wrong_code');
		// A second application with the same number the same day: no second text, and the
		// recruiter learns why.
		await submitForm({ ...someoneElse, name: 'Noch Einmal' });
		const again = await smtp.waitFor((candidate) => candidate.subject.includes('Noch Einmal'));
		expect(again.subject).toBe('Vorgespräch Noch Einmal: nicht angerufen');
		expect(again.text).toContain('Status: already_sent');
		const texts = [...sandboxMessages(sandbox).values()].filter(
			(message) => message.to === sandbox.scenarios.consentRefused.number,
		);
		expect(texts).toHaveLength(1);
		expect(dialled().length).toBe(before);
	});

	it('mails "not called" with the reason when the number cannot be called, and dials nobody', async () => {
		const before = dialled().length;
		const response = await submitForm({
			name: 'Ben Falsch',
			email: 'ben@example.de',
			phone: '12345',
			jobTitle: 'Pflegefachkraft (m/w/d)',
			consent: true,
		});
		expect(response.status).toBe(200);
		const mail = await smtp.waitFor((candidate) => candidate.subject.includes('Ben Falsch'));
		expect(mail.subject).toBe('Vorgespräch Ben Falsch: nicht angerufen');
		expect(mail.text).toContain('Status: error');
		expect(mail.text).toMatch(/"12345" is not a valid phone number/);
		expect(dialled().length).toBe(before);
	});
});

describe('Google Sheets: new rows are called, and the results come back through the post-call trigger', () => {
	let firstRun: IDataObject[];

	it('calls only the rows that are ready and writes status, conversation id and idempotency key', async () => {
		const before = dialled().length;
		const result = await n8n.execute(ids.sheets);
		expect(result.error).toBeUndefined();
		firstRun = result.json('Update row');
		const byId = Object.fromEntries(firstRun.map((row) => [row.candidateId, row]));
		expect(Object.keys(byId).sort()).toEqual(['C-1', 'C-2', 'C-3', 'C-7']);
		for (const id of ['C-1', 'C-2', 'C-3']) {
			expect(byId[id]).toMatchObject({
				status: 'initiated',
				conversationId: expect.stringMatching(/^conv_/),
				idempotencyKey: idempotencyKey({
					campaign: 'bewerber-screening',
					candidateId: id,
					e164: '',
				}),
				lastCallAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
				error: '',
			});
		}
		expect(byId['C-7']).toMatchObject({
			status: 'error',
			conversationId: '',
			error: expect.stringContaining('"12345" is not a valid phone number'),
		});
		expect(dialled().slice(before).sort()).toEqual(
			[
				sandbox.scenarios.answered.number,
				sandbox.scenarios.optOut.number,
				sandbox.scenarios.busy.number,
			].sort(),
		);
	});

	it('writes each call’s outcome, answers and attempts to the candidate’s row; the opt-out is marked never to call', async () => {
		const anna = await capture
			.waitFor('rows', (row) => row.candidateId === 'C-1')
			.catch((error: Error) => {
				throw new Error(`${error.message}\n${diagnosis()}`);
			});
		expect(anna).toMatchObject({
			status: 'screened',
			attempts: 1,
			callResult: 'answered',
			reachedVia: 'first_call',
			consentGiven: 'true',
			stillInterested: 'true',
			earliestStart: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
			salaryExpectation: '52000',
			doNotCall: false,
			durationSecs: 184,
			conversationId: firstRun.find((row) => row.candidateId === 'C-1')!.conversationId,
		});
		expect(String(anna.summary)).toContain('Anna Schmidt hat der Aufzeichnung zugestimmt');

		const lukas = await capture.waitFor('rows', (row) => row.candidateId === 'C-2');
		expect(lukas).toMatchObject({
			status: 'opted_out',
			doNotCall: true,
			attempts: 2,
			callResult: 'answered',
		});

		// Busy: ElevenLabs' call_initiation_failure carries no candidate data; the workflow reads it
		// from the conversation (Get Transcript) and still finds the row.
		const mehmet = await capture.waitFor('rows', (row) => row.candidateId === 'C-3');
		expect(mehmet).toMatchObject({
			status: 'busy',
			attempts: 1,
			callResult: 'busy',
			reachedVia: '',
			durationSecs: 0,
		});
		expect(
			capture.all('rows').filter((row) => ['C-1', 'C-2', 'C-3'].includes(String(row.candidateId))),
		).toHaveLength(3);
	});

	it('dials nobody twice when the same rows come again', async () => {
		const before = dialled().length;
		const result = await n8n.execute(ids.sheets);
		const rows = result.json('Update row');
		// The screened candidate is done; the one who opted out is on the do-not-call list (the
		// results workflow put them there); the busy one waits out the pause of the attempt budget.
		expect(rows.filter((row) => row.candidateId !== 'C-7').map((row) => row.status)).toEqual([
			'already_called',
			'do_not_call',
			'too_soon',
		]);
		expect(dialled().length).toBe(before);
	});
});

describe('Typeform: application → number confirmed by SMS → phone screen → mail to the recruiter', () => {
	it('calls the applicant who agreed once the number is confirmed, mails the call-back request, and leaves out the one who did not agree', async () => {
		const before = dialled().length;
		const result = await n8n.execute(ids.typeform);
		expect(result.error).toBeUndefined();
		expect(result.json('Candidate').map((candidate) => candidate.name)).toEqual(['Marie Keller']);
		const link = await confirmationLink(sandbox.scenarios.callbackRequested.number);
		expect(dialled().length).toBe(before);
		await confirmNumber(link);
		const mail = await smtp.waitFor((candidate) => candidate.subject.includes('Marie Keller'));
		expect(mail).toMatchObject({ subject: 'Vorgespräch Marie Keller: erreicht' });
		expect(mail.text).toContain('Rückruf gewünscht: morgen ab 17 Uhr');
		expect(mail.text).toContain('Keine weiteren Anrufe: false');
		expect(dialled().slice(before)).toEqual([sandbox.scenarios.callbackRequested.number]);
		expect(smtp.mails.some((candidate) => candidate.subject.includes('Ohne Einwilligung'))).toBe(
			false,
		);
	});
});

describe('Scheduled campaign', () => {
	it('calls exactly the due rows under the campaign’s key and updates them', async () => {
		const before = dialled().length;
		const result = await n8n.execute(ids.scheduled);
		expect(result.error).toBeUndefined();
		expect(result.json('Due candidates').map((row) => row.candidateId)).toEqual([
			...DUE,
			FOLLOW_UP,
		]);
		const rows = result.json('Update row');
		expect(rows.map((row) => row.candidateId)).toEqual(DUE);
		for (const row of rows)
			expect(row).toMatchObject({
				status: 'initiated',
				conversationId: expect.stringMatching(/^conv_/),
			});
		// One key per candidate and campaign; the call ledger counts the attempts under it.
		for (const row of rows) {
			expect(row.idempotencyKey).toBe(
				idempotencyKey({
					campaign: 'single-screening',
					candidateId: String(row.candidateId),
					e164: '',
				}),
			);
		}
		expect(dialled().slice(before).sort()).toEqual([
			'+491715551001',
			'+491715551002',
			'+491715551007',
			'+491715551009',
		]);
		expect(result.json('Submit batch campaign')).toEqual([]);
	});

	it('announces each call by SMS before dialling, and texts the browser link after the last unanswered attempt', async () => {
		// The first run above sent them; the sandbox's Twilio took each text once.
		for (const digits of ['1001', '1002', '1007', '1009']) {
			const texts = textsTo(`+49171555${digits}`);
			expect(texts.map((text) => text.body)).toEqual([
				'Muster Logistik GmbH: Unsere KI-Assistentin ruft Sie heute wegen Ihrer Bewerbung an. Keine Anrufe/SMS mehr? STOPP',
			]);
			// The text went out before the call was placed.
			const sent = (path: RegExp, field: string) =>
				sandbox.requests
					.all()
					.find(
						(request) =>
							request.method === 'POST' &&
							path.test(request.path) &&
							(request.body as Record<string, string>)[field] === `+49171555${digits}`,
					)!.seq;
			expect(sent(/\/Messages\.json$/, 'To')).toBeLessThan(sent(/outbound-call$/, 'to_number'));
		}
		expect(textsTo('+491715551004').map((text) => text.body)).toEqual([
			'Muster Logistik GmbH: Wir haben Sie nicht erreicht. Gespräch im Browser: https://n8n.example.de/webhook/interview?candidate=S-4 Rückruf: +49 30 12345670 Abmelden: STOPP',
		]);
		for (const digits of ['1003', '1005', '1006', '1008'])
			expect(textsTo(`+49171555${digits}`)).toEqual([]);
	});

	it('a second run the same morning dials and texts nobody (skip if already called or sent)', async () => {
		const before = dialled().length;
		const textsBefore = sandboxMessages(sandbox).size;
		const result = await n8n.execute(ids.scheduled);
		expect(result.json('Update row (follow-up)')).toEqual([
			expect.objectContaining({ candidateId: FOLLOW_UP, error: '' }),
		]);
		expect(sandboxMessages(sandbox).size).toBe(textsBefore);
		const rows = result.json('Update row');
		expect(rows.map((row) => row.candidateId)).toEqual(DUE);
		for (const row of rows)
			expect(String(row.status)).toMatch(
				/^already_called \((initiated|in-progress|processing|done)\)$/,
			);
		expect(dialled().length).toBe(before);
	});

	it('in batch mode submits one ElevenLabs batch campaign with the due rows and marks them', async () => {
		const batchesBefore = sandbox.requests.count('POST', '/v1/convai/batch-calling/submit');
		const dialledBefore = dialled().length;
		const result = await n8n.execute(ids.batch);
		expect(result.error).toBeUndefined();
		expect(sandbox.requests.count('POST', '/v1/convai/batch-calling/submit')).toBe(
			batchesBefore + 1,
		);
		const submitted = sandbox.requests.last('POST', '/v1/convai/batch-calling/submit')!.body as {
			recipients: Array<{
				phone_number: string;
				conversation_initiation_client_data: { dynamic_variables: Record<string, string> };
			}>;
		};
		expect(
			submitted.recipients.map(
				(recipient) => recipient.conversation_initiation_client_data.dynamic_variables.candidateId,
			),
		).toEqual(DUE);
		const [campaign] = result.json('Submit batch campaign');
		expect(campaign).toMatchObject({ campaignId: expect.any(String), recipients: 4 });
		const rows = result.json('Update rows (batch)');
		expect(rows).toEqual(
			DUE.map((candidateId) =>
				expect.objectContaining({
					candidateId,
					status: 'in_campaign',
					campaignId: campaign.campaignId,
				}),
			),
		);
		// The batch is ElevenLabs' to dial: n8n placed no single calls.
		expect(dialled().length).toBe(dialledBefore);
	});
});
