/**
 * Get Transcript, operation Get, through n8n's real engine against the sandbox over HTTP with the
 * real SDK: the outcome of each kind of call, waiting across the whole lifecycle, the timeout,
 * and every bad input.
 */
import { startSandbox } from '../../sandbox';
import type { Sandbox, ScenarioKey } from '../../sandbox';
import { SIMPLIFIED_FIELDS } from '../../nodes/shared/conversation/conversationOutput';
import { NODE as PLACE_NODE, placeNode } from './agentCall.helpers';
import { locator, runError, runNodes } from './harness';
import {
	VARIABLES,
	elevenLabsCredential,
	endSandboxCalls,
	startSandboxCall,
} from './sandbox.helpers';
import { NODE, runTranscript, waitingGetNode } from './transcript.helpers';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(() => {
	sandbox.reset();
	sandbox.clock.setSpeed(1);
});

const conversationPath = (id: string) => `/v1/convai/conversations/${id}`;

describe('Get: the outcome of a finished call', () => {
	it('answers the recruiter’s questions for an answered screening', async () => {
		const conversationId = await startSandboxCall(sandbox, 'answered', {
			userId: 'campaign-1:+4917112345601',
		});
		endSandboxCalls(sandbox);
		const result = await runTranscript(sandbox, { operation: 'get' }, [{ conversationId, row: 7 }]);
		expect(result.status).toBe('success');
		const [item] = result.output(NODE);
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(item.json).toMatchObject({
			conversationId,
			agentId: sandbox.ids.agents.recruitingDe,
			status: 'done',
			callResult: 'answered',
			durationSecs: 184,
			callSuccessful: 'success',
			toNumber: sandbox.scenarios.answered.number,
			language: 'de',
			hasAudio: true,
			userId: 'campaign-1:+4917112345601',
			dynamicVariables: VARIABLES,
			dataCollection: {
				consent_given: true,
				salary_expectation_eur: 52000,
				willing_to_relocate: true,
			},
			evaluation: { screening_completed: 'success', candidate_interested: 'success' },
		});
		expect(item.json.dataCollection).toHaveProperty(
			'earliest_start_date',
			expect.stringMatching(/^\d{4}-\d{2}-01$/),
		);
		expect(item.json.cost).toEqual(expect.any(Number));
		expect(item.json.summary).toContain('Anna Weber');
		// The agent's own first message as actually sent (variables filled in), German speaker labels.
		const lines = String(item.json.transcriptText).split('\n');
		expect(lines[0]).toBe(
			'Agent: Hallo Anna Weber, hier ist Lena, die digitale Recruiting-Assistentin von Muster Pflege GmbH. Sie hatten sich als Pflegefachkraft beworben. Passt es Ihnen gerade für ein kurzes Vorgespräch von etwa zehn Minuten?',
		);
		expect(lines[1]).toMatch(/^Kandidat:in: /);
		expect(item.json.turns).toHaveLength(lines.length);
		// Only the Get request, once: no polling when the conversation is done.
		expect(sandbox.requests.count('GET', conversationPath(conversationId))).toBe(1);
	});

	it('tells every kind of call apart: voicemail, busy, no answer, failed, opt-out, refused consent, call back', async () => {
		const scenarios: ScenarioKey[] = [
			'voicemail',
			'busy',
			'noAnswer',
			'failed',
			'optOut',
			'consentRefused',
			'callbackRequested',
		];
		const ids: string[] = [];
		for (const scenario of scenarios) ids.push(await startSandboxCall(sandbox, scenario));
		endSandboxCalls(sandbox);
		const result = await runTranscript(
			sandbox,
			{ operation: 'get' },
			ids.map((conversationId) => ({ conversationId })),
		);
		const out = result.json(NODE);
		expect(out.map((json) => json.conversationId)).toEqual(ids);
		expect(result.output(NODE).map((item) => item.pairedItem)).toEqual(
			ids.map((_, item) => ({ item })),
		);
		const [voicemail, busy, noAnswer, failed, optOut, consentRefused, callback] = out;
		expect(voicemail).toMatchObject({
			status: 'done',
			callResult: 'voicemail',
			callSuccessful: 'failure',
		});
		expect(busy).toMatchObject({
			status: 'failed',
			callResult: 'busy',
			transcriptText: '',
			turns: [],
			summary: null,
			durationSecs: 0,
		});
		expect(noAnswer).toMatchObject({ status: 'failed', callResult: 'no_answer', hasAudio: false });
		expect(failed).toMatchObject({ status: 'failed', callResult: 'failed' });
		expect(optOut).toMatchObject({
			callResult: 'answered',
			callSuccessful: 'failure',
			evaluation: { candidate_interested: 'failure' },
		});
		expect(optOut.transcriptText).toContain('keine weiteren Anrufe');
		expect(consentRefused).toMatchObject({
			callResult: 'answered',
			dataCollection: { consent_given: false, salary_expectation_eur: null },
		});
		expect(callback).toMatchObject({ callResult: 'answered', callSuccessful: 'unknown' });
		expect(callback.summary).toContain('Rückruf morgen ab 17 Uhr');
	});

	it('speaks the language and first message the call was placed with', async () => {
		const conversationId = await startSandboxCall(sandbox, 'answered', {
			language: 'en',
			firstMessage: 'Hello {{candidate_name}}, this is Lena.',
		});
		endSandboxCalls(sandbox);
		const [json] = (await runTranscript(sandbox, { operation: 'get' }, [{ conversationId }])).json(
			NODE,
		);
		expect(json.language).toBe('en');
		expect(String(json.transcriptText).split('\n').slice(0, 2)).toEqual([
			'Agent: Hello Anna Weber, this is Lena.',
			'Candidate: Yes, hello. Now is fine.',
		]);
	});

	it('reads the conversation ID from $json.conversationId by default', async () => {
		const conversationId = await startSandboxCall(sandbox, 'busy');
		endSandboxCalls(sandbox);
		const result = await runTranscript(sandbox, { operation: 'get' }, [{ conversationId }]);
		expect(result.json(NODE)[0]).toMatchObject({ conversationId, callResult: 'busy' });
	});

	it('simplifies to the outcome for AI agents', async () => {
		const conversationId = await startSandboxCall(sandbox, 'answered');
		endSandboxCalls(sandbox);
		const [json] = (
			await runTranscript(sandbox, { operation: 'get', simplify: true }, [{ conversationId }])
		).json(NODE);
		expect(Object.keys(json)).toEqual([...SIMPLIFIED_FIELDS]);
		expect(json.dataCollection).toMatchObject({ consent_given: true });
	});
});

