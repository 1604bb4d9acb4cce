/**
 * Get Transcript, operations Get Many, Download Audio and Delete, through n8n's real engine against
 * the sandbox over HTTP with the real SDK.
 */
import type { IBinaryData, INodeParameters } from 'n8n-workflow';

import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { conversationStore } from '../../sandbox/conversations';
import type { CallResult } from '../../sandbox/conversations';
import { silentMp3 } from '../../sandbox/transcripts';
import { outputFields as deleteFields } from '../../nodes/Transcript/actions/conversation/delete.operation';
import { outputFields as listFields } from '../../nodes/Transcript/actions/conversation/list.operation';
import { declarationGaps, neverProduced, NO_GAPS } from '../outputFields';
import { locator, runError } from './harness';
import { endSandboxCalls, startSandboxCall } from './sandbox.helpers';
import { NODE, runTranscript } from './transcript.helpers';

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

const LIST = '/v1/convai/conversations';

/** Many finished conversations at once (straight into the store: the agent's concurrency limit would refuse them). */
function finishedConversations(
	count: number,
	agentId: string,
	callResult: CallResult = 'answered',
	userId?: (i: number) => string,
) {
	const store = conversationStore(sandbox);
	for (let i = 0; i < count; i++) {
		store.create({
			agentId,
			source: 'twilio',
			userId: userId?.(i),
			outcome: { callResult, ringSecs: 1, talkSecs: 30 },
			phoneCall: {
				type: 'twilio',
				direction: 'outbound',
				phoneNumberId: sandbox.ids.phoneNumbers.twilioDe,
				agentNumber: sandbox.numbers.twilioBerlin,
				externalNumber: `+49171555${String(i).padStart(4, '0')}`,
			},
		});
	}
	endSandboxCalls(sandbox);
}

