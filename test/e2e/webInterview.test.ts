/**
 * The web-interview example in a real n8n 2.41.1 against the sandbox, opened by a candidate in
 * headless Chromium. The ElevenLabs browser client is replaced by a stub (request routing of its
 * pinned CDN URL), since the real service is not reachable: the stub records what the page hands
 * it. Everything else is real: the published workflow, its webhook, Build Recruiting Prompt,
 * Fetch WebRTC Token against the sandbox, the page n8n sends.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';

import { ensureRuntime, N8nInstance, REPO_ROOT } from '../../scripts/n8n';
import type { WorkflowJson } from '../../scripts/n8n';
import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { browserSessions } from '../../sandbox/routes/conversationTokens';
import { forbiddenOverrides, missingVariablesError } from '../../sandbox/routes/outboundCalls';
import { TARBALL_ENV } from './helpers';
import { launchChromium } from '../../scripts/chromium';

jest.setTimeout(240_000);

const CANDIDATES = { valid: 'k7Qm2xW9pL4t', expired: 'p3Rt8vN1bZ6c', used: 'h5Wz0n7Ks2dF' };
const SCREENSHOT = path.join(REPO_ROOT, 'docs', 'images', 'web-interview.png');
// A candidate's browser: n8n's "Ignore Bots" option turns headless user agents away.
const CANDIDATE_UA =
	'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36';

/** Stands in for @elevenlabs/client's IIFE build: records startSession, plays a short conversation. */
const STUB_CLIENT = `
window.__stubCalls = [];
window.ElevenLabsClient = { Conversation: { async startSession(options) {
  const { onConnect, onModeChange, onMessage, onDisconnect, ...config } = options;
  window.__stubCalls.push(JSON.parse(JSON.stringify(config)));
  let open = true;
  setTimeout(() => {
    onConnect({ conversationId: 'conv_stub' });
    onModeChange({ mode: 'speaking' });
    onMessage({ message: (config.overrides && config.overrides.agent && config.overrides.agent.firstMessage) || 'Hallo', role: 'agent', source: 'ai' });
    onModeChange({ mode: 'listening' });
    onMessage({ message: 'Ja, das passt gerade gut.', role: 'user', source: 'user' });
  }, 20);
  return { setMicMuted() {}, getId: () => 'conv_stub', async endSession() { if (open) { open = false; onDisconnect({ reason: 'user' }); } } };
} } };`;
const STUB_INTEGRITY = `sha384-${createHash('sha384').update(STUB_CLIENT).digest('base64')}`;

interface StubCall {
	conversationToken: string;
	connectionType: string;
	overrides: { agent: { prompt?: { prompt: string }; firstMessage?: string; language?: string } };
	dynamicVariables: Record<string, string | number | boolean>;
	userId: string;
}

let sandbox: Sandbox;
let n8n: N8nInstance;
let baseUrl: string;
let browser: Browser;
let settings: Record<string, string>;

function loadWorkflow(): WorkflowJson {
	const workflow = JSON.parse(readFileSync(path.join(REPO_ROOT, 'workflows', 'web-interview.json'), 'utf8')) as WorkflowJson;
	const node = workflow.nodes.find((candidate) => candidate.name === 'Page settings');
	const assignments = (node?.parameters.assignments as { assignments: Array<{ name: string; value: string }> }).assignments;
	settings = Object.fromEntries(assignments.map((entry) => [entry.name, entry.value]));
	// The stub is not the pinned file, so the page must pin the stub's hash instead.
	assignments.find((entry) => entry.name === 'clientIntegrity')!.value = STUB_INTEGRITY;
	return workflow;
}