describe('Get: waiting for the call to end', () => {
	it('follows a call through its whole lifecycle until done, polling with growing pauses', async () => {
		sandbox.clock.setSpeed(50); // the answered call: ~190 simulated seconds, ~4 s here
		const conversationId = await startSandboxCall(sandbox, 'answered');
		const started = Date.now();
		const result = await runTranscript(
			sandbox,
			{
				operation: 'get',
				waitForCompletion: true,
				timeoutSeconds: 60,
				options: { pollIntervalSeconds: 0.3 },
			},
			[{ conversationId }],
		);
		expect(result.status).toBe('success');
		expect(result.json(NODE)[0]).toMatchObject({
			status: 'done',
			callResult: 'answered',
			callSuccessful: 'success',
		});
		const polls = sandbox.requests.filter('GET', conversationPath(conversationId));
		expect(polls.length).toBeGreaterThanOrEqual(4);
		const gaps = polls
			.slice(1)
			.map((poll, i) => poll.receivedAt.getTime() - polls[i].receivedAt.getTime());
		expect(gaps[gaps.length - 1]).toBeGreaterThan(gaps[0]);
		expect(Date.now() - started).toBeLessThan(20_000);
	});

	it('also ends on a call that fails (busy)', async () => {
		sandbox.clock.setSpeed(50);
		const conversationId = await startSandboxCall(sandbox, 'busy');
		const result = await runTranscript(
			sandbox,
			{
				operation: 'get',
				waitForCompletion: true,
				timeoutSeconds: 30,
				options: { pollIntervalSeconds: 0.2 },
			},
			[{ conversationId }],
		);
		expect(result.json(NODE)[0]).toMatchObject({ status: 'failed', callResult: 'busy' });
	});

	it('fails with a clear timeout error when the call is still running', async () => {
		const conversationId = await startSandboxCall(sandbox, 'answered'); // ~190 s at real speed
		const started = Date.now();
		const result = await runTranscript(
			sandbox,
			{
				operation: 'get',
				waitForCompletion: true,
				timeoutSeconds: 2,
				options: { pollIntervalSeconds: 0.5 },
			},
			[{ conversationId }],
		);
		const elapsed = Date.now() - started;
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(
			new RegExp(
				`^Conversation ${conversationId} was still "(initiated|in-progress)" after waiting 2 seconds$`,
			),
		);
		expect(runError(result).description).toContain('Raise "Timeout (Seconds)"');
		expect(runError(result).itemIndex).toBe(0);
		expect(elapsed).toBeGreaterThanOrEqual(2000);
		expect(elapsed).toBeLessThan(8000);
	});

	it('returns the current state after the timeout when asked to', async () => {
		const conversationId = await startSandboxCall(sandbox, 'answered');
		const result = await runTranscript(
			sandbox,
			{
				operation: 'get',
				waitForCompletion: true,
				timeoutSeconds: 1,
				options: { pollIntervalSeconds: 0.3, ifNotFinished: 'returnCurrent' },
			},
			[{ conversationId }],
		);
		expect(result.status).toBe('success');
		const [json] = result.json(NODE);
		expect(['initiated', 'in-progress']).toContain(json.status);
		expect(json).toMatchObject({
			conversationId,
			callResult: null,
			summary: null,
			dataCollection: {},
		});
	});
});