describe('Get Many', () => {
	it('returns all conversations of an agent, following the API’s cursor', async () => {
		finishedConversations(120, sandbox.ids.agents.recruitingDe);
		finishedConversations(10, sandbox.ids.agents.noOverrides);
		const result = await runTranscript(
			sandbox,
			{
				operation: 'list',
				returnAll: true,
				filters: { agentId: locator(sandbox.ids.agents.recruitingDe) },
			},
			[{}],
		);
		const out = result.json(NODE);
		expect(out).toHaveLength(120);
		expect(new Set(out.map((json) => json.agentId))).toEqual(
			new Set([sandbox.ids.agents.recruitingDe]),
		);
		expect(new Set(out.map((json) => json.conversationId)).size).toBe(120);
		const pages = sandbox.requests.filter('GET', LIST).filter((request) => request.path === LIST);
		expect(pages).toHaveLength(2);
		expect(pages[0].query).toMatchObject({
			agent_id: sandbox.ids.agents.recruitingDe,
			page_size: '100',
			summary_mode: 'include',
		});
		expect(pages[0].query.cursor).toBeUndefined();
		expect(pages[1].query.cursor).toEqual(expect.any(String));
		expect(
			result.output(NODE).every((item) => JSON.stringify(item.pairedItem) === '{"item":0}'),
		).toBe(true);
	});

	it('stops at the limit with one request, newest first, named like Get', async () => {
		finishedConversations(8, sandbox.ids.agents.recruitingDe);
		const result = await runTranscript(sandbox, { operation: 'list', returnAll: false, limit: 3 }, [
			{},
		]);
		const out = result.json(NODE);
		expect(out).toHaveLength(3);
		expect(out[0]).toEqual({
			conversationId: expect.stringMatching(/^conv_/),
			agentId: sandbox.ids.agents.recruitingDe,
			agentName: 'Recruiting Vorgespräch (DE)',
			status: 'done',
			callSuccessful: 'success',
			startedAt: expect.any(String),
			durationSecs: 30,
			messageCount: expect.any(Number),
			summary: expect.stringContaining('hat der Aufzeichnung zugestimmt'),
			title: expect.any(String),
			language: 'de',
			direction: 'outbound',
			terminationReason: 'Call ended by remote party',
		});
		expect(sandbox.requests.filter('GET', LIST)).toHaveLength(1);
		expect(sandbox.requests.last('GET', LIST)?.query.page_size).toBe('3');
	});

	it('finds the conversation of an idempotency key (user id)', async () => {
		finishedConversations(5, sandbox.ids.agents.recruitingDe, 'answered', (i) => `campaign-7:${i}`);
		const result = await runTranscript(
			sandbox,
			{ operation: 'list', returnAll: true, filters: { userId: 'campaign-7:3' } },
			[{}],
		);
		expect(result.json(NODE)).toHaveLength(1);
		expect(sandbox.requests.last('GET', LIST)?.query.user_id).toBe('campaign-7:3');
	});

	it('filters by status and by call result, and can return the full details', async () => {
		const answered = await startSandboxCall(sandbox, 'answered');
		const busy = await startSandboxCall(sandbox, 'busy');
		const voicemail = await startSandboxCall(sandbox, 'voicemail');
		endSandboxCalls(sandbox);
		const running = await startSandboxCall(sandbox, 'answered');

		const failedOnly = await runTranscript(
			sandbox,
			{ operation: 'list', returnAll: true, filters: { statuses: ['failed'] } },
			[{}],
		);
		expect(failedOnly.json(NODE).map((json) => json.conversationId)).toEqual([busy]);
		expect(sandbox.requests.last('GET', LIST)?.query.exclude_statuses).toEqual([
			'initiated',
			'in-progress',
			'processing',
			'done',
		]);

		const finished = await runTranscript(
			sandbox,
			{ operation: 'list', returnAll: true, filters: { statuses: ['done', 'failed'] } },
			[{}],
		);
		expect(
			finished
				.json(NODE)
				.map((json) => json.conversationId)
				.sort(),
		).toEqual([answered, busy, voicemail].sort());
		expect(finished.json(NODE).map((json) => json.conversationId)).not.toContain(running);

		const byResult = await runTranscript(
			sandbox,
			{ operation: 'list', returnAll: true, filters: { callResults: ['voicemail', 'busy'] } },
			[{}],
		);
		const out = byResult.json(NODE);
		expect(out.map((json) => json.conversationId).sort()).toEqual([busy, voicemail].sort());
		expect(out.find((json) => json.conversationId === voicemail)).toMatchObject({
			callResult: 'voicemail',
			transcriptText: expect.any(String),
		});

		const simple = await runTranscript(
			sandbox,
			{
				operation: 'list',
				returnAll: true,
				filters: { statuses: ['done'] },
				options: { includeDetails: true, simplify: true },
			},
			[{}],
		);
		expect(
			simple
				.json(NODE)
				.map((json) => json.callResult)
				.sort(),
		).toEqual(['answered', 'voicemail']);
		expect(simple.json(NODE)[0]).not.toHaveProperty('transcriptText');
	});

	it('filters by time range', async () => {
		finishedConversations(2, sandbox.ids.agents.recruitingDe);
		const now = Date.now();
		const future = await runTranscript(
			sandbox,
			{
				operation: 'list',
				returnAll: true,
				filters: { startedAfter: new Date(now + 3_600_000).toISOString() },
			},
			[{}],
		);
		expect(future.json(NODE)).toHaveLength(0);
		const window = await runTranscript(
			sandbox,
			{
				operation: 'list',
				returnAll: true,
				filters: {
					startedAfter: new Date(now - 3_600_000).toISOString(),
					startedBefore: new Date(now + 3_600_000).toISOString(),
				},
			},
			[{}],
		);
		expect(window.json(NODE)).toHaveLength(2);
		expect(sandbox.requests.last('GET', LIST)?.query).toMatchObject({
			call_start_after_unix: String(Math.floor((now - 3_600_000) / 1000)),
			call_start_before_unix: String(Math.floor((now + 3_600_000) / 1000)),
		});
	});

	it('refuses a date it cannot read', async () => {
		const result = await runTranscript(
			sandbox,
			{ operation: 'list', returnAll: true, filters: { startedAfter: 'last Tuesday' } },
			[{}],
		);
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe('Filter "Started After" is not a date');
		expect(sandbox.requests.count('GET', LIST)).toBe(0);
	});

	it('shows another workspace nothing', async () => {
		finishedConversations(3, sandbox.ids.agents.recruitingDe);
		const result = await runTranscript(sandbox, { operation: 'list', returnAll: true }, [{}], {
			credentials: { workspace: 'other' },
		});
		expect(result.status).toBe('success');
		expect(result.json(NODE)).toHaveLength(0);
	});
});

