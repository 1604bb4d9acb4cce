/** Request log, admin API, reset, credentials, scenario table and clock. */
import {
	Clock,
	N8N_CREDENTIAL_IDS,
	SCENARIOS,
	scenarioForNumber,
	startSandbox,
} from '../../sandbox';
import type { LoggedRequest, Sandbox, SandboxInfo } from '../../sandbox';
import { banner, cliOptions } from '../../sandbox/cli';
import { RequestLog } from '../../sandbox/requestLog';
import { elevenLabs, rawFetch, twilioClient } from './helpers';

describe('sandbox', () => {
	let sandbox: Sandbox;

	beforeAll(async () => {
		sandbox = await startSandbox();
	});

	afterAll(async () => {
		await sandbox.close();
	});

	beforeEach(() => sandbox.reset());

	describe('request log', () => {
		it('records method, path, query, parsed body, status and who called, with secrets redacted', async () => {
			const client = elevenLabs(sandbox);
			await client.conversationalAi.agents.list({ pageSize: 5, search: 'Recruiting' });
			await client.conversationalAi.agents.update(sandbox.ids.agents.bare, { name: 'Publish me' });
			const [list, update] = sandbox.requests.all();
			expect(list).toMatchObject({
				seq: expect.any(Number),
				method: 'GET',
				path: '/v1/convai/agents',
				query: { page_size: '5', search: 'Recruiting' },
				status: 200,
				principal: 'main',
				handled: true,
				outcome: 'responded',
			});
			expect(list.headers['xi-api-key']).toBe('[redacted]');
			expect(JSON.stringify(sandbox.requests.all())).not.toContain(sandbox.apiKey);
			expect(update).toMatchObject({ method: 'PATCH', body: { name: 'Publish me' }, status: 200 });
			expect(update.receivedAt).toBeInstanceOf(Date);
			expect(update.durationMs).toBeGreaterThanOrEqual(0);
		});

		it('counts by method and path prefix or pattern, and clears', async () => {
			const client = elevenLabs(sandbox);
			await client.conversationalAi.agents.get(sandbox.ids.agents.recruitingDe);
			await client.conversationalAi.agents.get(sandbox.ids.agents.bare);
			await client.conversationalAi.phoneNumbers.list();
			expect(sandbox.requests.count('GET', '/v1/convai/agents/')).toBe(2);
			expect(sandbox.requests.count('GET', /^\/v1\/convai\/phone-numbers$/)).toBe(1);
			expect(sandbox.requests.count('POST', '/v1/')).toBe(0);
			expect(sandbox.requests.count('*')).toBe(3);
			expect(sandbox.requests.last('GET', '/v1/convai/agents/')?.path).toBe(
				`/v1/convai/agents/${sandbox.ids.agents.bare}`,
			);
			sandbox.requests.clear();
			expect(sandbox.requests.all()).toEqual([]);
		});

		it('logs rejected requests too (auth failures, unknown paths) but not the admin API', async () => {
			await rawFetch(sandbox, '/v1/convai/agents', { apiKey: 'sk_nope' });
			await rawFetch(sandbox, '/v1/convai/unknown');
			await fetch(`${sandbox.url}/_sandbox/info`);
			expect(
				sandbox.requests.all().map((entry) => [entry.path, entry.status, entry.handled]),
			).toEqual([
				['/v1/convai/agents', 401, false],
				['/v1/convai/unknown', 404, false],
			]);
		});

		it('logs Twilio form bodies as key → value and the authenticating SID', async () => {
			const { accountSid, authToken } = sandbox.twilio;
			await twilioClient(sandbox, accountSid, authToken).incomingPhoneNumbers.list({
				friendlyName: 'Berlin',
			});
			const response = await fetch(
				`${sandbox.url}/2010-04-01/Accounts/${accountSid}/IncomingPhoneNumbers.json`,
				{
					method: 'POST',
					headers: {
						authorization: `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`,
						'content-type': 'application/x-www-form-urlencoded',
					},
					body: 'PhoneNumber=%2B4930111&StatusCallbackEvent=initiated&StatusCallbackEvent=answered',
				},
			);
			expect(response.status).toBe(405);
			const [list, post] = sandbox.requests.all();
			expect(list).toMatchObject({
				query: { FriendlyName: 'Berlin' },
				principal: accountSid,
				status: 200,
			});
			expect(post.body).toEqual({
				PhoneNumber: '+4930111',
				StatusCallbackEvent: ['initiated', 'answered'],
			});
		});

		it('is readable and clearable over the admin API', async () => {
			await elevenLabs(sandbox).conversationalAi.agents.get(sandbox.ids.agents.bare);
			await elevenLabs(sandbox).conversationalAi.phoneNumbers.list();
			const response = await fetch(
				`${sandbox.url}/_sandbox/requests?method=GET&path=/v1/convai/agents`,
			);
			const { requests } = (await response.json()) as { requests: LoggedRequest[] };
			expect(requests.map((entry) => entry.path)).toEqual([
				`/v1/convai/agents/${sandbox.ids.agents.bare}`,
			]);
			expect((await fetch(`${sandbox.url}/_sandbox/requests`, { method: 'DELETE' })).status).toBe(
				204,
			);
			expect(sandbox.requests.count('*')).toBe(0);
		});
	});

	describe('reset', () => {
		it('restores the seed, and clears log and faults (also over the admin API)', async () => {
			await elevenLabs(sandbox).conversationalAi.agents.update(sandbox.ids.agents.bare, {
				name: 'Changed',
			});
			sandbox.faults.add({ kind: 'status', path: '/v1/', status: 500 });
			const modules = sandbox.state.modules;
			expect((await fetch(`${sandbox.url}/_sandbox/reset`, { method: 'POST' })).status).toBe(204);
			expect(sandbox.state.agents.get(sandbox.ids.agents.bare)?.agent.name).toBe('New agent');
			expect(sandbox.state.modules).not.toBe(modules);
			expect(sandbox.faults.list()).toEqual([]);
			expect(sandbox.requests.count('*')).toBe(0);
		});
	});

	describe('credentials and info', () => {
		it('gives credential data with the fields of the package credentials', () => {
			expect(sandbox.credentials()).toEqual({
				elevenLabsAgentsApi: {
					apiKey: sandbox.apiKey,
					region: 'custom',
					baseUrl: sandbox.url,
					webhookSecret: expect.stringMatching(/^wsec_/),
				},
				twilioCallsApi: {
					authType: 'authToken',
					accountSid: sandbox.twilio.accountSid,
					authToken: sandbox.twilio.authToken,
					baseUrl: sandbox.url,
				},
			});
			expect(sandbox.credentials({ twilioAuth: 'apiKey' }).twilioCallsApi).toMatchObject({
				authType: 'apiKey',
				apiKeySid: sandbox.twilio.apiKeySid,
			});
			expect(sandbox.credentials({ workspace: 'other' }).elevenLabsAgentsApi.apiKey).toBe(
				sandbox.otherWorkspaceApiKey,
			);
			expect(sandbox.credentials({ twilioAccount: 'trial' }).twilioCallsApi.accountSid).toBe(
				sandbox.twilio.trialAccountSid,
			);
		});

		it('has vendor-shaped ids and secrets', () => {
			expect(sandbox.twilio.accountSid).toMatch(/^AC[0-9a-f]{32}$/);
			expect(sandbox.twilio.trialAccountSid).toMatch(/^AC[0-9a-f]{32}$/);
			expect(sandbox.twilio.apiKeySid).toMatch(/^SK[0-9a-f]{32}$/);
			expect(sandbox.twilio.authToken).toMatch(/^[0-9a-f]{32}$/);
			for (const id of Object.values(sandbox.ids.agents))
				expect(id).toMatch(/^agent_[0-9a-z]{28}$/);
			for (const id of Object.values(sandbox.ids.phoneNumbers))
				expect(id).toMatch(/^phnum_[0-9a-z]{28}$/);
			expect(
				new Set([sandbox.apiKey, sandbox.otherWorkspaceApiKey, sandbox.readOnlyApiKey]).size,
			).toBe(3);
		});

		it('serves everything a separate process needs at /_sandbox/info, with an importable credentials file', async () => {
			const info = (await (await fetch(`${sandbox.url}/_sandbox/info`)).json()) as SandboxInfo;
			expect(info.url).toBe(sandbox.url);
			expect(info.ids.agents.recruitingDe).toBe(sandbox.ids.agents.recruitingDe);
			expect(info.twilio.trialAccountSid).toBe(sandbox.twilio.trialAccountSid);
			expect(info.n8nCredentials).toEqual([
				{
					id: N8N_CREDENTIAL_IDS.elevenLabsAgentsApi,
					name: 'ElevenLabs (sandbox)',
					type: 'elevenLabsAgentsApi',
					data: info.credentials.elevenLabsAgentsApi,
				},
				{
					id: N8N_CREDENTIAL_IDS.twilioCallsApi,
					name: 'Twilio (sandbox)',
					type: 'twilioCallsApi',
					data: info.credentials.twilioCallsApi,
				},
			]);
		});

		it('keeps ids and keys across restarts (the CLI output stays valid)', async () => {
			const second = await startSandbox();
			try {
				expect(second.ids).toEqual(sandbox.ids);
				expect(second.apiKey).toBe(sandbox.apiKey);
				expect(second.url).not.toBe(sandbox.url);
			} finally {
				await second.close();
			}
		});
	});

	describe('cli', () => {
		it('reads port, webhook and speed options, SANDBOX_PORT as fallback', () => {
			expect(cliOptions([], {}).port).toBe(8790);
			expect(cliOptions([], { SANDBOX_PORT: '9100' }).port).toBe(9100);
			const options = cliOptions([
				'--port',
				'0',
				'--webhook-url',
				'http://localhost:5678/webhook/x',
				'--webhook-secret',
				's',
				'--speed',
				'10',
			]);
			expect(options).toMatchObject({
				port: 0,
				webhook: { url: 'http://localhost:5678/webhook/x', secret: 's' },
				clock: { speed: 10 },
			});
			expect(() => cliOptions(['--port', 'abc'], {})).toThrow('Invalid port');
			expect(() => cliOptions(['--webhook-secret', 's'], {})).toThrow('needs --webhook-url');
		});

		it('prints the URL, seed ids, scenario numbers and a parseable credentials file', () => {
			const text = banner(sandbox);
			expect(text).toContain(sandbox.url);
			expect(text).toContain(sandbox.ids.agents.recruitingDe);
			expect(text).toContain(SCENARIOS.busy.number);
			const json = text.slice(text.indexOf('[\n'), text.indexOf('\n]') + 2);
			expect(JSON.parse(json)).toEqual(sandbox.n8nCredentials());
		});
	});
});

