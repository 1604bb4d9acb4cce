/**
 * The campaign report of the results example (workflows/sheets-call-results.json) in a real n8n
 * 2.41.1: its page branch (Webhook with Basic Auth → Campaign Report → Respond to Webhook) with
 * the sheet's rows given by the test, opened in headless Chromium, where every request must go to
 * n8n; and the same rows as a PDF through a webhook, read with pdftotext and turned into PNG pages
 * with pdftoppm. The pictures go to docs/images/.
 */
import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { INode } from 'n8n-workflow';
import type { Browser } from 'playwright-core';

import { aggregate } from '../../nodes/CampaignReport/helpers/aggregate';
import { launchChromium } from '../../scripts/chromium';
import { N8nInstance, REPO_ROOT } from '../../scripts/n8n';
import type { WorkflowJson } from '../../scripts/n8n';
import { pdfPages, pdfText } from '../../scripts/pdfTools';
import { reportCandidates } from '../fixtures/reportCandidates';
import { TARBALL_ENV } from './helpers';

// n8n's CLI steps take long on a busy machine (import, publish, start).
jest.setTimeout(600_000);

const IMAGES = path.join(REPO_ROOT, 'docs', 'images');
const LOGIN = { username: 'hiring-team', password: `report-${randomUUID()}` };
const ROWS = reportCandidates(60);
const TITLE = 'Pflegefachkraft Berlin – KW 49';

let n8n: N8nInstance;
let baseUrl: string;
let browser: Browser;

function exampleNode(workflow: WorkflowJson, name: string): INode {
	const found = workflow.nodes.find((node) => node.name === name);
	if (!found) throw new Error(`sheets-call-results.json has no node "${name}"`);
	return found;
}

/** The sheet's rows as the Google Sheets node would hand them on: one item per row. */
function sheetRows(id: string): INode[] {
	return [
		{
			id: `${id}-set`,
			name: 'Sheet rows',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			position: [0, 0],
			parameters: { mode: 'raw', jsonOutput: JSON.stringify({ rows: ROWS }), options: {} },
		},
		{
			id: `${id}-split`,
			name: 'One item per row',
			type: 'n8n-nodes-base.splitOut',
			typeVersion: 1,
			position: [0, 0],
			parameters: { fieldToSplitOut: 'rows', options: {} },
		},
	];
}

function chain(id: string, nodes: INode[]): WorkflowJson {
	const connections: WorkflowJson['connections'] = {};
	nodes.forEach((node, i) => {
		node.position = [i * 220, 0];
		if (i > 0)
			connections[nodes[i - 1].name] = { main: [[{ node: node.name, type: 'main', index: 0 }]] };
	});
	return { id, name: id, nodes, connections, settings: { executionOrder: 'v1' } };
}

/** The example's page branch, its Google Sheets read replaced by the test's rows. */
async function reportWorkflows(): Promise<WorkflowJson[]> {
	const { readFile } = await import('node:fs/promises');
	const example = JSON.parse(
		await readFile(path.join(REPO_ROOT, 'workflows', 'sheets-call-results.json'), 'utf8'),
	) as WorkflowJson;
	const link = exampleNode(example, 'Report link');
	const page = exampleNode(example, 'Campaign report page');
	page.parameters = { ...page.parameters, title: TITLE };
	const send = exampleNode(example, 'Send report page');
	const pdf = exampleNode(example, 'Campaign report PDF');
	pdf.parameters = { ...pdf.parameters, title: TITLE, fileName: 'bericht.pdf' };
	const pdfLink: INode = {
		...link,
		id: 'e2e-report-pdf-link',
		name: 'Report PDF link',
		webhookId: randomUUID(),
		parameters: { ...link.parameters, path: 'campaign-report-pdf' },
	};
	const sendPdf: INode = {
		id: 'e2e-send-pdf',
		name: 'Send PDF',
		type: 'n8n-nodes-base.respondToWebhook',
		typeVersion: 1.5,
		position: [0, 0],
		parameters: { respondWith: 'binary', options: {} },
	};
	return [
		chain('e2eReportPage', [link, ...sheetRows('page'), page, send]),
		chain('e2eReportPdf', [pdfLink, ...sheetRows('pdf'), pdf, sendPdf]),
	];
}

beforeAll(async () => {
	const tarball = process.env[TARBALL_ENV];
	if (!tarball)
		throw new Error(`${TARBALL_ENV} is not set: run the e2e tests with "npm run test:e2e"`);
	await mkdir(IMAGES, { recursive: true });
	n8n = await N8nInstance.create({ tarball, label: 'campaign report' });
	await n8n.importCredentials([
		{
			id: 'reportBasicAuth',
			name: 'Campaign report login',
			type: 'httpBasicAuth',
			data: { user: LOGIN.username, password: LOGIN.password },
		},
	]);
	for (const id of await n8n.importWorkflows(await reportWorkflows())) await n8n.publish(id);
	[baseUrl, browser] = await Promise.all([
		n8n.start({
			webhookPaths: [
				{ path: 'campaign-report', method: 'GET' },
				{ path: 'campaign-report-pdf', method: 'GET' },
			],
		}),
		launchChromium(),
	]);
});