describe('Download Audio', () => {
	it('returns the recording as binary audio/mpeg, keeping the item', async () => {
		const conversationId = await startSandboxCall(sandbox, 'answered');
		endSandboxCalls(sandbox);
		const result = await runTranscript(sandbox, { operation: 'downloadAudio' }, [
			{ conversationId, candidate: 'Anna' },
		]);
		expect(result.status).toBe('success');
		const [item] = result.output(NODE);
		expect(item.json).toEqual({ conversationId, candidate: 'Anna' });
		expect(item.pairedItem).toEqual({ item: 0 });
		const binary = item.binary?.data as IBinaryData;
		expect(binary).toMatchObject({
			mimeType: 'audio/mpeg',
			fileName: `${conversationId}.mp3`,
			fileExtension: 'mp3',
		});
		const bytes = Buffer.from(binary.data, 'base64');
		expect(bytes.equals(silentMp3(184))).toBe(true);
		expect(bytes.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xf3]));
		expect(JSON.stringify(item.json)).not.toContain(binary.data.slice(0, 40));
	});

	it('uses the binary field and file name given', async () => {
		const conversationId = await startSandboxCall(sandbox, 'voicemail');
		endSandboxCalls(sandbox);
		const result = await runTranscript(
			sandbox,
			{
				operation: 'downloadAudio',
				binaryPropertyName: 'recording',
				options: { fileName: 'interview.mp3' },
			},
			[{ conversationId }],
		);
		const [item] = result.output(NODE);
		expect(Object.keys(item.binary ?? {})).toEqual(['recording']);
		expect(item.binary?.recording).toMatchObject({
			fileName: 'interview.mp3',
			mimeType: 'audio/mpeg',
		});
	});

	it('says why there is no audio for a call nobody answered', async () => {
		const conversationId = await startSandboxCall(sandbox, 'busy');
		endSandboxCalls(sandbox);
		const result = await runTranscript(sandbox, { operation: 'downloadAudio' }, [
			{ conversationId },
		]);
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe(`Conversation ${conversationId} has no audio`);
		expect(runError(result).description).toContain('the call was not answered or failed');
	});

	it('says to wait when the call is still running', async () => {
		const conversationId = await startSandboxCall(sandbox, 'answered');
		const result = await runTranscript(sandbox, { operation: 'downloadAudio' }, [
			{ conversationId },
		]);
		expect(result.error?.message).toBe(`Conversation ${conversationId} has no audio`);
		expect(runError(result).description).toContain('Wait for Completion');
	});

	it('names an unknown conversation', async () => {
		const result = await runTranscript(sandbox, { operation: 'downloadAudio' }, [
			{ conversationId: 'conv_nothere' },
		]);
		expect(result.error?.message).toContain('There is no conversation "conv_nothere"');
	});

	it.each([
		[
			'a JSON error body',
			{ error: 'quota' },
			'it is application/json (17 bytes), not an MP3 recording',
		],
		['a text page', 'Service busy', 'it is text/plain (12 bytes), not an MP3 recording'],
	])('refuses %s answered with 200, and stores nothing', async (_label, body, problem) => {
		const conversationId = await startSandboxCall(sandbox, 'answered');
		endSandboxCalls(sandbox);
		sandbox.faults.add({
			kind: 'status',
			status: 200,
			method: 'GET',
			path: `${LIST}/${conversationId}/audio`,
			body,
		});
		const result = await runTranscript(sandbox, { operation: 'downloadAudio' }, [
			{ conversationId },
		]);
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe(
			`ElevenLabs sent no usable recording for conversation ${conversationId}`,
		);
		expect(runError(result).description).toContain(`Nothing was stored: ${problem}`);
	});

	it('refuses another agent’s conversation before downloading anything', async () => {
		const conversationId = await startSandboxCall(sandbox, 'answered');
		endSandboxCalls(sandbox);
		const result = await runTranscript(
			sandbox,
			{ operation: 'downloadAudio', options: { agentId: locator(sandbox.ids.agents.bare) } },
			[{ conversationId }],
		);
		expect(result.error?.message).toContain('belongs to another agent');
		expect(sandbox.requests.count('GET', `${LIST}/${conversationId}/audio`)).toBe(0);
	});
});

