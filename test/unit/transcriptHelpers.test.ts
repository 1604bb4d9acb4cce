/** Transcript helper tests: poll pauses, Get Many filters, and reading post-call events */
import { DateTime } from 'luxon';

import {
	audioFromWire,
	eventIds,
	initiationFailureFromWire,
	parseEventBody,
} from '../../nodes/ElevenLabsAgentsTrigger/helpers/events';
import { MAX_POLL_INTERVAL_MS, nextPollDelayMs } from '../../nodes/Transcript/helpers/polling';
import { excludedStatuses } from '../../nodes/shared/conversation/conversationStatus';
import { conversationSummary, unixSeconds } from '../../nodes/Transcript/helpers/summaries';

describe('waiting: pauses between polls', () => {
	it('starts at the poll interval and grows by half each time, up to 30 s', () => {
		const delays: number[] = [];
		let delay: number | undefined;
		for (let i = 0; i < 12; i++) delays.push((delay = nextPollDelayMs(delay, 2000, Infinity)));
		expect(delays.slice(0, 4)).toEqual([2000, 3000, 4500, 6750]);
		expect(Math.max(...delays)).toBe(MAX_POLL_INTERVAL_MS);
		expect(delays.every((d, i) => i === 0 || d >= delays[i - 1])).toBe(true);
	});

	it('never sleeps past the deadline', () => {
		expect(nextPollDelayMs(20000, 5000, 1200)).toBe(1200);
		expect(nextPollDelayMs(undefined, 5000, 0)).toBe(0);
	});

	it('keeps a poll interval longer than the cap', () => {
		expect(nextPollDelayMs(60000, 60000, Infinity)).toBe(60000);
	});
});

describe('Get Many filters', () => {
	it('turns the wanted statuses into the API’s excluded ones', () => {
		expect(excludedStatuses(['done', 'failed'])).toEqual([
			'initiated',
			'in-progress',
			'processing',
		]);
		expect(excludedStatuses([])).toBeUndefined();
		expect(excludedStatuses(undefined)).toBeUndefined();
	});

	it('reads dates from the picker, expressions and numbers', () => {
		expect(unixSeconds('2026-03-01T09:00:00+01:00')).toBe(1772352000);
		expect(unixSeconds(DateTime.fromISO('2026-03-01T08:00:00Z'))).toBe(1772352000);
		expect(unixSeconds(new Date('2026-03-01T08:00:00Z'))).toBe(1772352000);
		expect(unixSeconds(1772352000)).toBe(1772352000);
		expect(unixSeconds(1772352000123)).toBe(1772352000);
		expect(unixSeconds('')).toBeUndefined();
		expect(unixSeconds(undefined)).toBeUndefined();
		expect(unixSeconds('next Tuesday')).toBe('invalid');
		expect(unixSeconds({})).toBe('invalid');
	});

	it('names list summaries like Get', () => {
		expect(
			conversationSummary({
				agentId: 'a',
				conversationId: 'c',
				startTimeUnixSecs: 1772352000,
				callDurationSecs: 60,
				messageCount: 8,
				status: 'done',
				callSuccessful: 'success',
				transcriptSummary: 'ok',
			}),
		).toEqual({
			conversationId: 'c',
			agentId: 'a',
			agentName: null,
			status: 'done',
			callSuccessful: 'success',
			startedAt: '2026-03-01T08:00:00.000Z',
			durationSecs: 60,
			messageCount: 8,
			summary: 'ok',
			title: null,
			language: null,
			direction: null,
			terminationReason: null,
		});
	});
});

describe('trigger: reading post-call events', () => {
	it('reads { type, event_timestamp, data }', () => {
		const raw = Buffer.from(
			JSON.stringify({
				type: 'post_call_audio',
				event_timestamp: 5,
				data: { conversation_id: 'c' },
			}),
		);
		expect(parseEventBody(raw)).toEqual({
			ok: true,
			type: 'post_call_audio',
			eventTimestamp: 5,
			data: { conversation_id: 'c' },
		});
	});

	it.each([
		['not JSON', 'hello', 'not JSON'],
		['a JSON array', '[1,2]', 'not an ElevenLabs post-call event'],
		['no type', '{"data":{}}', 'not an ElevenLabs post-call event'],
		[
			'no data object',
			'{"type":"post_call_audio","data":"x"}',
			'not an ElevenLabs post-call event',
		],
		['truncated JSON', '{"type":"post_call_audio","data":{', 'not JSON'],
	])('rejects a body that is %s', (_name, body, message) => {
		expect(parseEventBody(Buffer.from(body))).toEqual({
			ok: false,
			message: expect.stringContaining(message),
		});
	});

	it('needs both ids', () => {
		expect(eventIds({ conversation_id: 'c', agent_id: 'a' })).toEqual({
			conversationId: 'c',
			agentId: 'a',
		});
		expect(eventIds({ conversation_id: 'c' })).toBeUndefined();
		expect(eventIds({ conversation_id: ' ', agent_id: 'a' })).toBeUndefined();
	});

	it('finds the dialled number of a failed call in the provider payload', () => {
		const ids = { conversationId: 'c', agentId: 'a' };
		expect(
			initiationFailureFromWire(
				{
					failure_reason: 'no-answer',
					metadata: { type: 'twilio', body: { To: '+4917100000001', CallStatus: 'no-answer' } },
				},
				ids,
			),
		).toEqual({
			...ids,
			failureReason: 'no-answer',
			toNumber: '+4917100000001',
			userId: null,
			dynamicVariables: {},
		});
		expect(
			initiationFailureFromWire(
				{ failure_reason: 'busy', metadata: { type: 'sip', body: { to_number: '+4989' } } },
				ids,
			).toNumber,
		).toBe('+4989');
		expect(initiationFailureFromWire({}, ids)).toMatchObject({
			failureReason: 'unknown',
			toNumber: null,
		});
		expect(
			initiationFailureFromWire(
				{
					conversation_initiation_client_data: {
						user_id: 'key-1',
						dynamic_variables: { candidate_name: 'Max' },
					},
				},
				ids,
			),
		).toMatchObject({ userId: 'key-1', dynamicVariables: { candidate_name: 'Max' } });
	});

	it('decodes the base64 audio and refuses anything else', () => {
		const mp3 = Buffer.from([0xff, 0xfb, 0x90, 0x64, 0x00, 0x01]);
		expect(audioFromWire({ full_audio: mp3.toString('base64') })).toEqual(mp3);
		expect(audioFromWire({ full_audio: 'not base64!' })).toBeUndefined();
		expect(audioFromWire({ full_audio: 'abc' })).toBeUndefined();
		expect(audioFromWire({ full_audio: '' })).toBeUndefined();
		expect(audioFromWire({})).toBeUndefined();
	});
});
