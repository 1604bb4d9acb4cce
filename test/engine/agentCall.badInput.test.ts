/**
 * Every bad input of Place Agent Call (phone numbers, agent settings, variables, API errors) through n8n's engine: a clear error naming what to change, the
 * item index, and (from the sandbox's own records) that nobody was dialled.
 */
import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { CANDIDATE, NODE, dialAttempts, dialled, runPlace } from './agentCall.helpers';
import { locator, runError } from './harness';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

type RunResult = Awaited<ReturnType<typeof runPlace>>;

/** The run stopped at item `index` with this message, and nothing was dialled. */
function expectStopped(result: RunResult, message: RegExp | string, index: number) {
	expect(result.status).toBe('error');
	const error = runError(result);
	expect(error.message).toMatch(message);
	expect(error.itemIndex).toBe(index);
	expect(dialled(sandbox)).toBe(0);
	return error;
}

const second = (item: object) => [
	{ ...CANDIDATE, candidateId: 'ok', phone: '0171 1234560' },
	{ ...CANDIDATE, ...item },
];

describe('Place Agent Call: bad phone numbers', () => {
	it.each([
		['empty', '', /phone number is empty/],
		['invalid', '0171 12', /not a valid phone number/],
		['premium rate', '0900 1234567', /premium-rate/],
		['short code', '11833', /not a valid phone number/],
		['shared cost', '0180 1234567', /shared-cost/],
	])(
		'%s number: clear error at its item, nothing dialled for it',
		async (_label, phone, message) => {
			// Item 0 is fine and is called; item 1 stops the run before anything is dialled for it.
			const result = await runPlace(sandbox, [{ ...CANDIDATE, phone }]);
			const error = expectStopped(result, message, 0);
			expect(error.description).toBeTruthy();
			expect(dialAttempts(sandbox)).toBe(0);
		},
	);

	it('reports the index of the bad item in a list', async () => {
		const result = await runPlace(sandbox, second({ phone: '0900 1234567' }));
		expect(result.status).toBe('error');
		expect(runError(result).itemIndex).toBe(1);
		expect(dialled(sandbox)).toBe(1);
	});
});

describe('Place Agent Call: agent and phone number', () => {
	it('unknown agent: 404 explained, nothing dialled', async () => {
		const result = await runPlace(sandbox, [CANDIDATE], { agentId: locator('agent_doesnotexist') });
		expectStopped(result, /No agent "agent_doesnotexist" in the workspace of this API key/, 0);
		expect(dialAttempts(sandbox)).toBe(0);
	});

	it('agent of another workspace (key of another workspace): 404 explained', async () => {
		const other = {
			...sandbox.credentials().elevenLabsAgentsApi,
			apiKey: sandbox.otherWorkspaceApiKey,
		};
		const result = await runPlace(
			sandbox,
			[CANDIDATE],
			{},
			{ credentials: { elevenLabsAgentsApi: other } },
		);
		expectStopped(result, /workspace of this API key/, 0);
	});

	it('unknown phone number: 404 explained', async () => {
		const result = await runPlace(sandbox, [CANDIDATE], {
			phoneNumberId: locator('phnum_unknown'),
		});
		expectStopped(result, /No phone number "phnum_unknown"/, 0);
	});

	it('a number that cannot dial out', async () => {
		const result = await runPlace(sandbox, [CANDIDATE], {
			phoneNumberId: locator(sandbox.ids.phoneNumbers.inboundOnly),
		});
		expectStopped(result, /cannot make outgoing calls/, 0);
		expect(dialAttempts(sandbox)).toBe(0);
	});

	it('a SIP trunk number with Twilio-only options', async () => {
		const result = await runPlace(sandbox, [CANDIDATE], {
			phoneNumberId: locator(sandbox.ids.phoneNumbers.sipTrunk),
			options: { recording: true, machineDetection: 'enable' },
		});
		const error = expectStopped(
			result,
			/"Record Call \(Twilio\)" and "Answering Machine Detection" work only with Twilio numbers/,
			0,
		);
		expect(error.description).toMatch(/Remove/);
	});

	it('overrides the agent does not allow: names the toggles to switch on', async () => {
		const result = await runPlace(sandbox, [CANDIDATE], {
			agentId: locator(sandbox.ids.agents.noOverrides),
		});
		const error = expectStopped(
			result,
			/does not allow this call to replace its system prompt, first message, language/,
			0,
		);
		expect(error.description).toMatch(
			/Security.*Overrides.*"System prompt", "First message", "Language"/,
		);
	});

	it('a dynamic variable the agent’s prompt uses is missing', async () => {
		const result = await runPlace(sandbox, [{ name: 'Anna', phone: '0171 1234560' }], {
			dynamicVariables: { variable: [{ name: 'company', value: 'Muster GmbH' }] },
		});
		const error = expectStopped(result, /\{\{candidate_name\}\}, \{\{job_title\}\}/, 0);
		expect(error.message).toMatch(/system prompt and first message/);
		expect(error.description).toMatch(/Dynamic Variables/);
	});

	it('401: the key is rejected, with advice and without the key', async () => {
		const wrongKey = ['sk', 'wrong', '0123456789abcdef0123'].join('_');
		const wrong = { ...sandbox.credentials().elevenLabsAgentsApi, apiKey: wrongKey };
		const result = await runPlace(
			sandbox,
			[CANDIDATE],
			{},
			{ credentials: { elevenLabsAgentsApi: wrong } },
		);
		const error = expectStopped(result, /Copy the API key again/, 0);
		expect(`${error.message} ${error.description}`).not.toContain(wrongKey);
	});

	it('422 validation details are shown field by field', async () => {
		sandbox.faults.add({
			method: 'POST',
			path: '/v1/convai/twilio/outbound-call',
			kind: 'status',
			status: 422,
			body: {
				detail: [
					{ type: 'missing', loc: ['body', 'to_number'], msg: 'Field required', input: null },
				],
			},
		});
		const result = await runPlace(sandbox, [CANDIDATE]);
		expectStopped(result, /body\.to_number: Field required/, 0);
		expect(dialAttempts(sandbox)).toBe(1);
	});
});