beforeAll(async () => {
	const tarball = process.env[TARBALL_ENV];
	if (!tarball) throw new Error(`${TARBALL_ENV} is not set: run the e2e tests with "npm run test:e2e"`);
	sandbox = await startSandbox({ port: 0 });
	// n8n 2.x sandboxes webhook HTML (CSP "sandbox", an opaque origin) and browsers refuse the
	// microphone there; the page needs this setting, as the README (Fetch WebRTC Token) explains.
	n8n = await N8nInstance.create({ tarball, env: { N8N_INSECURE_DISABLE_WEBHOOK_IFRAME_SANDBOX: 'true' }, label: 'web interview' });
	await n8n.importCredentials(sandbox.n8nCredentials());
	const id = await n8n.importWorkflow(loadWorkflow());
	await n8n.publish(id);
	[baseUrl, browser] = await Promise.all([n8n.start({ webhookPaths: [{ path: 'interview', method: 'GET' }] }), launchChromium({ fakeMicrophone: true })]);
});

afterAll(async () => {
	await browser?.close();
	await n8n?.dispose();
	await sandbox?.close();
});

beforeEach(() => sandbox.reset());

const link = (candidate: string) => `${baseUrl}/webhook/interview?candidate=${candidate}`;

interface Visit {
	context: BrowserContext;
	page: Page;
	requests: Request[];
	/** URLs the page tried that are neither n8n nor the client library (aborted). */
	foreign: string[];
}

/** A fresh browser profile for one candidate, with the CDN answered by the stub and nothing else let out. */
async function visit(extraHeaders: Record<string, string> = {}): Promise<Visit> {
	const context = await browser.newContext({ userAgent: CANDIDATE_UA, locale: 'de-DE', viewport: { width: 820, height: 1000 } });
	const page = await context.newPage();
	const requests: Request[] = [];
	const foreign: string[] = [];
	page.on('request', (request) => requests.push(request));
	await context.route('**/*', async (route) => {
		const url = route.request().url();
		if (url === settings.clientUrl) {
			await route.fulfill({
				status: 200,
				contentType: 'application/javascript; charset=utf-8',
				headers: { 'access-control-allow-origin': '*' },
				body: STUB_CLIENT,
			});
		} else if (url.startsWith(baseUrl)) {
			if (Object.keys(extraHeaders).length === 0) return await route.continue();
			const response = await route.fetch();
			await route.fulfill({ response, headers: { ...response.headers(), ...extraHeaders } });
		} else {
			foreign.push(url);
			await route.abort();
		}
	});
	return { context, page, requests, foreign };
}

async function expectNothingSecret(visitData: Visit, html: string) {
	const secrets = [sandbox.apiKey, sandbox.otherWorkspaceApiKey, sandbox.readOnlyApiKey, sandbox.info().webhook?.secret]
		.concat(sandbox.credentials().elevenLabsAgentsApi.webhookSecret)
		.filter((secret): secret is string => Boolean(secret));
	for (const secret of secrets) expect(html).not.toContain(secret);
	expect(visitData.requests.length).toBeGreaterThan(0);
	for (const request of visitData.requests) {
		const headers = await request.allHeaders();
		expect(Object.keys(headers).map((name) => name.toLowerCase())).not.toContain('xi-api-key');
		const seen = [request.url(), JSON.stringify(headers), request.postData() ?? ''].join('\n');
		for (const secret of secrets) expect(seen).not.toContain(secret);
		// The page talks to n8n and loads the client library; never to ElevenLabs' API itself.
		expect(request.url().startsWith(baseUrl) || request.url() === settings.clientUrl).toBe(true);
	}
	expect(visitData.foreign).toEqual([]);
}

