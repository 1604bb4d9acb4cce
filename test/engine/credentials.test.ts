/**
 * The credentials' own test requests, run the way n8n's credential tester runs them (n8n-core's
 * RoutingNode with the credential applied), against the sandbox over real HTTP.
 */
import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { testCredential } from './harness';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(() => sandbox.requests.clear());

describe('ElevenLabs Agents API credential test', () => {
	it('passes with the sandbox key and sends it as xi-api-key', async () => {
		const result = await testCredential(
			'elevenLabsAgentsApi',
			sandbox.credentials().elevenLabsAgentsApi,
		);
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		const [request] = sandbox.requests.all();
		expect(request.method).toBe('GET');
		expect(request.path).toBe('/v1/convai/agents');
		expect(request.headers['xi-api-key']).toBe('[redacted]');
		expect(request.principal).toBe('main');
		expect(request.status).toBe(200);
	});

	it('fails with a wrong key, with advice and without the key', async () => {
		const wrongKey = ['sk', 'wrong', 'a1b2c3d4e5f6a7b8'].join('_');
		const result = await testCredential('elevenLabsAgentsApi', {
			...sandbox.credentials().elevenLabsAgentsApi,
			apiKey: wrongKey,
		});
		expect(result.status).toBe('Error');
		expect(result.message).toContain('ElevenLabs rejected the API key');
		expect(result.message).toContain('region');
		expect(result.message).not.toContain(wrongKey);
	});

	it('trims a trailing slash of the custom base URL', async () => {
		const credentials = sandbox.credentials().elevenLabsAgentsApi;
		const result = await testCredential('elevenLabsAgentsApi', {
			...credentials,
			baseUrl: `${String(credentials.baseUrl)}/`,
		});
		expect(result.status).toBe('OK');
		expect(sandbox.requests.all()[0].path).toBe('/v1/convai/agents');
	});

	it.each([
		[{ region: 'custom', baseUrl: 'localhost:8790' }],
		[{ region: 'custom', baseUrl: '' }],
		[{ region: 'mars' }],
	])('fails without a request for an unusable base URL %j', async (change) => {
		const result = await testCredential('elevenLabsAgentsApi', {
			...sandbox.credentials().elevenLabsAgentsApi,
			...change,
		});
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/Invalid URL|ERR_/);
		expect(sandbox.requests.all()).toHaveLength(0);
	});
});

describe('Twilio Calls API credential test', () => {
	it('passes with Account SID and Auth Token', async () => {
		const result = await testCredential('twilioCallsApi', sandbox.credentials().twilioCallsApi);
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(sandbox.requests.all()[0].path).toBe(
			`/2010-04-01/Accounts/${sandbox.twilio.accountSid}.json`,
		);
	});

	it('passes with an API key', async () => {
		const result = await testCredential('twilioCallsApi', {
			...sandbox.credentials().twilioCallsApi,
			authType: 'apiKey',
			apiKeySid: sandbox.twilio.apiKeySid,
			apiKeySecret: sandbox.twilio.apiKeySecret,
		});
		expect(result.status).toBe('OK');
	});

	it('fails with a wrong token, without the token', async () => {
		const wrongToken = 'f'.repeat(32);
		const result = await testCredential('twilioCallsApi', {
			...sandbox.credentials().twilioCallsApi,
			authToken: wrongToken,
		});
		expect(result.status).toBe('Error');
		expect(result.message).toContain('Twilio rejected the credentials');
		expect(result.message).not.toContain(wrongToken);
	});

	it('explains a SID that is not an Account SID', async () => {
		const result = await testCredential('twilioCallsApi', {
			...sandbox.credentials().twilioCallsApi,
			accountSid: sandbox.twilio.apiKeySid,
		});
		expect(result.status).toBe('Error');
		expect(result.message).toContain('starts with "AC"');
	});
});