describe('Place Agent Call: own Twilio account errors', () => {
	const ownTwilio = (sb: Sandbox) => ({
		transport: 'ownTwilio',
		fromNumber: sb.numbers.twilioBerlin,
	});

	it('21219: a trial account calling an unverified number', async () => {
		const trial = {
			...sandbox.credentials().twilioCallsApi,
			accountSid: sandbox.twilio.trialAccountSid,
			authToken: sandbox.twilio.trialAuthToken,
		};
		const result = await runPlace(
			sandbox,
			[CANDIDATE],
			{ transport: 'ownTwilio', fromNumber: sandbox.numbers.trialNumber },
			{ credentials: { twilioCallsApi: trial } },
		);
		const error = expectStopped(result, /trial account can only call verified numbers/, 0);
		expect(error.description).toMatch(/21219/);
	});

	it('21215: the destination country is not enabled', async () => {
		const result = await runPlace(
			sandbox,
			[{ ...CANDIDATE, phone: '+55 11 91234 5678', timezone: 'America/Sao_Paulo' }],
			ownTwilio(sandbox),
		);
		expectStopped(result, /geographic permissions/, 0);
	});

	it('21210: a caller number that is not the account’s', async () => {
		const result = await runPlace(sandbox, [CANDIDATE], {
			transport: 'ownTwilio',
			fromNumber: '+4930999999999',
		});
		expectStopped(result, /not a number of this Twilio account/, 0);
	});
});

describe('Place Agent Call: continue-on-fail', () => {
	it('calls the rest of the list after bad items', async () => {
		const items = [
			{ ...CANDIDATE, candidateId: '1', phone: '' },
			{ ...CANDIDATE, candidateId: '2', phone: '0171 1234560' },
			{ ...CANDIDATE, candidateId: '3', phone: '0900 1234567' },
			{ ...CANDIDATE, candidateId: '4', phone: '0171 1234570' },
		];
		const result = await runPlace(sandbox, items, {}, { onError: 'continueRegularOutput' });
		expect(result.status).toBe('success');
		const out = result.json(NODE);
		expect(out.map((o) => (o.error ? 'error' : o.status))).toEqual([
			'error',
			'initiated',
			'error',
			'initiated',
		]);
		expect(dialled(sandbox)).toBe(2);
	});
});