describe('the interview page', () => {
	it('shows the notice, fetches nothing secret, and starts the session with the token, overrides and variables', async () => {
		const visitData = await visit();
		const { page } = visitData;
		const response = await page.goto(link(CANDIDATES.valid));
		expect(response?.status()).toBe(200);
		expect(response?.headers()['content-type']).toMatch(/^text\/html/);
		expect(response?.headers()['cache-control']).toBe('no-store');
		const html = (await response?.text()) ?? '';

		// The pinned client library, with its integrity hash.
		expect(settings.clientUrl).toMatch(/^https:\/\/cdn\.jsdelivr\.net\/npm\/@elevenlabs\/client@\d+\.\d+\.\d+\/dist\/lib\.iife\.js$/);
		expect(settings.clientIntegrity).toMatch(/^sha384-[A-Za-z0-9+/]{64}$/);
		const script = page.locator('#client-library');
		expect(await script.getAttribute('src')).toBe(settings.clientUrl);
		expect(await script.getAttribute('integrity')).toBe(STUB_INTEGRITY);
		expect(await script.getAttribute('crossorigin')).toBe('anonymous');

		// Candidate-facing, German, with the AI and recording notice before anything starts.
		expect(await page.getAttribute('html', 'lang')).toBe('de');
		await expect(page.locator('h1').textContent()).resolves.toContain('Pflegefachkraft (m/w/d)');
		const notice = await page.locator('#intro').innerText();
		expect(notice).toContain('Sie sprechen mit einer KI-Assistenz, nicht mit einem Menschen.');
		expect(notice).toContain('Das Gespräch wird aufgezeichnet');
		expect(await page.isVisible('#intro')).toBe(true);
		expect(await page.isHidden('#live')).toBe(true);
		await page.screenshot({ path: SCREENSHOT, fullPage: true });

		// No consent, no start.
		await page.click('#start');
		expect(await page.isVisible('#consent-hint')).toBe(true);
		expect(await page.evaluate('window.__stubCalls.length')).toBe(0);

		await page.check('#consent');
		await page.click('#start');
		await page.waitForSelector('#live:not([hidden])');
		await page.waitForFunction("document.querySelectorAll('#transcript li').length === 2");
		const [call] = (await page.evaluate('window.__stubCalls')) as StubCall[];

		// The token is one the sandbox issued for this agent and candidate, and still valid.
		const issued = browserSessions(sandbox).lookup(call.conversationToken);
		expect(issued).toMatchObject({ kind: 'token', agentId: sandbox.ids.agents.recruitingDe, participantName: 'Anna Schmidt' });
		expect(browserSessions(sandbox).status(call.conversationToken)).toBe('valid');
		expect(browserSessions(sandbox).all()).toHaveLength(1);
		expect(call.connectionType).toBe('webrtc');
		expect(call.userId).toBe(CANDIDATES.valid);

		// What Build Recruiting Prompt rendered for Anna, as overrides the agent accepts.
		const { agent } = call.overrides;
		expect(agent.prompt?.prompt).toEqual(expect.stringContaining('Anna'));
		expect(agent.firstMessage).toEqual(expect.stringContaining('Anna'));
		expect(agent.language).toBe('de');
		expect(Object.keys(call.dynamicVariables).length).toBeGreaterThan(0);
		const storedAgent = sandbox.state.agents.get(sandbox.ids.agents.recruitingDe)!;
		const clientData = { conversationConfigOverride: call.overrides, dynamicVariables: call.dynamicVariables };
		expect(forbiddenOverrides(storedAgent, clientData)).toEqual([]);
		expect(missingVariablesError(storedAgent, clientData)).toBeUndefined();

		// The conversation as it goes, then the end.
		const transcript = await page.locator('#transcript').innerText();
		expect(transcript).toContain('KI-Assistenz');
		expect(transcript).toContain(agent.firstMessage);
		expect(transcript).toContain('Ja, das passt gerade gut.');
		expect(await page.textContent('#status')).toBe('Die KI-Assistenz hört zu – Sie können sprechen.');
		await page.click('#end');
		await page.waitForSelector('#done:not([hidden])');
		expect(await page.innerText('#done')).toContain('Vielen Dank!');

		await expectNothingSecret(visitData, html);
		await visitData.context.close();
	});

	it('asks to reload when the token has run out before the start, and a reload brings a fresh one', async () => {
		const visitData = await visit();
		const { page } = visitData;
		await page.clock.install();
		await page.goto(link(CANDIDATES.valid));
		await page.clock.fastForward('10:00');
		await page.check('#consent');
		await page.click('#start');
		await page.waitForSelector('#problem:not([hidden])');
		expect(await page.textContent('#problem-title')).toBe('Die Seite ist abgelaufen');
		expect(await page.evaluate('window.__stubCalls.length')).toBe(0);
		await page.click('#reload');
		await page.waitForSelector('#intro:not([hidden])');
		expect(browserSessions(sandbox).all()).toHaveLength(2);
		await visitData.context.close();
	});

	it("explains the blocked microphone when n8n's default HTML sandbox is on", async () => {
		// What n8n 2.41.1 sends without N8N_INSECURE_DISABLE_WEBHOOK_IFRAME_SANDBOX (n8n-core html-sandbox).
		const runtime = await ensureRuntime();
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const { getHtmlSandboxCSP } = require(path.join(runtime.dir, 'node_modules', 'n8n-core', 'dist', 'html-sandbox.js')) as {
			getHtmlSandboxCSP: () => string;
		};
		const visitData = await visit({ 'content-security-policy': getHtmlSandboxCSP() });
		const { page } = visitData;
		await page.goto(link(CANDIDATES.valid));
		expect(await page.evaluate('window.origin')).toBe('null');
		await page.check('#consent');
		await page.click('#start');
		await page.waitForSelector('#problem:not([hidden])');
		expect(await page.textContent('#problem-title')).toBe('Gespräch im Browser gerade nicht möglich');
		expect(await page.textContent('#problem-technical-text')).toContain('N8N_INSECURE_DISABLE_WEBHOOK_IFRAME_SANDBOX');
		await visitData.context.close();
	});
});

