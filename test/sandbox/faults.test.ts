/** Fault injection, observed through the real SDKs: what a client sees, and what really happened. */
import { ElevenLabsError } from '@elevenlabs/elevenlabs-js';
import twilio from 'twilio';

import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { elevenLabs, rawFetch, twilioClient } from './helpers';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox();
});

afterAll(async () => {
	await sandbox.close();
	// Let the SDK's leftover timeout timers (see SHORT_TIMEOUT) run out, so jest exits cleanly.
	await new Promise((resolve) => setTimeout(resolve, SHORT_TIMEOUT * 1000));
});

beforeEach(() => sandbox.reset());

const caught = (promise: Promise<unknown>) =>
	promise.then(
		() => undefined,
		(error: unknown) => error,
	);

// The SDK leaves its timeout timer running when fetch itself fails (makeRequest clears it only
// after a response), so requests that end in a network error use a short timeout.
const SHORT_TIMEOUT = 1;

const agentPath = () => `/v1/convai/agents/${sandbox.ids.agents.bare}`;
const bareName = () => sandbox.state.agents.get(sandbox.ids.agents.bare)?.agent.name;
const rename = (client = elevenLabs(sandbox), timeoutInSeconds?: number) =>
	client.conversationalAi.agents.update(
		sandbox.ids.agents.bare,
		{ name: 'Renamed' },
		{ timeoutInSeconds },
	);

describe('status', () => {
	it('answers 429 too_many_concurrent_requests with Retry-After, without running the route', async () => {
		sandbox.faults.add({
			kind: 'status',
			method: 'PATCH',
			path: agentPath(),
			status: 429,
			headers: { 'retry-after': '1' },
		});
		const error = await caught(rename());
		expect(error).toBeInstanceOf(ElevenLabsError);
		const sdkError = error as ElevenLabsError;
		expect(sdkError.statusCode).toBe(429);
		expect(sdkError.body).toMatchObject({ detail: { status: 'too_many_concurrent_requests' } });
		expect(sdkError.rawResponse?.headers.get('retry-after')).toBe('1');
		expect(bareName()).toBe('New agent');
		expect(sandbox.requests.last('PATCH')).toMatchObject({
			fault: 'status',
			handled: false,
			status: 429,
		});
	});

	it('lets an SDK with retries honour Retry-After and succeed on the second attempt', async () => {
		sandbox.faults.add({
			kind: 'status',
			method: 'PATCH',
			path: agentPath(),
			status: 429,
			headers: { 'retry-after': '1' },
		});
		const started = Date.now();
		const agent = await rename(elevenLabs(sandbox, sandbox.apiKey, 1));
		expect(agent.name).toBe('Renamed');
		expect(Date.now() - started).toBeGreaterThanOrEqual(900);
		expect(sandbox.requests.filter('PATCH', agentPath()).map((request) => request.status)).toEqual([
			429, 200,
		]);
	});

	it('applies `times` requests, only to the given method, then stops', async () => {
		sandbox.faults.add({
			kind: 'status',
			method: 'GET',
			path: /^\/v1\/convai\/agents\/[^/]+$/,
			status: 503,
			times: 2,
		});
		const client = elevenLabs(sandbox);
		const get = () => caught(client.conversationalAi.agents.get(sandbox.ids.agents.bare));
		expect(await get()).toMatchObject({ statusCode: 503 });
		await expect(client.conversationalAi.agents.list()).resolves.toBeDefined(); // other path: unaffected
		expect(await get()).toMatchObject({ statusCode: 503 });
		expect(await get()).toBeUndefined();
		expect(sandbox.faults.list()).toEqual([]);
	});

	it('lets `skip` matching requests through first: the second request fails', async () => {
		sandbox.faults.add({
			kind: 'status',
			method: 'GET',
			path: /^\/v1\/convai\/agents\/[^/]+$/,
			status: 503,
			skip: 1,
		});
		const client = elevenLabs(sandbox);
		const get = () => caught(client.conversationalAi.agents.get(sandbox.ids.agents.bare));
		expect(await get()).toBeUndefined();
		expect(await get()).toMatchObject({ statusCode: 503 });
		expect(await get()).toBeUndefined();
		expect(() =>
			sandbox.faults.add({ kind: 'status', path: '/v1/', status: 500, skip: -1 }),
		).toThrow(/skip/);
	});

	it("answers in Twilio's error shape on Twilio paths", async () => {
		sandbox.faults.add({ kind: 'status', path: '/2010-04-01/Accounts/', status: 429 });
		const { accountSid, authToken } = sandbox.twilio;
		const error = await caught(
			twilioClient(sandbox, accountSid, authToken).api.v2010.accounts(accountSid).fetch(),
		);
		expect(error).toBeInstanceOf(twilio.RestException);
		expect(error).toMatchObject({ status: 429, code: 20429 });
	});
});