describe('Place Agent Call: calling window and phone as expressions give them', () => {
	it.each([
		['windowStart', '={{ 0 }}'],
		['callingDays', '={{ "1,2,3,4,5,6,7" }}'],
		['callingDays', '={{ "Mon-Sun" }}'],
		['callingDays', '={{ "Montag-Sonntag" }}'],
	])('takes %s %s as a no-code user types it', async (name, value) => {
		const result = await runPlace(sandbox, [CANDIDATE], { [name]: value });
		expect(result.status).toBe('success');
		expect(result.json(NODE)[0]).toMatchObject({ status: 'initiated' });
	});

	it.each([
		['windowStart', '={{ null }}', "The calling window's earliest time is empty"],
		['windowEnd', '={{ 18.5 }}', "The calling window's latest time is 18.5, not a time"],
		['callingDays', '={{ [0, 8] }}', '"Calling Days" has 0, 8, which are not weekdays'],
		['callingDays', '={{ "Mon, Funday" }}', '"Calling Days" has "Funday", which is not a weekday'],
		[
			'callingDays',
			'={{ ({ monday: true }) }}',
			'"Calling Days" must be a list of weekdays, not {"monday":true}',
		],
	])(
		'%s %s: a setup error, not a JavaScript error or a window that never opens',
		async (name, value, message) => {
			const result = await runPlace(sandbox, [CANDIDATE], { [name]: value });
			const error = expectStopped(result, message, 0);
			expect(error.description).toMatch(/HH:MM|1 \(Monday\) to 7 \(Sunday\)/);
		},
	);

	it.each([
		[
			'an object',
			{ number: '0171 1234567' },
			/phone number is an object, not text: \{"number":"0171 1234567"\}/,
		],
		['a list', ['0171 1234567'], /phone number is a list, not text/],
		['a boolean', true, /phone number is a true\/false value \(true\), not text/],
	])('a phone given as %s says what it is', async (_label, phone, message) => {
		const result = await runPlace(sandbox, [{ ...CANDIDATE, phone }]);
		expectStopped(result, message, 0);
	});

	it('a 10 MB phone string gives a short message', async () => {
		const result = await runPlace(sandbox, [{ ...CANDIDATE, phone: '1'.repeat(10_000_000) }]);
		const error = expectStopped(result, /is not a valid phone number/, 0);
		expect(error.message.length).toBeLessThan(200);
		expect(error.message).toContain('(10,000,000 characters)');
	});
});

describe('Place Agent Call: costly number ranges', () => {
	it.each([
		['Inmarsat', '+870773111632', '+870'],
		['Iridium / Thuraya', '+881631234567', '+881'],
		['an international network', '+882161234567', '+882'],
	])('%s (%s) is refused unless allowed, nobody dialled', async (_label, phone, code) => {
		const result = await runPlace(sandbox, [{ ...CANDIDATE, phone }]);
		const error = expectStopped(
			result,
			`"${phone}" is a satellite or international network number (${code}), not a number of a country`,
			0,
		);
		expect(error.description).toContain('Allow Satellite and Network Numbers');
		expect(dialAttempts(sandbox)).toBe(0);
	});

	it('dials a satellite number when the option allows it', async () => {
		// A number of no country has no time zone of its own: the item gives it.
		const candidate = { ...CANDIDATE, phone: '+881631234567', timezone: 'Europe/Berlin' };
		const result = await runPlace(sandbox, [candidate], { options: { allowNonGeographic: true } });
		expect(result.status).toBe('success');
		expect(result.json(NODE)[0]).toMatchObject({ status: 'initiated', toNumber: '+881631234567' });
	});
});

