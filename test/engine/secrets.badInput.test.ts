/**
 * A vendor that echoes the credential back in another form (upper case, base64, only its
 * beginning, the HTTP Basic header of Twilio's sid:token): no form reaches the error a user sees.
 */
import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { CANDIDATE, runPlace } from './agentCall.helpers';
import { runError } from './harness';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

/** Every form of a secret that a message must not hold. */
function formsOf(secret: string): string[] {
	const base64 = Buffer.from(secret).toString('base64');
	return [
		secret,
		secret.toUpperCase(),
		secret.toLowerCase(),
		base64,
		base64.replace(/=+$/, ''),
		secret.slice(0, 16),
	];
}

describe('echoed secrets', () => {
	it.each([
		['upper-cased', (key: string) => key.toUpperCase()],
		['base64', (key: string) => Buffer.from(key).toString('base64')],
		['cut to its first 16 characters', (key: string) => `${key.slice(0, 16)}…`],
	])('an ElevenLabs key echoed %s stays out of the error', async (_label, echo) => {
		const key = sandbox.apiKey;
		sandbox.faults.add({
			method: 'GET',
			path: '/v1/convai/agents',
			kind: 'status',
			status: 401,
			body: { detail: { status: 'invalid_api_key', message: `Invalid API key: ${echo(key)}` } },
		});
		const result = await runPlace(sandbox, [CANDIDATE]);
		expect(result.status).toBe('error');
		const error = runError(result);
		const shown = `${error.message}\n${error.description}`;
		for (const form of formsOf(key)) expect(shown).not.toContain(form);
		expect(shown).toContain('[redacted]');
	});

	it('Twilio’s sid:token echoed as an HTTP Basic header stays out of the error', async () => {
		const { accountSid, authToken } = sandbox.credentials().twilioCallsApi;
		const basic = Buffer.from(`${accountSid}:${authToken}`).toString('base64');
		sandbox.faults.add({
			method: 'POST',
			path: /\/Calls\.json$/,
			kind: 'status',
			status: 400,
			body: {
				code: 21210,
				message: `Request with Authorization: Basic ${basic} refused`,
				status: 400,
			},
		});
		const result = await runPlace(sandbox, [CANDIDATE], {
			transport: 'ownTwilio',
			fromNumber: sandbox.numbers.twilioBerlin,
		});
		const error = runError(result);
		const shown = `${error.message}\n${error.description}`;
		expect(shown).toContain('Basic [redacted]');
		for (const form of [...formsOf(authToken ?? ''), basic]) expect(shown).not.toContain(form);
	});
});