describe('scenarios', () => {
	it('covers every outcome with a distinct German mobile number', () => {
		const scenarios = Object.values(SCENARIOS);
		expect(new Set(scenarios.map((scenario) => scenario.callResult))).toEqual(
			new Set(['answered', 'voicemail', 'busy', 'no_answer', 'failed']),
		);
		expect(new Set(scenarios.map((scenario) => scenario.number)).size).toBe(scenarios.length);
		for (const scenario of scenarios) expect(scenario.number).toMatch(/^\+49(15|16|17)\d{8,9}$/);
		expect(
			scenarios.filter((scenario) => scenario.candidate).map((scenario) => scenario.candidate),
		).toEqual(
			expect.arrayContaining(['cooperative', 'opts_out', 'refuses_consent', 'requests_callback']),
		);
		for (const scenario of scenarios.filter(
			(item) => item.callResult === 'busy' || item.callResult === 'no_answer',
		)) {
			expect(scenario.talkSecs).toBe(0);
			expect(scenario.failureReason).toBeDefined();
		}
	});

	it('looks numbers up in any common spelling; other numbers are answered', () => {
		expect(scenarioForNumber('+49 171 1234 5603').key).toBe('busy');
		expect(scenarioForNumber('0049 151 12345606').key).toBe('optOut');
		const other = scenarioForNumber('+49 160 9999999');
		expect(other).toMatchObject({
			key: 'answered',
			callResult: 'answered',
			number: '+491609999999',
		});
	});
});