describe('links that cannot start a conversation', () => {
	it.each([
		['unknown', 'nichtvorhanden', 404, 'Link nicht gefunden'],
		['expired', CANDIDATES.expired, 410, 'Link abgelaufen'],
		['already used', CANDIDATES.used, 410, 'Gespräch bereits geführt'],
	])('an %s link gets a friendly page and no token', async (_kind, candidate, status, title) => {
		const visitData = await visit();
		const response = await visitData.page.goto(link(candidate));
		expect(response?.status()).toBe(status);
		expect(await visitData.page.textContent('h1')).toBe(title);
		const text = await visitData.page.innerText('body');
		expect(text).not.toMatch(/error|stack|undefined|\bat \w+ \(/i);
		expect(browserSessions(sandbox).all()).toHaveLength(0);
		await expectNothingSecret(visitData, (await response?.text()) ?? '');
		await visitData.context.close();
	});

	it('a link without a candidate id gets the unknown-link page', async () => {
		const response = await fetch(`${baseUrl}/webhook/interview`, { headers: { 'user-agent': CANDIDATE_UA } });
		expect(response.status).toBe(404);
		expect(await response.text()).toContain('Link nicht gefunden');
	});

	it('ElevenLabs being unreachable gets a friendly page, not an n8n error', async () => {
		sandbox.faults.add({ method: 'GET', path: '/v1/convai/conversation/token', kind: 'status', status: 503, times: 3 });
		const response = await fetch(link(CANDIDATES.valid), { headers: { 'user-agent': CANDIDATE_UA } });
		expect(response.status).toBe(503);
		const html = await response.text();
		expect(html).toContain('Gespräch gerade nicht möglich');
		expect(html).not.toContain('ElevenLabs had a server error');
	});

	it('a link preview bot gets nothing and no token is spent', async () => {
		const response = await fetch(link(CANDIDATES.valid), { headers: { 'user-agent': 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)' } });
		expect(response.status).toBe(403);
		expect(await response.text()).not.toContain('KI-Assistenz');
		expect(browserSessions(sandbox).all()).toHaveLength(0);
	});
});