describe('Get: bad input', () => {
	it('refuses a conversation that is still running when not waiting', async () => {
		const conversationId = await startSandboxCall(sandbox, 'answered');
		const result = await runTranscript(sandbox, { operation: 'get' }, [{ conversationId }]);
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(
			new RegExp(
				`^Conversation ${conversationId} has not finished yet \\(status "(initiated|in-progress)"\\)$`,
			),
		);
		expect(runError(result).description).toContain('Turn on "Wait for Completion"');
	});

	it('names an unknown conversation ID, without the API key', async () => {
		const result = await runTranscript(sandbox, { operation: 'get' }, [
			{ conversationId: 'conv_doesnotexist' },
		]);
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe(
			'ElevenLabs refused to get conversation conv_doesnotexist: There is no conversation "conv_doesnotexist" in this ElevenLabs workspace (or it was deleted). Check the ID, and that the credential\'s API key belongs to the workspace of the agent that placed the call.',
		);
		expect(runError(result).httpCode).toBe('404');
		expect(JSON.stringify(result.error)).not.toContain(sandbox.apiKey);
	});

	it('does not show a conversation to the key of another workspace', async () => {
		const conversationId = await startSandboxCall(sandbox, 'answered');
		endSandboxCalls(sandbox);
		const result = await runTranscript(sandbox, { operation: 'get' }, [{ conversationId }], {
			credentials: { workspace: 'other' },
		});
		expect(result.status).toBe('error');
		expect(result.error?.message).toContain(
			`There is no conversation "${conversationId}" in this ElevenLabs workspace`,
		);
		expect(JSON.stringify(result.error)).not.toContain(sandbox.otherWorkspaceApiKey);
	});

	it('refuses a conversation of another agent when the agent is set', async () => {
		const conversationId = await startSandboxCall(sandbox, 'answered');
		endSandboxCalls(sandbox);
		const result = await runTranscript(
			sandbox,
			{ operation: 'get', options: { agentId: locator(sandbox.ids.agents.noOverrides) } },
			[{ conversationId }],
		);
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe(
			`Conversation ${conversationId} belongs to another agent (${sandbox.ids.agents.recruitingDe}), not to ${sandbox.ids.agents.noOverrides}`,
		);
		const ok = await runTranscript(
			sandbox,
			{ operation: 'get', options: { agentId: locator(sandbox.ids.agents.recruitingDe) } },
			[{ conversationId }],
		);
		expect(ok.json(NODE)[0]).toMatchObject({ conversationId, status: 'done' });
	});

	it('explains an item for which no call was placed', async () => {
		const result = await runTranscript(sandbox, { operation: 'get' }, [
			{ name: 'Max', status: 'outside_window', nextWindowStart: '2026-03-02T08:00:00Z' },
		]);
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe('No conversation ID for this item');
		expect(runError(result).description).toContain('status "outside_window"');
		expect(sandbox.requests.count('GET', '/v1/convai/conversations')).toBe(0);
	});

	it('refuses something that is not a conversation ID before asking ElevenLabs', async () => {
		const result = await runTranscript(sandbox, { operation: 'get' }, [
			{ conversationId: '../agents/x?y=1' },
		]);
		expect(result.error?.message).toBe('"../agents/x?y=1" is not a conversation ID');
		expect(sandbox.requests.all()).toHaveLength(0);
	});

	it('refuses a conversation ID longer than an ElevenLabs ID can be, with its length', async () => {
		const result = await runTranscript(sandbox, { operation: 'get' }, [
			{ conversationId: `conv_${'a'.repeat(195)}` },
		]);
		expect(result.error?.message).toBe(
			'The conversation ID has 200 characters, more than the 100 an ElevenLabs ID can have',
		);
		expect(sandbox.requests.all()).toHaveLength(0);
	});

	it('with continue-on-fail, keeps going and pairs each failed item with its input', async () => {
		const good = await startSandboxCall(sandbox, 'answered');
		endSandboxCalls(sandbox);
		const result = await runTranscript(
			sandbox,
			{ operation: 'get' },
			[{ conversationId: good }, { conversationId: 'conv_unknown', row: 2 }, { row: 3 }],
			{ onError: 'continueRegularOutput' },
		);
		expect(result.status).toBe('success');
		const items = result.output(NODE);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items[0].json).toMatchObject({ conversationId: good, status: 'done' });
		expect(items[1].json).toMatchObject({
			conversationId: 'conv_unknown',
			row: 2,
			error: expect.stringContaining('There is no conversation "conv_unknown"'),
		});
		expect(items[2].json).toMatchObject({ row: 3, error: 'No conversation ID for this item' });
	});
});

