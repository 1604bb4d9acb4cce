/**
 * Number parameters from expressions, which skip the editor's minimums: text, NaN, negative,
 * zero and fractional values are each one clear error at run time, before any request that
 * they would shape (no polling storm, no dial, no batch).
 */
import type { INodeParameters } from 'n8n-workflow';

import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { CANDIDATE, NODE as PLACE_NODE, dialAttempts, runPlace } from './agentCall.helpers';
import { locator, runError, runNode } from './harness';
import { elevenLabsCredential, startSandboxCall } from './sandbox.helpers';
import { runTranscript } from './transcript.helpers';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

describe('Get Transcript: waiting with a timeout or poll interval that is not a number', () => {
	it.each([
		[
			'timeoutSeconds',
			{ timeoutSeconds: '={{ "abc" }}' },
			'"Timeout (Seconds)" must be a number of 1 or more, not "abc"',
		],
		[
			'timeoutSeconds',
			{ timeoutSeconds: '={{ 0 }}' },
			'"Timeout (Seconds)" must be a number of 1 or more, not 0',
		],
		[
			'pollIntervalSeconds',
			{ options: { pollIntervalSeconds: '={{ "abc" }}' } },
			'"Poll Interval (Seconds)" must be a number of 0.2 or more, not "abc"',
		],
		[
			'pollIntervalSeconds',
			{ options: { pollIntervalSeconds: '={{ -1 }}' } },
			'"Poll Interval (Seconds)" must be a number of 0.2 or more, not -1',
		],
	])('%s %j: an error before the first request, no polling', async (_name, parameters, message) => {
		const conversationId = await startSandboxCall(sandbox, 'answered');
		const before = sandbox.requests.count('GET', `/v1/convai/conversations/${conversationId}`);
		const result = await runTranscript(
			sandbox,
			{ operation: 'get', waitForCompletion: true, timeoutSeconds: 5, ...parameters },
			[{ conversationId }],
		);
		expect(result.status).toBe('error');
		expect(runError(result).message).toBe(message);
		expect(runError(result).description).toContain('An expression there must give a number');
		expect(
			sandbox.requests.count('GET', `/v1/convai/conversations/${conversationId}`) - before,
		).toBe(0);
	});

	it('takes a number given as text, as a sheet gives it', async () => {
		const conversationId = await startSandboxCall(sandbox, 'answered');
		const result = await runTranscript(
			sandbox,
			{
				operation: 'get',
				waitForCompletion: true,
				timeoutSeconds: '={{ "1" }}',
				options: { pollIntervalSeconds: 0.3, ifNotFinished: 'returnCurrent' },
			},
			[{ conversationId }],
		);
		expect(result.status).toBe('success');
	});
});

describe('Get Transcript: list limit', () => {
	it.each([0, -1, 2.5])('limit %p is refused before the list is read', async (limit) => {
		const result = await runTranscript(
			sandbox,
			{ operation: 'list', returnAll: false, limit: `={{ ${limit} }}` },
			[{}],
		);
		expect(runError(result).message).toBe(
			`"Limit" must be a whole number of 1 or more, not ${limit}`,
		);
		expect(sandbox.requests.count('GET', '/v1/convai/conversations')).toBe(0);
	});
});

describe('Place Agent Call: options below the editor’s minimums', () => {
	it.each([
		[
			'maxConcurrentCalls',
			-1,
			'"Max Concurrent Calls" must be a whole number of 0 or more, not -1',
		],
		['requestTimeout', 0, '"Request Timeout (Seconds)" must be a number from 1 to 300, not 0'],
		['requestTimeout', -5, '"Request Timeout (Seconds)" must be a number from 1 to 300, not -5'],
		[
			'requestTimeout',
			0.001,
			'"Request Timeout (Seconds)" must be a number from 1 to 300, not 0.001',
		],
		['lookBackDays', 0, '"Look Back (Days)" must be a whole number of 1 or more, not 0'],
		[
			'ringingTimeout',
			-1,
			'"Ringing Timeout (Seconds)" must be a whole number from 5 to 600, not -1',
		],
		[
			'ringingTimeout',
			1e9,
			'"Ringing Timeout (Seconds)" must be a whole number from 5 to 600, not 1000000000',
		],
		[
			'ringingTimeout',
			2.5,
			'"Ringing Timeout (Seconds)" must be a whole number from 5 to 600, not 2.5',
		],
		['maxAttempts', 0, '"Max Attempts" must be a whole number of 1 or more, not 0'],
		['callsPerMinute', '"abc"', '"Calls per Minute" must be a number of 0 or more, not "abc"'],
	])('%s %p: a setup error, nobody dialled', async (name, value, message) => {
		const result = await runPlace(sandbox, [CANDIDATE], { options: { [name]: `={{ ${value} }}` } });
		expect(result.status).toBe('error');
		const error = runError(result);
		expect(error.message).toBe(message);
		expect(error.itemIndex).toBe(0);
		expect(error.description).toMatch(/^Set Options → /);
		expect(dialAttempts(sandbox)).toBe(0);
	});
});

describe('Place Agent Call, Submit Campaign: options below the editor’s minimums', () => {
	const submit = (options: INodeParameters) => ({
		type: 'agentCall',
		name: PLACE_NODE,
		parameters: {
			resource: 'campaign',
			operation: 'submit',
			agentId: locator(sandbox.ids.agents.recruitingDe),
			phoneNumberId: locator(sandbox.ids.phoneNumbers.twilioDe),
			callName: 'Lager Leipzig',
			callingDays: [1, 2, 3, 4, 5, 6, 7],
			windowStart: '00:00',
			windowEnd: '24:00',
			options: { skipHolidays: false, ...options },
		},
	});

	it.each([
		['concurrencyLimit', 0, '"Concurrency Limit" must be a whole number of 1 or more, not 0'],
		['lookBackDays', -3, '"Look Back (Days)" must be a whole number of 1 or more, not -3'],
		[
			'ringingTimeout',
			2.5,
			'"Ringing Timeout (Seconds)" must be a whole number from 5 to 600, not 2.5',
		],
	])('%s %p: a setup error, nothing submitted', async (name, value, message) => {
		const result = await runNode(submit({ [name]: `={{ ${value} }}` }), {
			credentials: elevenLabsCredential(sandbox),
			items: [CANDIDATE],
		});
		expect(runError(result).message).toBe(message);
		expect(sandbox.requests.count('POST', '/v1/convai/batch-calling/submit')).toBe(0);
	});
});

describe('Build Recruiting Prompt: limits from expressions', () => {
	it.each([
		['maxValueLength', 0, '"Max Value Length" must be a whole number of 1 or more, not 0'],
		[
			'maxPromptCharacters',
			'"viel"',
			'"Max Prompt Characters" must be a whole number of 0 or more, not "viel"',
		],
	])('%s %p', async (name, value, message) => {
		const result = await runNode(
			{
				type: 'recruitingPrompt',
				name: 'Prompt',
				parameters: { options: { [name]: `={{ ${value} }}` } },
			},
			{ items: [{ name: 'Anna' }] },
		);
		expect(runError(result).message).toBe(message);
	});
});