describe('status5xxAfter', () => {
	it('carries the request out, then answers a gateway 502 page', async () => {
		sandbox.faults.add({ kind: 'status5xxAfter', method: 'PATCH', path: agentPath() });
		const error = (await caught(rename())) as ElevenLabsError;
		expect(error).toBeInstanceOf(ElevenLabsError);
		expect(error.statusCode).toBe(502);
		expect(String(error.body)).toContain('502 Bad Gateway');
		// The change happened although the client saw an error: the double-dial case.
		expect(bareName()).toBe('Renamed');
		expect(sandbox.requests.last('PATCH')).toMatchObject({
			fault: 'status5xxAfter',
			handled: true,
			status: 502,
		});
	});

	it('an SDK that retries POST/PATCH on 5xx repeats the side effect', async () => {
		sandbox.faults.add({ kind: 'status5xxAfter', method: 'PATCH', path: agentPath(), status: 504 });
		await rename(elevenLabs(sandbox, sandbox.apiKey, 1));
		const handled = sandbox.requests
			.filter('PATCH', agentPath())
			.filter((request) => request.handled);
		expect(handled).toHaveLength(2);
	});
});

/**
 * SDK 2.73.0 on Node's native fetch: its timeout aborts with the reason "timeout", which the SDK
 * does not recognise as an AbortError, so a timeout arrives as a plain ElevenLabsError whose
 * message is "timeout" (not ElevenLabsTimeoutError).
 */
function expectSdkTimeout(error: unknown): void {
	expect(error).toBeInstanceOf(ElevenLabsError);
	expect((error as ElevenLabsError).statusCode).toBeUndefined();
	expect((error as ElevenLabsError).message).toMatch(/timeout/i);
}

describe('timeout', () => {
	it('holds the request until the client gives up; carried out by default', async () => {
		sandbox.faults.add({ kind: 'timeout', method: 'PATCH', path: agentPath() });
		const started = Date.now();
		expectSdkTimeout(await caught(rename(elevenLabs(sandbox), 1)));
		expect(Date.now() - started).toBeLessThan(5000);
		expect(bareName()).toBe('Renamed');
		await waitFor(() => sandbox.requests.last('PATCH')?.outcome === 'closed');
		expect(sandbox.requests.last('PATCH')).toMatchObject({ fault: 'timeout', handled: true });
	});

	it('with carryOut false nothing happens', async () => {
		sandbox.faults.add({ kind: 'timeout', method: 'PATCH', path: agentPath(), carryOut: false });
		expectSdkTimeout(await caught(rename(elevenLabs(sandbox), 1)));
		expect(bareName()).toBe('New agent');
		expect(sandbox.requests.last('PATCH')).toMatchObject({ handled: false });
	});

	it('cuts the connection itself after holdMs', async () => {
		sandbox.faults.add({ kind: 'timeout', method: 'GET', path: agentPath(), holdMs: 200 });
		const error = await caught(
			elevenLabs(sandbox).conversationalAi.agents.get(
				sandbox.ids.agents.bare,
				{},
				{ timeoutInSeconds: SHORT_TIMEOUT },
			),
		);
		expect(error).toBeInstanceOf(ElevenLabsError);
		expect((error as ElevenLabsError).message).not.toMatch(/timeout/i);
	});
});

