/** Vendor error tests: clear advice for each failure, and no secret ever in a message */
import { ElevenLabsError, ElevenLabsTimeoutError } from '@elevenlabs/elevenlabs-js';
import type { INode } from 'n8n-workflow';

import {
	elevenLabsFailure,
	twilioFailure,
	vendorApiError,
} from '../../nodes/shared/vendors/errors';
import type { FailureContext } from '../../nodes/shared/vendors/errors';
import { WITHHELD, redact } from '../../nodes/shared/vendors/redact';

const node: INode = {
	id: '1',
	name: 'Place Agent Call',
	type: 'n8n-nodes-voice-recruiting.agentCall',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};
// A made-up key, built so that no key-like literal sits in the source.
const KEY = ['sk', 'test', '0123456789abcdef'].join('_');

const elevenLabsError = (error: unknown, secrets: string[], context: FailureContext) =>
	vendorApiError(node, 'ElevenLabs', elevenLabsFailure(error, secrets), context);

describe('ElevenLabs errors', () => {
	it('turns a 422 into field-by-field detail', () => {
		const error = new ElevenLabsError({
			statusCode: 422,
			body: {
				detail: [
					{
						type: 'missing',
						loc: ['body', 'agent_phone_number_id'],
						msg: 'Field required',
						input: null,
					},
				],
			},
		});
		const failure = elevenLabsFailure(error, [KEY]);
		expect(failure).toMatchObject({
			status: 422,
			detail: 'body.agent_phone_number_id: Field required',
			noAnswer: false,
		});
		const nodeError = elevenLabsError(error, [KEY], { action: 'place the call', itemIndex: 3 });
		expect(nodeError.message).toContain('body.agent_phone_number_id: Field required');
		expect(nodeError.context.itemIndex).toBe(3);
		expect(nodeError.httpCode).toBe('422');
	});

	it('explains a rejected key without echoing it', () => {
		const error = new ElevenLabsError({
			statusCode: 401,
			body: { detail: { status: 'invalid_api_key', message: `Invalid API key: ${KEY}` } },
		});
		const nodeError = elevenLabsError(error, [KEY], { action: 'load the agent' });
		expect(nodeError.message).toMatch(
			/^ElevenLabs refused to load the agent: Copy the API key again/,
		);
		expect(`${nodeError.message} ${nodeError.description}`).not.toContain(KEY);
		expect(nodeError.description).toContain('[redacted]');
	});

	it('says that a valid key can still be blocked', () => {
		const error = new ElevenLabsError({
			statusCode: 401,
			body: {
				detail: { status: 'detected_unusual_activity', message: 'Unusual activity detected.' },
			},
		});
		expect(elevenLabsError(error, [], { action: 'place the call' }).message).toContain(
			'The key is valid',
		);
	});

	it('points a 404 at the workspace of the key', () => {
		const error = new ElevenLabsError({
			statusCode: 404,
			body: { detail: { status: 'document_not_found', message: 'Agent not found' } },
		});
		expect(elevenLabsError(error, [], { action: 'load the agent' }).message).toContain(
			'another ElevenLabs workspace',
		);
	});

	it('reads Retry-After of a 429', () => {
		const error = new ElevenLabsError({
			statusCode: 429,
			body: {
				detail: { status: 'too_many_concurrent_requests', message: 'Too many concurrent requests' },
			},
			rawResponse: {
				headers: new Headers({ 'retry-after': '7' }),
				redirected: false,
				status: 429,
				statusText: '',
				type: 'basic',
				url: '',
			},
		});
		expect(elevenLabsFailure(error, [])).toMatchObject({
			status: 429,
			code: 'too_many_concurrent_requests',
			retryAfterSeconds: 7,
		});
	});

	it('treats a timeout as no answer, and keeps error codes out of the message', () => {
		const error = new ElevenLabsTimeoutError(
			'Timeout exceeded when calling POST /v1/convai/twilio/outbound-call.',
		);
		const failure = elevenLabsFailure(error, []);
		expect(failure).toMatchObject({ noAnswer: true, timedOut: true });
		expect(failure.status).toBeUndefined();
		const nodeError = elevenLabsError(error, [], { action: 'place the call' });
		expect(nodeError.message).toBe('Could not place the call: ElevenLabs did not answer in time.');
	});

	it('treats an unreadable 200 as no answer', () => {
		const error = new ElevenLabsError({ statusCode: 200, body: '{"success":tr' });
		expect(elevenLabsFailure(error, [])).toMatchObject({ status: 200, noAnswer: true });
	});
});

describe('Twilio errors', () => {
	it('gives the trial-account advice for 21219', () => {
		const error = Object.assign(new Error('The number +491711234567 is unverified.'), {
			status: 400,
			code: 21219,
		});
		const nodeError = vendorApiError(node, 'Twilio', twilioFailure(error, []), {
			action: 'create the call',
			itemIndex: 0,
		});
		expect(nodeError.message).toContain('trial account can only call verified numbers');
		expect(nodeError.description).toContain('code 21219');
	});
});

describe('redact', () => {
	it('replaces every occurrence of every secret, and ignores empty ones', () => {
		expect(redact('a SECRET b SECRET', ['SECRET', '', undefined])).toBe(
			'a [redacted] b [redacted]',
		);
	});

	const LONG_KEY = ['sk', 'live', '4f9a2b7c1d3e5f60718293a4'].join('_');

	it.each([
		['upper-cased', `invalid key ${LONG_KEY.toUpperCase()}`],
		['base64', `echo: ${Buffer.from(LONG_KEY).toString('base64')}`],
		[
			'base64 without padding',
			`echo: ${Buffer.from(LONG_KEY).toString('base64').replace(/=+$/, '')}`,
		],
		['its first 16 characters', `key ${LONG_KEY.slice(0, 16)}… is not valid`],
	])('replaces the secret echoed %s', (_label, text) => {
		const out = redact(text, [LONG_KEY]);
		expect(out).toContain('[redacted]');
		expect(out.toLowerCase()).not.toContain(LONG_KEY.slice(0, 12).toLowerCase());
		expect(out).not.toContain(Buffer.from(LONG_KEY).toString('base64').slice(0, 12));
	});

	it('replaces an HTTP Basic header given as a secret of its own', () => {
		const basic = Buffer.from('AC123:tok3n-secret-value').toString('base64');
		expect(redact(`Authorization: Basic ${basic}`, ['tok3n-secret-value', basic])).toBe(
			'Authorization: Basic [redacted]',
		);
	});

	it('withholds a text that holds a secret too short to hide', () => {
		expect(redact('invalid key abc', ['abc'])).toBe(WITHHELD);
		expect(redact('no such agent', ['xyz'])).toBe('no such agent');
	});
});