afterAll(async () => {
	await browser?.close();
	await n8n?.dispose();
});

const authorization = `Basic ${Buffer.from(`${LOGIN.username}:${LOGIN.password}`).toString('base64')}`;
const expected = aggregate(ROWS, {
	answers: [],
	mustHaves: [],
	defaultRegion: 'DE',
	defaultZone: 'Europe/Berlin',
});
const stage = (name: string) => expected.funnel.find((f) => f.stage === name)?.count;

describe('Campaign report behind a webhook with Basic Auth', () => {
	it('answers 401 without the login and never shows the page', async () => {
		const response = await fetch(`${baseUrl}/webhook/campaign-report`);
		expect(response.status).toBe(401);
		expect(await response.text()).not.toContain('Jörg');
	});

	it('shows the page in Chromium with every request to n8n only', async () => {
		const context = await browser.newContext({
			httpCredentials: LOGIN,
			locale: 'de-DE',
			viewport: { width: 1100, height: 900 },
		});
		const requests: string[] = [];
		await context.route('**/*', async (route) => {
			const url = route.request().url();
			requests.push(url);
			if (!url.startsWith(`${baseUrl}/`)) return await route.abort();
			return await route.continue();
		});
		const page = await context.newPage();
		const response = await page.goto(`${baseUrl}/webhook/campaign-report`);
		expect(response?.status()).toBe(200);
		expect(response?.headers()['content-type']).toContain('text/html');
		expect(response?.headers()['cache-control']).toBe('no-store');
		await expect(page.title()).resolves.toBe(TITLE);
		const funnel = await page.locator('section').first().textContent();
		expect(funnel).toContain(`${stage('reached')} · `);
		expect(funnel).toContain('Vorgespräch abgeschlossen');

		// The inline script runs (n8n serves webhook HTML sandboxed): filter and sort the table.
		const rows = page.locator('#candidates tbody tr');
		await expect(rows.count()).resolves.toBe(ROWS.length);
		await page.fill('#filter', 'Müller-Weiß');
		await expect(
			page.locator('#candidates tbody tr:not([hidden])').count(),
		).resolves.toBeGreaterThanOrEqual(1);
		await expect(page.locator('#shown').textContent()).resolves.toMatch(/^\d+ von 60 angezeigt$/);
		for (const text of await page
			.locator('#candidates tbody tr:not([hidden]) td:first-child')
			.allTextContents())
			expect(text).toContain('Müller-Weiß');
		await page.fill('#filter', '');
		await page.selectOption('#outcome', 'Mailbox');
		const mailbox = expected.outcomes.find((o) => o.key === 'voicemail')?.count;
		await expect(page.locator('#candidates tbody tr:not([hidden])').count()).resolves.toBe(mailbox);
		await page.selectOption('#outcome', '');
		await page.click('#candidates th:first-child');
		const names = await page.locator('#candidates tbody tr td:first-child').allTextContents();
		expect(names).toEqual(
			[...names].sort((a, b) => a.localeCompare(b, 'de', { numeric: true, sensitivity: 'base' })),
		);

		expect(requests.filter((url) => !url.startsWith(`${baseUrl}/`))).toEqual([]);
		await page.click('#candidates th:first-child');
		await page.click('#candidates th:first-child');
		// The top of the page down to the first rows of the table: what the docs show.
		await page.screenshot({
			path: path.join(IMAGES, 'campaign-report-page.png'),
			fullPage: true,
			clip: { x: 0, y: 0, width: 1100, height: 2700 },
		});
		await context.close();
	});

	it('sends the PDF with the funnel numbers and the names with umlauts', async () => {
		const response = await fetch(`${baseUrl}/webhook/campaign-report-pdf`, {
			headers: { authorization },
		});
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toContain('application/pdf');
		const pdf = Buffer.from(await response.arrayBuffer());
		const text = await pdfText(pdf);
		expect(text).toContain(TITLE);
		expect(text).toMatch(new RegExp(`Kandidat:innen\\s+60 · 100 %`));
		expect(text).toMatch(new RegExp(`erreicht\\s+${stage('reached')} · `));
		expect(text).toMatch(new RegExp(`Vorgespräch abgeschlossen\\s+${stage('completed')} · `));
		expect(text).toMatch(new RegExp(`interessiert\\s+${stage('interested')} · `));
		expect(text).toContain('Jörg Müller-Weiß');
		expect(text).toContain('Art. 22 DSGVO');
		const dir = await mkdtemp(path.join(tmpdir(), 'report-pages-'));
		const pages = await pdfPages(pdf, path.join(dir, 'page'), { dpi: 90 });
		expect(pages.length).toBeGreaterThanOrEqual(3);
		await copyFile(pages[0], path.join(IMAGES, 'campaign-report-pdf.png'));
		await copyFile(pages[pages.length - 2], path.join(IMAGES, 'campaign-report-pdf-table.png'));
	});
});
