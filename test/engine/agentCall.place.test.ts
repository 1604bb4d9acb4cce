/**
 * Place Agent Call through n8n's engine against the sandbox: every transport, the output, the
 * calling window relative to the real clock, continue-on-fail, and that the key is never shown.
 */
import { DateTime } from 'luxon';

import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { conversationStore } from '../../sandbox/conversations';
import { CANDIDATE, CANDIDATES, NODE, dialAttempts, dialled, runPlace } from './agentCall.helpers';
import { locator } from './harness';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

describe('Place Agent Call: transports', () => {
	it('dials through ElevenLabs’ Twilio integration with the item’s prompt, variables and key', async () => {
		const result = await runPlace(sandbox, [CANDIDATE]);
		expect(result.status).toBe('success');
		const [out] = result.json(NODE);
		expect(out).toMatchObject({
			name: 'Anna Schmidt',
			status: 'initiated',
			toNumber: '+4917112345601',
			transport: 'twilio',
			conversationId: expect.stringMatching(/^conv_/),
			callSid: expect.stringMatching(/^CA[0-9a-f]{32}$/),
			idempotencyKey: expect.stringMatching(/^vr1_[0-9a-f]{32}$/),
			placedAt: expect.any(String),
		});
		expect(result.output(NODE)[0].pairedItem).toEqual({ item: 0 });
		const [request] = sandbox.requests
			.all()
			.filter((r) => r.path === '/v1/convai/twilio/outbound-call');
		expect(request.body).toMatchObject({
			agent_id: sandbox.ids.agents.recruitingDe,
			agent_phone_number_id: sandbox.ids.phoneNumbers.twilioDe,
			to_number: '+4917112345601',
			conversation_initiation_client_data: {
				user_id: out.idempotencyKey,
				dynamic_variables: CANDIDATE.prompt.dynamicVariables,
				conversation_config_override: {
					agent: {
						first_message: 'Hallo {{candidate_name}}!',
						language: 'de',
						prompt: { prompt: CANDIDATE.prompt.system },
					},
				},
			},
		});
		const conversation = conversationStore(sandbox).get(String(out.conversationId));
		expect(conversation).toMatchObject({ userId: out.idempotencyKey, status: 'initiated' });
		// One agent lookup and one phone-number lookup, one dial.
		expect(
			sandbox.requests.count('GET', `/v1/convai/agents/${sandbox.ids.agents.recruitingDe}`),
		).toBe(1);
		expect(dialAttempts(sandbox)).toBe(1);
	});

	it('dials a SIP trunk number through the SIP endpoint, never the Twilio one', async () => {
		const result = await runPlace(sandbox, [CANDIDATE], {
			phoneNumberId: locator(sandbox.ids.phoneNumbers.sipTrunk),
			options: { ringingTimeout: 30 },
		});
		expect(result.status).toBe('success');
		expect(result.json(NODE)[0]).toMatchObject({
			status: 'initiated',
			transport: 'sip_trunk',
			sipCallId: expect.any(String),
		});
		expect(sandbox.requests.count('POST', '/v1/convai/twilio/outbound-call')).toBe(0);
		const [request] = sandbox.requests
			.all()
			.filter((r) => r.path === '/v1/convai/sip-trunk/outbound-call');
		expect(request.body).toMatchObject({ telephony_call_config: { ringing_timeout_secs: 30 } });
	});

	it('dials with the team’s own Twilio account using the TwiML of register-call', async () => {
		const result = await runPlace(sandbox, [CANDIDATE], {
			transport: 'ownTwilio',
			fromNumber: sandbox.numbers.twilioBerlin,
			options: {
				machineDetection: 'enable',
				statusCallbackUrl: 'https://n8n.example.com/webhook/status',
			},
		});
		expect(result.status).toBe('success');
		const [out] = result.json(NODE);
		expect(out).toMatchObject({
			status: 'initiated',
			transport: 'own_twilio',
			callSid: expect.stringMatching(/^CA/),
		});
		const register = sandbox.requests
			.all()
			.find((r) => r.path === '/v1/convai/twilio/register-call');
		expect(register?.body).toMatchObject({
			direction: 'outbound',
			to_number: '+4917112345601',
			from_number: sandbox.numbers.twilioBerlin,
		});
		const create = sandbox.requests.all().find((r) => /\/Calls\.json$/.test(r.path));
		expect(create?.body).toMatchObject({
			To: '+4917112345601',
			From: sandbox.numbers.twilioBerlin,
			MachineDetection: 'Enable',
			StatusCallback: 'https://n8n.example.com/webhook/status',
			Twiml: expect.stringContaining('<Connect>'),
		});
		// Twilio connected the call to the agent: the conversation carries the key.
		expect(conversationStore(sandbox).list({ userId: String(out.idempotencyKey) })).toHaveLength(1);
	});
});