describe('Place Agent Call → Get Transcript', () => {
	it('brings a placed call’s outcome back into the same execution', async () => {
		sandbox.clock.setSpeed(50);
		const candidate = {
			name: 'Jonas Becker',
			phone: '0151 12345606', // the opt-out scenario
			prompt: {
				system: 'Du bist Lena von {{company}}. Frage nach dem Einverständnis zur Aufzeichnung.',
				firstMessage: 'Guten Tag {{candidate_name}}, hier ist Lena.',
				language: 'de',
				dynamicVariables: {
					candidate_name: 'Jonas Becker',
					company: 'Muster GmbH',
					job_title: 'Lagerist',
				},
			},
		};
		const result = await runNodes([placeNode(sandbox), waitingGetNode()], {
			credentials: elevenLabsCredential(sandbox),
			items: [candidate],
		});
		expect(result.status).toBe('success');
		const placed = result.json(PLACE_NODE)[0];
		const [outcome] = result.json(NODE);
		expect(outcome).toMatchObject({
			conversationId: placed.conversationId,
			status: 'done',
			callResult: 'answered',
			toNumber: '+4915112345606',
			dynamicVariables: candidate.prompt.dynamicVariables,
		});
		expect(String(outcome.transcriptText).split('\n')[0]).toBe(
			'Agent: Guten Tag Jonas Becker, hier ist Lena.',
		);
		expect(outcome.transcriptText).toContain('Ich möchte keine weiteren Anrufe.');
		expect(outcome.userId).toBe(placed.idempotencyKey);
	});
});
