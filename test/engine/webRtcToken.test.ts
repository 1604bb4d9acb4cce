/**
 * Fetch WebRTC Token through n8n's real engine against the sandbox, over HTTP with the real SDK:
 * both operations, their options, what they output, and every way they fail.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { IBinaryData, IDataObject, INodeParameters, OnError } from 'n8n-workflow';

import { startSandbox } from '../../sandbox';
import type { CredentialOptions, Sandbox } from '../../sandbox';
import { browserSessions } from '../../sandbox/routes/conversationTokens';
import { outputFields as signedUrlFields } from '../../nodes/WebRtcToken/actions/conversation/signedUrl.operation';
import { outputFields as tokenFields } from '../../nodes/WebRtcToken/actions/conversation/token.operation';
import { outputFields as noticeFields } from '../../nodes/WebRtcToken/actions/interviewPage/notice.operation';
import { outputFields as renderFields } from '../../nodes/WebRtcToken/actions/interviewPage/render.operation';
import { outputFields as scriptFields } from '../../nodes/WebRtcToken/actions/interviewPage/script.operation';
import { declarationGaps, NO_GAPS } from '../outputFields';
import { listSearch, locator, runError, runNode, runNodes } from './harness';
import type { PackageNode } from './harness';
import { elevenLabsCredential } from './sandbox.helpers';

const TEN_MINUTES = 10 * 60 * 1000;
const FIFTEEN_MINUTES = 15 * 60 * 1000;

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(() => sandbox.reset());

/** Fetch WebRTC Token (operation Token, the main agent unless `parameters` say otherwise). */
function tokenNode(parameters: INodeParameters, onError?: OnError): PackageNode {
	return {
		type: 'webRtcToken',
		name: 'Token',
		parameters: {
			resource: 'conversation',
			operation: 'token',
			agentId: locator(sandbox.ids.agents.recruitingDe),
			...parameters,
		},
		onError,
	};
}

async function run(
	parameters: INodeParameters,
	items: IDataObject[] = [{}],
	options: { onError?: OnError; credentials?: CredentialOptions } = {},
) {
	return await runNode(tokenNode(parameters, options.onError), {
		credentials: elevenLabsCredential(sandbox, options.credentials),
		items,
	});
}

function expectNoSecret(value: unknown) {
	const text = JSON.stringify(value);
	expect(text).not.toContain(sandbox.apiKey);
	expect(text).not.toContain(sandbox.otherWorkspaceApiKey);
}

describe('operation token', () => {
	it('returns the token, its conversation and when it expires, on top of the input fields', async () => {
		const before = Date.now();
		const result = await run({}, [{ candidateId: 'c-1', name: 'Anna Schmidt' }]);
		const after = Date.now();
		expect(result.status).toBe('success');
		const [out] = result.output('Token');
		expect(out.pairedItem).toEqual({ item: 0 });
		const json = out.json as { token: string; conversationId: string; expiresAt: string };
		expect(json).toEqual({
			candidateId: 'c-1',
			name: 'Anna Schmidt',
			token: expect.any(String),
			conversationId: expect.stringMatching(/^conv_/),
			expiresAt: expect.any(String),
		});
		// Counted from the moment the request was sent: never later than the real expiry.
		const expires = Date.parse(json.expiresAt);
		expect(expires).toBeGreaterThanOrEqual(before + TEN_MINUTES);
		expect(expires).toBeLessThanOrEqual(after + TEN_MINUTES);
		const issued = browserSessions(sandbox).lookup(json.token);
		expect(issued).toMatchObject({
			kind: 'token',
			agentId: sandbox.ids.agents.recruitingDe,
			conversationId: json.conversationId,
		});
		expect(expires).toBeLessThanOrEqual(issued!.expiresAtMs);
		expect(browserSessions(sandbox).status(json.token)).toBe('valid');
		expect(declarationGaps(json, tokenFields, ['candidateId', 'name'])).toEqual(NO_GAPS);
		expectNoSecret(result.run);
	});

	it('sends the agent and only the options that are set', async () => {
		await run({});
		const request = sandbox.requests.last('GET', '/v1/convai/conversation/token');
		expect(request?.query).toEqual({ agent_id: sandbox.ids.agents.recruitingDe });
		expect(request?.headers['xi-api-key']).toBe('[redacted]');
	});

	it('passes participant name (an expression per item), environment and branch', async () => {
		const result = await run(
			{
				options: {
					participantName: '={{ $json.name }}',
					environment: ' staging ',
					branchId: 'agtbrch_test',
				},
			},
			[{ name: 'Anna Schmidt' }, { name: 'Jörg Müller' }],
		);
		expect(result.status).toBe('success');
		const requests = sandbox.requests.filter('GET', '/v1/convai/conversation/token');
		expect(requests.map((r) => r.query)).toEqual([
			{
				agent_id: sandbox.ids.agents.recruitingDe,
				participant_name: 'Anna Schmidt',
				environment: 'staging',
				branch_id: 'agtbrch_test',
			},
			{
				agent_id: sandbox.ids.agents.recruitingDe,
				participant_name: 'Jörg Müller',
				environment: 'staging',
				branch_id: 'agtbrch_test',
			},
		]);
		const tokens = result.json('Token').map((json) => json.token as string);
		expect(new Set(tokens).size).toBe(2);
		expect(browserSessions(sandbox).lookup(tokens[1])).toMatchObject({
			participantName: 'Jörg Müller',
			environment: 'staging',
		});
	});

	it('takes the agent from a list-mode locator and an expression', async () => {
		const result = await run({ agentId: locator('={{ $json.agent }}', 'list') }, [
			{ agent: sandbox.ids.agents.noOverrides },
		]);
		expect(result.status).toBe('success');
		expect(sandbox.requests.last('GET', '/v1/convai/conversation/token')?.query.agent_id).toBe(
			sandbox.ids.agents.noOverrides,
		);
	});
});

