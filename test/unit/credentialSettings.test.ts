/** Credential tests: ElevenLabs regions to base URLs, and Twilio fields for both auth types */
import { elevenLabsBaseUrl, normaliseBaseUrl } from '../../nodes/shared/vendors/regions';
import { twilioCredentialFields } from '../../nodes/shared/vendors/twilioClient';

const SID = 'AC0123456789abcdef0123456789abcdef';

describe('ElevenLabs region → base URL', () => {
	it.each([
		['global', 'https://api.elevenlabs.io'],
		[undefined, 'https://api.elevenlabs.io'],
		['us', 'https://api.us.elevenlabs.io'],
		['eu', 'https://api.eu.residency.elevenlabs.io'],
		['in', 'https://api.in.residency.elevenlabs.io'],
		['sg', 'https://api.sg.residency.elevenlabs.io'],
	])('%s → %s', (region, url) => {
		expect(elevenLabsBaseUrl(region, '')).toEqual({ ok: true, value: url });
	});

	it('uses the custom URL without its trailing slash', () => {
		expect(elevenLabsBaseUrl('custom', ' http://127.0.0.1:8790/ ')).toEqual({
			ok: true,
			value: 'http://127.0.0.1:8790',
		});
		expect(elevenLabsBaseUrl('custom', 'https://proxy.example.com/elevenlabs/')).toEqual({
			ok: true,
			value: 'https://proxy.example.com/elevenlabs',
		});
	});

	it('names an unknown region and the valid ones', () => {
		const result = elevenLabsBaseUrl('mars', '');
		expect(result).toMatchObject({ ok: false, message: 'Unknown ElevenLabs region "mars"' });
		expect(!result.ok && result.hint).toContain('global, us, eu, in, sg');
		expect(elevenLabsBaseUrl('toString', '').ok).toBe(false);
	});

	it.each([
		['', 'is empty'],
		['api.elevenlabs.io', 'is not a valid URL'],
		['ftp://api.elevenlabs.io', 'must start with http:// or https://'],
		['https://user:pw@api.elevenlabs.io', 'must not contain'],
		['https://api.elevenlabs.io/?x=1', 'must not contain'],
	])('rejects the custom URL %j (%s)', (url, text) => {
		const result = normaliseBaseUrl(url, 'Base URL');
		expect(result.ok).toBe(false);
		expect(!result.ok && result.message).toContain(text);
	});
});

describe('Twilio credential fields', () => {
	it('accepts an Account SID with its auth token, and Twilio as the default host', () => {
		expect(twilioCredentialFields({ accountSid: ` ${SID} `, authToken: 'tok' })).toEqual({
			ok: true,
			value: { accountSid: SID, username: SID, password: 'tok', baseUrl: 'https://api.twilio.com' },
		});
	});

	it('authenticates with the API key when chosen, on the custom base URL', () => {
		const apiKeySid = ['SK', '0123456789abcdef0123456789abcdef'].join('');
		expect(
			twilioCredentialFields({
				authType: 'apiKey',
				accountSid: SID,
				apiKeySid,
				apiKeySecret: 'secret',
				baseUrl: 'http://127.0.0.1:9000/',
			}),
		).toEqual({
			ok: true,
			value: {
				accountSid: SID,
				username: apiKeySid,
				password: 'secret',
				baseUrl: 'http://127.0.0.1:9000',
			},
		});
	});

	it.each([
		[{ accountSid: 'SK0123456789abcdef0123456789abcdef', authToken: 't' }, 'must start with "AC"'],
		[{ accountSid: 'AC123', authToken: 't' }, 'must start with "AC"'],
		[{ accountSid: SID, authToken: '' }, 'Auth Token is empty'],
		[
			{ accountSid: SID, authType: 'apiKey', apiKeySid: 'AC1', apiKeySecret: 's' },
			'must start with "SK"',
		],
		[
			{ accountSid: SID, authToken: 'secret-token', baseUrl: 'localhost:9000' },
			'must start with http:// or https://',
		],
		[{ accountSid: SID, authToken: 'secret-token', baseUrl: 'http://' }, 'is not a valid URL'],
	])('rejects %j', (fields, text) => {
		const result = twilioCredentialFields(fields);
		expect(result.ok).toBe(false);
		expect(!result.ok && result.message).toContain(text);
		expect(JSON.stringify(result)).not.toContain('secret-token');
	});
});