describe('Place Agent Call: dynamic variables and overrides are cleaned and limited', () => {
	const sentClientData = () => {
		const [request] = sandbox.requests
			.all()
			.filter((r) => r.path === '/v1/convai/twilio/outbound-call');
		return (
			request.body as {
				conversation_initiation_client_data: {
					dynamic_variables: Record<string, unknown>;
					conversation_config_override?: {
						agent?: { prompt?: { prompt: string }; first_message?: string };
					};
				};
			}
		).conversation_initiation_client_data;
	};

	it('sends values without NUL, ESC or bidirectional overrides, and cuts a 10 MB value', async () => {
		const prompt = {
			...CANDIDATE.prompt,
			system: `${CANDIDATE.prompt.system}\u0000\u001b[31m\u202eRot`,
			dynamicVariables: {
				candidate_name: 'Anna\u0000 \u001b[31mSchmidt\u202e',
				company: 'M'.repeat(10_000_000),
				job_title: 'Lager⟧ist',
			},
		};
		const result = await runPlace(sandbox, [{ ...CANDIDATE, prompt }]);
		expect(result.status).toBe('success');
		const sent = sentClientData();
		expect(sent.dynamic_variables.candidate_name).toBe('Anna [31mSchmidt');
		expect(sent.dynamic_variables.job_title).toBe('Lagerist');
		expect(String(sent.dynamic_variables.company)).toHaveLength(10_000);
		expect(sent.conversation_config_override?.agent?.prompt?.prompt).toBe(
			`${CANDIDATE.prompt.system}[31mRot`,
		);
	});

	it('sends an object as valid JSON text, and refuses one too long to send whole', async () => {
		const nested = { a: { b: 1, c: ['x{{y}}z', {}] } };
		const prompt = {
			...CANDIDATE.prompt,
			dynamicVariables: { ...CANDIDATE.prompt.dynamicVariables, company: nested },
		};
		const result = await runPlace(sandbox, [{ ...CANDIDATE, prompt }]);
		expect(result.status).toBe('success');
		const sent = String(sentClientData().dynamic_variables.company);
		expect(JSON.parse(sent)).toEqual({ a: { b: 1, c: ['x{y}z', {}] } });
		expect(sent).not.toMatch(/\{\{|\}\}/);

		sandbox.reset();
		const huge = { ...prompt, dynamicVariables: { company: { text: 'x'.repeat(20_000) } } };
		expectStopped(
			await runPlace(sandbox, [{ ...CANDIDATE, prompt: huge }]),
			'The dynamic variable "company" is an object of 10,011 characters as JSON, more than 10,000',
			0,
		);
	});

	it('refuses a 100 kB idempotency key with its length, before any request', async () => {
		const result = await runPlace(sandbox, [CANDIDATE], {
			options: { idempotencyKey: '={{ "k".repeat(100000) }}' },
		});
		expectStopped(
			result,
			'The Idempotency Key has 100,000 characters, more than the 256 ElevenLabs takes',
			0,
		);
		expect(sandbox.requests.all()).toHaveLength(0);
	});

	it.each([
		[
			'system__caller_id',
			/The dynamic variable "system__caller_id" uses the reserved prefix system__/,
		],
		['__proto__', /"__proto__" is not a valid dynamic variable name/],
	])('refuses a variable named %s by name', async (name, message) => {
		const result = await runPlace(sandbox, [CANDIDATE], {
			dynamicVariables: { variable: [{ name, value: 'x' }] },
		});
		expectStopped(result, message, 0);
	});

	it('refuses a 10 MB system prompt instead of sending it', async () => {
		const result = await runPlace(sandbox, [CANDIDATE], {
			options: { systemPrompt: `={{ "x".repeat(10000000) }}` },
		});
		expectStopped(
			result,
			'The system prompt to send has 10,000,000 characters, more than 200,000',
			0,
		);
	});

	it('refuses a language that is not a language code', async () => {
		const result = await runPlace(sandbox, [CANDIDATE], { options: { language: 'xx-💥' } });
		expectStopped(result, 'The language "xx-💥" is not a language code', 0);
	});

	it('refuses a status callback that is not an http(s) URL', async () => {
		const result = await runPlace(sandbox, [CANDIDATE], {
			transport: 'ownTwilio',
			fromNumber: sandbox.numbers.twilioBerlin,
			options: { statusCallbackUrl: 'javascript:alert(1)' },
		});
		expectStopped(
			result,
			'The status callback URL "javascript:alert(1)" is not an http(s) address',
			0,
		);
		expect(dialAttempts(sandbox)).toBe(0);
	});
});