describe('Delete', () => {
	it('deletes a finished conversation and says what it deleted', async () => {
		const conversationId = await startSandboxCall(sandbox, 'answered', {
			userId: 'campaign-1:cand-9',
		});
		endSandboxCalls(sandbox);
		const result = await runTranscript(sandbox, { operation: 'delete' }, [{ conversationId }]);
		expect(result.status).toBe('success');
		expect(result.json(NODE)[0]).toEqual({
			conversationId,
			deleted: true,
			agentId: sandbox.ids.agents.recruitingDe,
			userId: 'campaign-1:cand-9',
			startedAt: expect.any(String),
			status: 'done',
			deletedTranscriptTurns: 12,
			deletedAudio: true,
		});
		expect(sandbox.requests.count('DELETE', `${LIST}/${conversationId}`)).toBe(1);
		expect(conversationStore(sandbox).get(conversationId)).toBeUndefined();
		const again = await runTranscript(sandbox, { operation: 'get' }, [{ conversationId }]);
		expect(again.error?.message).toContain(`There is no conversation "${conversationId}"`);
	});

	it('refuses to delete a call that is still running', async () => {
		const conversationId = await startSandboxCall(sandbox, 'answered');
		const result = await runTranscript(sandbox, { operation: 'delete' }, [{ conversationId }]);
		expect(result.error?.message).toMatch(
			new RegExp(`^Conversation ${conversationId} is still "(initiated|in-progress)"$`),
		);
		expect(sandbox.requests.count('DELETE', LIST)).toBe(0);
		expect(conversationStore(sandbox).get(conversationId)).toBeDefined();
	});

	it('fails on an unknown conversation, or reports it as not found when told to ignore that', async () => {
		const failed = await runTranscript(sandbox, { operation: 'delete' }, [
			{ conversationId: 'conv_gone' },
		]);
		expect(failed.error?.message).toContain('There is no conversation "conv_gone"');
		const ignored = await runTranscript(
			sandbox,
			{ operation: 'delete', options: { ignoreMissing: true } },
			[{ conversationId: 'conv_gone' }],
		);
		expect(ignored.json(NODE)).toEqual([
			{ conversationId: 'conv_gone', deleted: false, reason: 'not_found' },
		]);
	});

	it('does not delete another agent’s conversation', async () => {
		const conversationId = await startSandboxCall(sandbox, 'answered');
		endSandboxCalls(sandbox);
		const result = await runTranscript(
			sandbox,
			{ operation: 'delete', options: { agentId: locator(sandbox.ids.agents.noOverrides) } },
			[{ conversationId }],
		);
		expect(result.error?.message).toContain('belongs to another agent');
		expect(conversationStore(sandbox).get(conversationId)).toBeDefined();
	});

	it('explains a key without write permission', async () => {
		const conversationId = await startSandboxCall(sandbox, 'busy');
		endSandboxCalls(sandbox);
		const result = await runTranscript(sandbox, { operation: 'delete' }, [{ conversationId }], {
			credentials: { workspace: 'readOnly' },
		});
		expect(result.status).toBe('error');
		expect(result.error?.message).toContain('lacks permission');
		expect(conversationStore(sandbox).get(conversationId)).toBeDefined();
		expect(JSON.stringify(result.error)).not.toContain(sandbox.readOnlyApiKey);
	});
});

describe('declared output fields', () => {
	it('of Get Many hold without details, with them, and simplified', async () => {
		await startSandboxCall(sandbox, 'answered');
		await startSandboxCall(sandbox, 'busy');
		endSandboxCalls(sandbox);
		const list = async (options: INodeParameters) =>
			(await runTranscript(sandbox, { operation: 'list', returnAll: true, options }, [{}])).json(
				NODE,
			);
		const outputs = [
			...(await list({})),
			...(await list({ includeDetails: true })),
			...(await list({ includeDetails: true, simplify: true })),
		];
		expect(outputs).toHaveLength(6);
		for (const output of outputs) expect(declarationGaps(output, listFields)).toEqual(NO_GAPS);
		expect(neverProduced(outputs, listFields)).toEqual([]);
	});

	it('of Delete hold for a deleted conversation and a missing one', async () => {
		const conversationId = await startSandboxCall(sandbox, 'answered');
		endSandboxCalls(sandbox);
		const remove = async (id: string) =>
			(
				await runTranscript(sandbox, { operation: 'delete', options: { ignoreMissing: true } }, [
					{ conversationId: id },
				])
			).json(NODE);
		const outputs = [...(await remove(conversationId)), ...(await remove('conv_gone'))];
		expect(outputs.map((output) => output.deleted)).toEqual([true, false]);
		for (const output of outputs) expect(declarationGaps(output, deleteFields)).toEqual(NO_GAPS);
		expect(neverProduced(outputs, deleteFields)).toEqual([]);
	});
});