describe('reset', () => {
	it('resets the connection without carrying out by default', async () => {
		sandbox.faults.add({ kind: 'reset', method: 'PATCH', path: agentPath() });
		const error = (await caught(rename(elevenLabs(sandbox), SHORT_TIMEOUT))) as ElevenLabsError;
		expect(error).toBeInstanceOf(ElevenLabsError);
		expect(error.statusCode).toBeUndefined();
		expect(bareName()).toBe('New agent');
		await waitFor(() => sandbox.requests.last('PATCH')?.outcome === 'closed');
	});

	it('with carryOut the change persists although the client saw a reset', async () => {
		sandbox.faults.add({ kind: 'reset', method: 'PATCH', path: agentPath(), carryOut: true });
		const error = await caught(
			fetch(`${sandbox.url}${agentPath()}`, {
				method: 'PATCH',
				headers: { 'xi-api-key': sandbox.apiKey, 'content-type': 'application/json' },
				body: JSON.stringify({ name: 'Renamed' }),
			}),
		);
		// Node's fetch rejects with a TypeError from its own realm (not jest's): compare by name.
		expect((error as Error).name).toBe('TypeError');
		expect(String((error as Error).cause)).toMatch(/ECONNRESET/);
		expect(bareName()).toBe('Renamed');
	});
});

describe('malformedJson', () => {
	it('carries out, then sends 200 with half a JSON document', async () => {
		sandbox.faults.add({ kind: 'malformedJson', method: 'PATCH', path: agentPath() });
		const response = await rawFetch(sandbox, agentPath(), {
			method: 'PATCH',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ name: 'Renamed' }),
		});
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toContain('application/json');
		const text = await response.text();
		expect(text).toMatch(/^\{"agent_id":/);
		expect(() => JSON.parse(text)).toThrow();
		expect(bareName()).toBe('Renamed');
	});

	it('the SDK turns it into a ParseError for the missing required keys (after the change happened)', async () => {
		sandbox.faults.add({ kind: 'malformedJson', method: 'PATCH', path: agentPath() });
		const error = (await caught(rename())) as Error & { errors?: Array<{ message: string }> };
		expect(error.name).toBe('ParseError');
		expect(error.errors?.map((item) => item.message)).toContain('Missing required key "agent_id"');
		expect(bareName()).toBe('Renamed');
	});
});

describe('admin API', () => {
	it('arms a fault from JSON with a path pattern, lists and clears faults', async () => {
		const armed = await fetch(`${sandbox.url}/_sandbox/faults`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				kind: 'status',
				method: 'GET',
				pathRegex: '^/v1/convai/phone-numbers/[^/]+$',
				status: 500,
				times: 3,
			}),
		});
		expect(armed.status).toBe(201);
		expect(await armed.json()).toMatchObject({
			kind: 'status',
			pathRegex: expect.stringContaining('phone-numbers'),
			remaining: 3,
		});
		const failed = await rawFetch(
			sandbox,
			`/v1/convai/phone-numbers/${sandbox.ids.phoneNumbers.twilioDe}`,
		);
		expect(failed.status).toBe(500);
		expect(await failed.json()).toMatchObject({ detail: { status: 'internal_server_error' } });
		const listed = (await (await fetch(`${sandbox.url}/_sandbox/faults`)).json()) as {
			faults: Array<{ remaining: number }>;
		};
		expect(listed.faults.map((fault) => fault.remaining)).toEqual([2]);
		expect((await fetch(`${sandbox.url}/_sandbox/faults`, { method: 'DELETE' })).status).toBe(204);
		expect(
			(await rawFetch(sandbox, `/v1/convai/phone-numbers/${sandbox.ids.phoneNumbers.twilioDe}`))
				.status,
		).toBe(200);
	});

	it('rejects a malformed fault with 400 and a reason', async () => {
		const response = await fetch(`${sandbox.url}/_sandbox/faults`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ kind: 'explode', path: '/v1/' }),
		});
		expect(response.status).toBe(400);
		expect(await response.json()).toMatchObject({
			message: expect.stringContaining('"kind" must be one of'),
		});
	});
});

async function waitFor(condition: () => boolean, timeoutMs = 3000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error('Condition not met in time');
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}