describe('Clock', () => {
	it('runs timers in due order when advanced, including ones scheduled by a timer', () => {
		const clock = new Clock({ start: Date.UTC(2026, 2, 2, 9) });
		const fired: string[] = [];
		clock.after(3000, () => fired.push('b'));
		clock.after(1000, () => {
			fired.push('a');
			clock.after(500, () => fired.push('a2'));
		});
		const cancelled = clock.after(2000, () => fired.push('never'));
		cancelled.cancel();
		clock.advance(1600);
		expect(fired).toEqual(['a', 'a2']);
		clock.advance(2000);
		expect(fired).toEqual(['a', 'a2', 'b']);
		expect(clock.now()).toBeGreaterThanOrEqual(Date.UTC(2026, 2, 2, 9) + 3600);
		expect(clock.pending).toBe(0);
	});

	it('runs faster than real time with a speed factor', async () => {
		const clock = new Clock({ speed: 1000 });
		const fired = new Promise<number>((resolve) => clock.after(60_000, () => resolve(Date.now())));
		const started = Date.now();
		expect((await fired) - started).toBeLessThan(1000);
		clock.clearTimers();
	});

	it('keeps going when a timer throws, and reports it', () => {
		const errors: unknown[] = [];
		const clock = new Clock({ onError: (error) => errors.push(error) });
		const fired: number[] = [];
		clock.after(10, () => {
			throw new Error('boom');
		});
		clock.after(20, () => fired.push(20));
		clock.advance(30);
		expect(fired).toEqual([20]);
		expect(String(errors[0])).toContain('boom');
		expect(() => clock.advance(-1)).toThrow();
	});
});

describe('RequestLog', () => {
	it('keeps only the newest entries beyond its size', () => {
		const log = new RequestLog(2);
		for (const path of ['/a', '/b', '/c'])
			log.start({ method: 'GET', path, query: {}, headers: {}, receivedAt: new Date() });
		expect(log.all().map((entry) => [entry.seq, entry.path])).toEqual([
			[2, '/b'],
			[3, '/c'],
		]);
	});
});