describe('Place Agent Call: many candidates', () => {
	it('calls each item once, in order, paired to its input', async () => {
		const result = await runPlace(sandbox, CANDIDATES);
		const out = result.json(NODE);
		expect(out.map((o) => o.toNumber)).toEqual([
			'+4917112345610',
			'+4917112345620',
			'+4917112345630',
		]);
		expect(result.output(NODE).map((o) => o.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
		]);
		expect(new Set(out.map((o) => o.idempotencyKey)).size).toBe(3);
		expect(dialled(sandbox)).toBe(3);
		// The agent is looked up once per execution, not per item.
		expect(
			sandbox.requests.count('GET', `/v1/convai/agents/${sandbox.ids.agents.recruitingDe}`),
		).toBe(1);
	});

	it('with continue-on-fail, a bad item gets its error and the rest are still called', async () => {
		const items = [
			{ ...CANDIDATE, candidateId: 'a', phone: '0171 1234560' },
			{ ...CANDIDATE, candidateId: 'b', phone: '0900 1234567' },
			{ ...CANDIDATE, candidateId: 'c', phone: '0171 1234570' },
		];
		const result = await runPlace(sandbox, items, {}, { onError: 'continueRegularOutput' });
		const out = result.json(NODE);
		expect(out.map((o) => o.status ?? 'error')).toEqual(['initiated', 'error', 'initiated']);
		expect(out[1]).toMatchObject({
			candidateId: 'b',
			error: expect.stringContaining('premium-rate'),
		});
		expect(result.output(NODE)[1].pairedItem).toEqual({ item: 1 });
		expect(dialled(sandbox)).toBe(2);
	});
});

describe('Place Agent Call: calling window (real clock)', () => {
	it('does not call outside the window and says when it opens', async () => {
		const berlin = DateTime.now().setZone('Europe/Berlin');
		const otherDays = [1, 2, 3, 4, 5, 6, 7].filter((d) => d !== berlin.weekday);
		const result = await runPlace(sandbox, [CANDIDATE], { callingDays: otherDays });
		const [out] = result.json(NODE);
		expect(out).toMatchObject({
			status: 'outside_window',
			reason: expect.stringContaining('is not a calling day'),
		});
		const next = DateTime.fromISO(String(out.nextWindowStart), { setZone: true });
		expect(next.toMillis()).toBeGreaterThan(Date.now());
		expect(next.setZone('Europe/Berlin').toFormat('HH:mm')).toBe('00:00');
		expect(next.setZone('Europe/Berlin').weekday).toBe((berlin.weekday % 7) + 1);
		expect(dialAttempts(sandbox)).toBe(0);
	});

	it('uses the item’s time zone', async () => {
		const tokyo = DateTime.now().setZone('Asia/Tokyo');
		const result = await runPlace(sandbox, [{ ...CANDIDATE, timezone: 'Asia/Tokyo' }], {
			callingDays: [1, 2, 3, 4, 5, 6, 7].filter((d) => d !== tokyo.weekday),
		});
		expect(result.json(NODE)[0]).toMatchObject({
			status: 'outside_window',
			reason: expect.stringContaining('Asia/Tokyo'),
		});
		expect(dialAttempts(sandbox)).toBe(0);
	});

	it('is on by default', async () => {
		const result = await runPlace(sandbox, [CANDIDATE], {
			useCallingWindow: undefined,
			callingDays: undefined,
			windowStart: undefined,
			windowEnd: undefined,
			windowOptions: undefined,
		});
		const [out] = result.json(NODE);
		const berlin = DateTime.now().setZone('Europe/Berlin');
		const open = berlin.weekday <= 5 && berlin.hour >= 9 && berlin.hour < 18;
		// Holidays aside, the default is Mon–Fri 09:00–18:00 Berlin time.
		if (!open) expect(out.status).toBe('outside_window');
		else expect(['initiated', 'outside_window']).toContain(out.status);
		expect(dialled(sandbox)).toBe(out.status === 'initiated' ? 1 : 0);
	});
});

describe('Place Agent Call: secrets', () => {
	it('never shows the API key in output or errors', async () => {
		const result = await runPlace(
			sandbox,
			[CANDIDATE, { ...CANDIDATE, phone: '' }],
			{},
			{ onError: 'continueRegularOutput' },
		);
		expect(JSON.stringify(result.json(NODE))).not.toContain(sandbox.apiKey);
	});
});