describe('operation signedUrl', () => {
	it('returns the signed WebSocket URL and when it expires', async () => {
		const before = Date.now();
		const result = await run({ operation: 'signedUrl', options: { environment: 'staging' } }, [
			{ candidateId: 'c-2' },
		]);
		const after = Date.now();
		expect(result.status).toBe('success');
		const [json] = result.json('Token') as Array<{ signedUrl: string; expiresAt: string }>;
		expect(Object.keys(json).sort()).toEqual(['candidateId', 'expiresAt', 'signedUrl']);
		expect(declarationGaps(json, signedUrlFields, ['candidateId'])).toEqual(NO_GAPS);
		const url = new URL(json.signedUrl);
		expect(url.protocol).toBe('ws:');
		expect(url.pathname).toBe('/v1/convai/conversation');
		expect(url.searchParams.get('agent_id')).toBe(sandbox.ids.agents.recruitingDe);
		expect(url.searchParams.get('conversation_signature')).toBeTruthy();
		const expires = Date.parse(json.expiresAt);
		expect(expires).toBeGreaterThanOrEqual(before + FIFTEEN_MINUTES);
		expect(expires).toBeLessThanOrEqual(after + FIFTEEN_MINUTES);
		expect(browserSessions(sandbox).lookup(json.signedUrl)).toMatchObject({
			kind: 'signedUrl',
			environment: 'staging',
		});
		expect(sandbox.requests.last('GET', '/v1/convai/conversation/get-signed-url')?.query).toEqual({
			agent_id: sandbox.ids.agents.recruitingDe,
			environment: 'staging',
		});
		expectNoSecret(result.run);
	});

	it('fails for an agent of another workspace, naming the agent and the likely cause', async () => {
		const result = await run({
			operation: 'signedUrl',
			agentId: locator(sandbox.ids.agents.otherWorkspace),
		});
		expect(result.status).toBe('error');
		expect(result.error?.message).toContain(
			`No agent "${sandbox.ids.agents.otherWorkspace}" in the workspace of this API key`,
		);
		expect(result.error?.message).toContain('use a key of the workspace the agent belongs to');
	});
});

describe('failures', () => {
	it('an unknown agent is a 404 that names it, with the item index', async () => {
		const result = await run({ agentId: locator('agent_doesnotexist') });
		expect(result.status).toBe('error');
		const error = runError(result);
		expect(error.message).toBe(
			'ElevenLabs refused to issue a conversation token for agent agent_doesnotexist: No agent "agent_doesnotexist" in the workspace of this API key. Pick the agent from the list, or use a key of the workspace the agent belongs to.',
		);
		expect(error.description).toContain('HTTP 404');
		expect(error.description).toContain('document_not_found');
		expect(error.itemIndex).toBe(0);
		expect(browserSessions(sandbox).all()).toHaveLength(0);
	});

	it("the main workspace's agent with another workspace's key is the same 404", async () => {
		const result = await run({}, [{}], { credentials: { workspace: 'other' } });
		expect(result.status).toBe('error');
		expect(result.error?.message).toContain('use a key of the workspace the agent belongs to');
		expectNoSecret(result.run);
	});

	it('a wrong API key says to check the key, without echoing it', async () => {
		const wrongKey = ['sk', 'wrong', '0123456789abcdef0123'].join('_');
		const data = { ...sandbox.credentials().elevenLabsAgentsApi, apiKey: wrongKey };
		const result = await runNode(tokenNode({}), { credentials: { elevenLabsAgentsApi: data } });
		expect(result.status).toBe('error');
		expect(result.error?.message).toContain('Copy the API key again');
		expect(JSON.stringify(result.run)).not.toContain(wrongKey);
	});

	it('no agent, or not an agent id, from an expression, fails before anything is sent', async () => {
		// Fixed values are checked by n8n itself (required, regex); expressions only at run time.
		const result = await run(
			{ agentId: locator('={{ $json.agent }}') },
			[{ agent: '' }, { agent: 'agent 1; drop' }],
			{
				onError: 'continueRegularOutput',
			},
		);
		expect(result.json('Token').map((json) => json.error)).toEqual([
			'No agent chosen',
			'"agent 1; drop" is not an agent ID',
		]);
		expect(sandbox.requests.count('GET', '/v1/convai/conversation/')).toBe(0);
	});

	it('rides out one 503 (a read is safe to retry) and reports a lasting one', async () => {
		sandbox.faults.add({
			method: 'GET',
			path: '/v1/convai/conversation/token',
			kind: 'status',
			status: 503,
		});
		const ok = await run({});
		expect(ok.status).toBe('success');
		expect(sandbox.requests.count('GET', '/v1/convai/conversation/token')).toBe(2);

		sandbox.faults.add({
			method: 'GET',
			path: '/v1/convai/conversation/token',
			kind: 'status',
			status: 503,
			times: 3,
		});
		const failed = await run({});
		expect(failed.status).toBe('error');
		expect(failed.error?.message).toContain('ElevenLabs had a server error. Try again later.');
	});

	it('an unreadable answer is an error, not an item without a token', async () => {
		sandbox.faults.add({
			method: 'GET',
			path: '/v1/convai/conversation/token',
			kind: 'malformedJson',
		});
		const result = await run({});
		expect(result.status).toBe('error');
		expect(result.error?.message).toContain('ElevenLabs sent no readable answer');
	});

	it('with continue-on-fail, a failed item is its input plus error, in order, and the others get tokens', async () => {
		const result = await run(
			{ agentId: locator('={{ $json.agent }}') },
			[
				{ candidateId: 'a', agent: sandbox.ids.agents.recruitingDe },
				{ candidateId: 'b', agent: 'agent_unknown' },
				{ candidateId: 'c', agent: sandbox.ids.agents.recruitingDe },
			],
			{ onError: 'continueRegularOutput' },
		);
		expect(result.status).toBe('success');
		const out = result.output('Token');
		expect(out.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(out.map((item) => item.json.candidateId)).toEqual(['a', 'b', 'c']);
		expect(out[0].json.token).toEqual(expect.any(String));
		expect(out[1].json).toMatchObject({
			agent: 'agent_unknown',
			error: expect.stringContaining('No agent "agent_unknown" in the workspace'),
		});
		expect(out[1].json.token).toBeUndefined();
		expect(out[2].json.token).toEqual(expect.any(String));
	});
	it('with "continue using error output", failed items go to the error output and the others to the main one', async () => {
		const result = await run(
			{ agentId: locator('={{ $json.agent }}') },
			[
				{ candidateId: 'a', agent: sandbox.ids.agents.recruitingDe },
				{ candidateId: 'b', agent: 'agent_unknown' },
			],
			{ onError: 'continueErrorOutput' },
		);
		expect(result.status).toBe('success');
		expect(result.json('Token', 0).map((json) => [json.candidateId, typeof json.token])).toEqual([
			['a', 'string'],
		]);
		const failed = result.output('Token', 1);
		// n8n adds the input's fields to an error-output item; the node adds error and details.
		expect(failed.map((item) => item.json.candidateId)).toEqual(['b']);
		expect(failed[0].json.error).toContain('No agent "agent_unknown" in the workspace');
		expect(failed[0].json.details).toEqual({ errorDescription: expect.stringContaining('agent') });
		expect(failed[0].json.token).toBeUndefined();
		expect(failed[0].pairedItem).toEqual({ item: 1 });
	});
});

describe('tokens per interview link, counted in the call ledger', () => {
	it('a link gets at most its tokens; the next request is refused as used, without asking ElevenLabs', async () => {
		const link = `link-${randomUUID()}`;
		const items = [1, 2, 3].map((n) => ({ candidateId: link, n }));
		const result = await run(
			{ options: { linkKey: '={{ $json.candidateId }}', tokensPerLink: 2 } },
			items,
			{ onError: 'continueErrorOutput' },
		);
		expect(result.status).toBe('success');
		const issued = result.json('Token', 0);
		expect(issued.map((json) => json.n)).toEqual([1, 2]);
		expect(browserSessions(sandbox).all()).toHaveLength(2);
		const [refused] = result.output('Token', 1);
		expect(refused.json).toMatchObject({
			n: 3,
			error: `The interview link "${link}" has had its 2 tokens`,
			details: { linkStatus: 'used' },
		});
		// A later execution (a reload of the page) counts on: the ledger keeps the count.
		const again = await run({ options: { linkKey: link, tokensPerLink: 2 } });
		expect(again.error?.message).toBe(`The interview link "${link}" has had its 2 tokens`);
		expect(browserSessions(sandbox).all()).toHaveLength(2);
		// Another link has its own budget.
		expect((await run({ options: { linkKey: `${link}-b`, tokensPerLink: 2 } })).status).toBe(
			'success',
		);
	});

	it('a request ElevenLabs refuses gives its token back', async () => {
		const link = `link-${randomUUID()}`;
		const refused = await run({
			agentId: locator('agent_unknown'),
			options: { linkKey: link, tokensPerLink: 1 },
		});
		expect(refused.error?.message).toContain('No agent "agent_unknown"');
		const issued = await run({ options: { linkKey: link, tokensPerLink: 1 } });
		expect(issued.status).toBe('success');
	});
});

describe('agent list search', () => {
	it("lists the credential's agents by name", async () => {
		const result = await listSearch('webRtcToken', 'searchAgents', elevenLabsCredential(sandbox), {
			filter: 'recruiting',
		});
		expect(result.results.map((agentItem) => agentItem.value)).toContain(
			sandbox.ids.agents.recruitingDe,
		);
		expect(result.results.map((agentItem) => agentItem.value)).not.toContain(
			sandbox.ids.agents.otherWorkspace,
		);
	});
});

describe('resource interviewPage', () => {
	const CANDIDATE = {
		candidateId: 'k7Qm2xW9pL4t',
		name: 'Anna Schmidt',
		jobTitle: 'Pflegefachkraft (m/w/d)',
		company: 'Muster Klinikum GmbH',
	};

	function pageNode(parameters: INodeParameters, onError?: OnError): PackageNode {
		return {
			type: 'webRtcToken',
			name: 'Page',
			parameters: {
				resource: 'interviewPage',
				operation: 'render',
				privacyUrl: 'https://www.example.de/datenschutz',
				...parameters,
			},
			onError,
		};
	}

	function sessionOf(html: string): Record<string, unknown> {
		return JSON.parse(/id="session-data">([^<]*)</.exec(html)![1]) as Record<string, unknown>;
	}

	it('renders the page after a token: WebRTC to the LiveKit address of the credential, the client served by this n8n', async () => {
		const result = await runNodes(
			[tokenNode({}), pageNode({ contactEmail: 'recruiting@example.de' })],
			{
				credentials: elevenLabsCredential(sandbox),
				items: [CANDIDATE],
			},
		);
		expect(result.status).toBe('success');
		const [out] = result.output('Page');
		expect(out.pairedItem).toEqual({ item: 0 });
		const json = out.json as {
			html: string;
			connectionType: string;
			candidateId: string;
			conversationId: string;
			expiresAt: string;
		};
		expect(json).toEqual({
			html: expect.stringContaining('<html lang="de">'),
			connectionType: 'webrtc',
			candidateId: CANDIDATE.candidateId,
			conversationId: expect.stringMatching(/^conv_/),
			expiresAt: expect.any(String),
		});
		expect(declarationGaps(json, renderFields)).toEqual(NO_GAPS);
		const session = sessionOf(json.html);
		expect(browserSessions(sandbox).lookup(session.conversationToken as string)).toMatchObject({
			kind: 'token',
		});
		// The sandbox is a custom base URL: LiveKit is its host over ws.
		expect(session.livekitUrl).toBe(sandbox.url.replace(/^http/, 'ws'));
		// Nothing in the browser's hands that results could be keyed on, or that sets the prompt.
		expect(session).not.toHaveProperty('userId');
		expect(session).not.toHaveProperty('overrides');
		expect(session.dynamicVariables).toEqual({ name: 'Anna Schmidt' });
		expect(json.html).toContain(
			'src="interview-script?file&#x3D;elevenlabs-client.js" integrity="sha384-',
		);
		expect(json.html).toContain('Muster Klinikum GmbH');
		expectNoSecret(result.run);
	});

	it('renders the page after a signed URL: WebSocket to the signed address, in English with a changed wording', async () => {
		const result = await runNodes(
			[
				{ ...tokenNode({ operation: 'signedUrl' }) },
				pageNode({ language: 'en', wording: { texts: [{ key: 'greeting', text: 'Hi {name}!' }] } }),
			],
			{ credentials: elevenLabsCredential(sandbox), items: [CANDIDATE] },
		);
		expect(result.status).toBe('success');
		const [json] = result.json('Page') as Array<{ html: string; connectionType: string }>;
		expect(json.connectionType).toBe('websocket');
		expect(declarationGaps(json, renderFields)).toEqual(NO_GAPS);
		const session = sessionOf(json.html);
		expect(browserSessions(sandbox).lookup(session.signedUrl as string)).toMatchObject({
			kind: 'signedUrl',
		});
		expect(json.html).toContain('<p>Hi Anna Schmidt!</p>');
		expect(json.html).toContain('<html lang="en">');
	});

	it('a missing privacy URL is an error with the item index, at render time', async () => {
		const result = await runNodes(
			[tokenNode({}), pageNode({ privacyUrl: '={{ $json.privacy }}' })],
			{
				credentials: elevenLabsCredential(sandbox),
				items: [CANDIDATE],
			},
		);
		const error = runError(result);
		expect(error.message).toBe('The interview page needs a privacy URL');
		expect(error.description).toContain('Privacy URL');
		expect(error.itemIndex).toBe(0);
	});

	it('an item without token or signed URL says to put Fetch WebRTC Token first', async () => {
		const result = await runNode(pageNode({}, 'continueRegularOutput'), {
			credentials: elevenLabsCredential(sandbox),
			items: [CANDIDATE],
		});
		expect(result.json('Page')[0]).toMatchObject({
			...CANDIDATE,
			error: 'The item has no conversation token and no signed URL',
		});
	});

	it('renders the notice for a used link with the status it answers with', async () => {
		const notice = {
			type: 'webRtcToken',
			name: 'Notice',
			parameters: { resource: 'interviewPage', operation: 'notice' },
		};
		const result = await runNode(notice, { items: [{ linkStatus: 'used' }] });
		const [json] = result.json('Notice');
		expect(json).toMatchObject({ statusCode: 410, linkStatus: 'used' });
		expect(declarationGaps(json, noticeFields)).toEqual(NO_GAPS);
	});

	it('serves the shipped client as binary JavaScript with the integrity the page pins, and only the shipped files', async () => {
		const script = {
			type: 'webRtcToken',
			name: 'Script',
			parameters: { resource: 'interviewPage', operation: 'script' },
		};
		const result = await runNode(script, {
			items: [
				{ query: { file: 'elevenlabs-client.js' } },
				{ query: { file: '../../package.json' } },
			],
		});
		expect(runError(result).message).toBe(
			'"../../package.json" is not a script of the interview page',
		);
		const ok = await runNode(script, { items: [{ query: { file: 'elevenlabs-client.js' } }] });
		expect(ok.status).toBe('success');
		const [item] = ok.output('Script');
		const binary = item.binary?.data as IBinaryData;
		expect(binary).toMatchObject({
			mimeType: 'text/javascript; charset=utf-8',
			fileName: 'elevenlabs-client.js',
		});
		const bytes = Buffer.from(binary.data, 'base64');
		const integrity = `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
		expect(item.json).toEqual({
			file: 'elevenlabs-client.js',
			integrity,
			contentType: 'text/javascript; charset=utf-8',
		});
		expect(declarationGaps(item.json, scriptFields)).toEqual(NO_GAPS);
		const page = await runNodes([tokenNode({}), pageNode({})], {
			credentials: elevenLabsCredential(sandbox),
			items: [CANDIDATE],
		});
		expect(page.json('Page')[0].html).toContain(`integrity="${integrity}"`);
	});
});
