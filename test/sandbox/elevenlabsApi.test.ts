/** The ElevenLabs side of the sandbox, driven with the real SDK over HTTP. */
import { ElevenLabs, ElevenLabsError } from '@elevenlabs/elevenlabs-js';
import * as schemas from '@elevenlabs/elevenlabs-js/serialization';

import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { parseBody } from '../../sandbox/validation';
import { elevenLabs, rawFetch } from './helpers';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox();
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(() => sandbox.reset());

/** The SDK error a call ends with (fails the test when it succeeds or throws something else). */
async function failure(promise: Promise<unknown>): Promise<ElevenLabsError> {
	const error: unknown = await promise.then(
		() => undefined,
		(caught: unknown) => caught,
	);
	expect(error).toBeInstanceOf(ElevenLabsError);
	return error as ElevenLabsError;
}

describe('agents', () => {
	it('returns the German recruiting agent with prompt, overrides and concurrency limit', async () => {
		const agent = await elevenLabs(sandbox).conversationalAi.agents.get(
			sandbox.ids.agents.recruitingDe,
		);
		const config = agent.conversationConfig.agent!;
		expect(config.language).toBe('de');
		expect(config.prompt?.prompt).toContain('{{candidate_name}}');
		expect(config.prompt?.prompt).toContain('{{job_title}}');
		expect(config.firstMessage).toContain('{{company}}');
		expect(config.dynamicVariables).toEqual({ dynamic_variable_placeholders: {} });
		const overrides = agent.platformSettings?.overrides?.conversationConfigOverride?.agent;
		expect(overrides).toMatchObject({
			firstMessage: true,
			language: true,
			prompt: { prompt: true },
		});
		expect(agent.platformSettings?.callLimits?.agentConcurrencyLimit).toBe(5);
		expect(agent.phoneNumbers?.map((number) => number.phoneNumberId).sort()).toEqual(
			[sandbox.ids.phoneNumbers.twilioDe, sandbox.ids.phoneNumbers.sipTrunk].sort(),
		);
	});

	it('has an agent with every override off and a bare agent with an empty prompt', async () => {
		const client = elevenLabs(sandbox);
		const locked = await client.conversationalAi.agents.get(sandbox.ids.agents.noOverrides);
		const toggles = locked.platformSettings?.overrides?.conversationConfigOverride?.agent;
		expect(toggles).toMatchObject({
			firstMessage: false,
			language: false,
			prompt: { prompt: false },
		});
		const bare = await client.conversationalAi.agents.get(sandbox.ids.agents.bare);
		expect(bare.conversationConfig.agent?.prompt?.prompt).toBe('');
		expect(bare.phoneNumbers).toEqual([]);
	});

	it('answers on the wire exactly what the SDK schema produces (snake_case, no extra keys)', async () => {
		const response = await rawFetch(
			sandbox,
			`/v1/convai/agents/${sandbox.ids.agents.recruitingDe}`,
		);
		const wire = (await response.json()) as Record<string, unknown>;
		expect(Object.keys(wire)).toEqual(
			expect.arrayContaining(['agent_id', 'conversation_config', 'platform_settings']),
		);
		const strict = schemas.GetAgentResponseModel.parse(wire, { unrecognizedObjectKeys: 'fail' });
		expect(strict.ok).toBe(true);
	});

	it('lists the workspace agents newest first, pages with a cursor and searches by name', async () => {
		const client = elevenLabs(sandbox);
		const first = await client.conversationalAi.agents.list({ pageSize: 2 });
		expect(first.agents.map((agent) => agent.agentId)).toEqual([
			sandbox.ids.agents.bare,
			sandbox.ids.agents.noOverrides,
		]);
		expect(first.hasMore).toBe(true);
		const second = await client.conversationalAi.agents.list({
			pageSize: 2,
			cursor: first.nextCursor,
		});
		expect(second.agents.map((agent) => agent.agentId)).toEqual([sandbox.ids.agents.recruitingDe]);
		expect(second.hasMore).toBe(false);
		expect(second.nextCursor).toBeUndefined();
		const found = await client.conversationalAi.agents.list({ search: 'OHNE overrides' });
		expect(found.agents.map((agent) => agent.agentId)).toEqual([sandbox.ids.agents.noOverrides]);
		const byName = await client.conversationalAi.agents.list({
			sortBy: 'name',
			sortDirection: 'asc',
		});
		expect(byName.agents[0].name).toBe('New agent');
	});

	it("never lists another workspace's agents", async () => {
		const main = await elevenLabs(sandbox).conversationalAi.agents.list();
		expect(main.agents.map((agent) => agent.agentId)).not.toContain(
			sandbox.ids.agents.otherWorkspace,
		);
		const other = await elevenLabs(
			sandbox,
			sandbox.otherWorkspaceApiKey,
		).conversationalAi.agents.list();
		expect(other.agents.map((agent) => agent.agentId)).toEqual([sandbox.ids.agents.otherWorkspace]);
	});

	it("answers 404 document_not_found for an unknown agent and for another workspace's agent", async () => {
		const client = elevenLabs(sandbox);
		for (const id of ['agent_doesnotexist0000000000000', sandbox.ids.agents.otherWorkspace]) {
			const error = await failure(client.conversationalAi.agents.get(id));
			expect(error.statusCode).toBe(404);
			expect(error.body).toMatchObject({ detail: { status: 'document_not_found' } });
		}
		const fromOther = await failure(
			elevenLabs(sandbox, sandbox.otherWorkspaceApiKey).conversationalAi.agents.get(
				sandbox.ids.agents.recruitingDe,
			),
		);
		expect(fromOther.statusCode).toBe(404);
	});

	it('updates an agent partially: nested objects merge, lists are replaced', async () => {
		const client = elevenLabs(sandbox);
		const id = sandbox.ids.agents.recruitingDe;
		// Attached documents must exist (test/sandbox/knowledgeBase.test.ts).
		const faq = await client.conversationalAi.knowledgeBase.documents.createFromText({
			text: 'FAQ',
			name: 'FAQ',
		});
		const jobs = await client.conversationalAi.knowledgeBase.documents.createFromText({
			text: 'Jobs',
			name: 'Jobs',
		});
		await client.conversationalAi.agents.update(id, {
			conversationConfig: {
				agent: { prompt: { knowledgeBase: [{ type: 'text', name: 'FAQ', id: faq.id }] } },
			},
		});
		const updated = await client.conversationalAi.agents.update(id, {
			conversationConfig: {
				agent: {
					firstMessage: 'Guten Tag {{candidate_name}}',
					prompt: { knowledgeBase: [{ type: 'text', name: 'Jobs', id: jobs.id }] },
				},
			},
			platformSettings: {
				overrides: { conversationConfigOverride: { agent: { language: false } } },
			},
		});
		const agent = updated.conversationConfig.agent!;
		expect(agent.firstMessage).toBe('Guten Tag {{candidate_name}}');
		expect(agent.prompt?.prompt).toContain('{{job_title}}'); // untouched sibling kept
		expect(agent.prompt?.knowledgeBase).toEqual([{ type: 'text', name: 'Jobs', id: jobs.id }]);
		const toggles = updated.platformSettings?.overrides?.conversationConfigOverride?.agent;
		expect(toggles).toMatchObject({
			language: false,
			firstMessage: true,
			prompt: { prompt: true },
		});
		const again = await client.conversationalAi.agents.get(id);
		expect(again.conversationConfig.agent?.firstMessage).toBe('Guten Tag {{candidate_name}}');
	});

	it('refuses writes with a read-only key (403 missing_permissions) and changes nothing', async () => {
		const error = await failure(
			elevenLabs(sandbox, sandbox.readOnlyApiKey).conversationalAi.agents.update(
				sandbox.ids.agents.bare,
				{ name: 'x' },
			),
		);
		expect(error.statusCode).toBe(403);
		expect(error.body).toEqual({
			detail: {
				status: 'missing_permissions',
				message:
					'The API key you used is missing the permission convai_write to execute this operation.',
			},
		});
		expect(sandbox.state.agents.get(sandbox.ids.agents.bare)?.agent.name).toBe('New agent');
		const read = await elevenLabs(sandbox, sandbox.readOnlyApiKey).conversationalAi.agents.get(
			sandbox.ids.agents.bare,
		);
		expect(read.name).toBe('New agent');
	});
});

describe('phone numbers', () => {
	it('lists the workspace numbers as a union on provider, filtered by provider and agent', async () => {
		const client = elevenLabs(sandbox);
		const all = await client.conversationalAi.phoneNumbers.list();
		expect(all.map((number) => [number.phoneNumberId, number.provider])).toEqual([
			[sandbox.ids.phoneNumbers.twilioDe, 'twilio'],
			[sandbox.ids.phoneNumbers.sipTrunk, 'sip_trunk'],
			[sandbox.ids.phoneNumbers.inboundOnly, 'twilio'],
		]);
		const sip = await client.conversationalAi.phoneNumbers.list({ provider: 'sip_trunk' });
		expect(sip).toHaveLength(1);
		expect(sip[0].provider === 'sip_trunk' && sip[0].outboundTrunk?.address).toBe(
			'sip.carrier.example.de',
		);
		const assigned = await client.conversationalAi.phoneNumbers.list({
			agentId: sandbox.ids.agents.recruitingDe,
		});
		expect(assigned.map((number) => number.phoneNumberId).sort()).toEqual(
			[sandbox.ids.phoneNumbers.twilioDe, sandbox.ids.phoneNumbers.sipTrunk].sort(),
		);
	});

	it('gets one number; the inbound-only number cannot dial out', async () => {
		const client = elevenLabs(sandbox);
		const twilioNumber = await client.conversationalAi.phoneNumbers.get(
			sandbox.ids.phoneNumbers.twilioDe,
		);
		expect(twilioNumber).toMatchObject({
			provider: 'twilio',
			phoneNumber: sandbox.numbers.twilioBerlin,
			supportsOutbound: true,
			assignedAgent: {
				agentId: sandbox.ids.agents.recruitingDe,
				agentName: 'Recruiting Vorgespräch (DE)',
			},
		});
		const inbound = await client.conversationalAi.phoneNumbers.get(
			sandbox.ids.phoneNumbers.inboundOnly,
		);
		expect(inbound.supportsOutbound).toBe(false);
		const error = await failure(
			client.conversationalAi.phoneNumbers.get(sandbox.ids.phoneNumbers.otherWorkspace),
		);
		expect(error.statusCode).toBe(404);
	});

	it("shows the assigned agent's current name after a rename", async () => {
		const client = elevenLabs(sandbox);
		await client.conversationalAi.agents.update(sandbox.ids.agents.recruitingDe, {
			name: 'Screening Pflege',
		});
		const number = await client.conversationalAi.phoneNumbers.get(
			sandbox.ids.phoneNumbers.twilioDe,
		);
		expect(number.assignedAgent?.agentName).toBe('Screening Pflege');
	});
});

describe('authentication', () => {
	it('answers 401 needs_authorization without a key', async () => {
		const response = await rawFetch(sandbox, '/v1/convai/agents', { apiKey: null });
		expect(response.status).toBe(401);
		expect(await response.json()).toMatchObject({ detail: { status: 'needs_authorization' } });
	});

	it('answers 401 invalid_api_key for a wrong key, through the SDK', async () => {
		const error = await failure(elevenLabs(sandbox, 'sk_wrong').conversationalAi.agents.list());
		expect(error.statusCode).toBe(401);
		expect(error.body).toEqual({
			detail: { status: 'invalid_api_key', message: 'Invalid API key' },
		});
	});

	it('routes before it authenticates: unknown paths are 404, wrong methods 405', async () => {
		const unknown = await rawFetch(sandbox, '/v1/convai/nothing-here', { apiKey: null });
		expect(unknown.status).toBe(404);
		expect(await unknown.json()).toEqual({ detail: 'Not Found' });
		const wrongMethod = await rawFetch(sandbox, '/v1/convai/agents', { method: 'DELETE' });
		expect(wrongMethod.status).toBe(405);
		expect(await wrongMethod.json()).toEqual({ detail: 'Method Not Allowed' });
		expect(wrongMethod.headers.get('allow')).toContain('GET');
	});
});

describe('validation in FastAPI shape', () => {
	it('rejects a misspelt nested field with 422 extra_forbidden, which the SDK surfaces as UnprocessableEntityError', async () => {
		const response = await rawFetch(sandbox, `/v1/convai/agents/${sandbox.ids.agents.bare}`, {
			method: 'PATCH',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ conversation_config: { agent: { first_mesage: 'Hallo' } } }),
		});
		expect(response.status).toBe(422);
		expect(await response.json()).toEqual({
			detail: [
				{
					type: 'extra_forbidden',
					loc: ['body', 'conversation_config', 'agent', 'first_mesage'],
					msg: 'Extra inputs are not permitted',
					input: 'Hallo',
				},
			],
		});
		const badEnum = await rawFetch(sandbox, `/v1/convai/agents/${sandbox.ids.agents.bare}`, {
			method: 'PATCH',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ conversation_config: { agent: { prompt: { llm: 'not-a-model' } } } }),
		});
		expect(await badEnum.json()).toMatchObject({
			detail: [
				{
					type: 'enum',
					loc: ['body', 'conversation_config', 'agent', 'prompt', 'llm'],
					input: 'not-a-model',
				},
			],
		});
		expect(
			sandbox.state.agents.get(sandbox.ids.agents.bare)?.agent.conversationConfig.agent?.prompt
				?.llm,
		).toBe('gemini-2.5-flash');
		// The SDK validates its own bodies, so reach a 422 through it with a query parameter.
		const error = await failure(
			elevenLabs(sandbox).conversationalAi.agents.list({ pageSize: 500 }),
		);
		expect(error).toBeInstanceOf(ElevenLabs.UnprocessableEntityError);
		expect(error.body).toMatchObject({
			detail: [{ type: 'less_than_equal', loc: ['query', 'page_size'] }],
		});
	});

	it('reports wrong types and invalid JSON like pydantic, with the location of each error', async () => {
		const nestedList = await rawFetch(sandbox, `/v1/convai/agents/${sandbox.ids.agents.bare}`, {
			method: 'PATCH',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ conversation_config: { agent: { prompt: { tool_ids: 'tool_1' } } } }),
		});
		expect(await nestedList.json()).toEqual({
			detail: [
				{
					type: 'list_type',
					loc: ['body', 'conversation_config', 'agent', 'prompt', 'tool_ids'],
					msg: 'Input should be a valid list',
					input: 'tool_1',
				},
			],
		});
		const wrongType = await rawFetch(sandbox, `/v1/convai/agents/${sandbox.ids.agents.bare}`, {
			method: 'PATCH',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ name: 42, tags: 'x' }),
		});
		expect(((await wrongType.json()) as { detail: unknown }).detail).toEqual([
			{
				type: 'string_type',
				loc: ['body', 'name'],
				msg: 'Input should be a valid string',
				input: 42,
			},
			{ type: 'list_type', loc: ['body', 'tags'], msg: 'Input should be a valid list', input: 'x' },
		]);
		const broken = await rawFetch(sandbox, `/v1/convai/agents/${sandbox.ids.agents.bare}`, {
			method: 'PATCH',
			headers: { 'content-type': 'application/json' },
			body: '{"name": ',
		});
		expect(broken.status).toBe(422);
		expect(await broken.json()).toMatchObject({
			detail: [{ type: 'json_invalid', msg: 'JSON decode error' }],
		});
	});

	it('answers a request that names the phone number `agent_phone_number` (instead of `agent_phone_number_id`) on the outbound-call route exactly as ElevenLabs did, dialling nothing', async () => {
		const response = await rawFetch(sandbox, '/v1/convai/twilio/outbound-call', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				agent_id: sandbox.ids.agents.recruitingDe,
				agent_phone_number: sandbox.ids.phoneNumbers.twilioDe,
				to_number: '+4917112345601',
			}),
		});
		expect(response.status).toBe(422);
		const body = (await response.json()) as { detail: unknown[] };
		expect(body.detail).toContainEqual({
			type: 'missing',
			loc: ['body', 'agent_phone_number_id'],
			msg: 'Field required',
			input: null,
		});
		expect(sandbox.requests.last('POST')).toMatchObject({ status: 422, handled: true });
	});

	it('reports a missing required field with input null, as the real outbound-call endpoint does', () => {
		const schema =
			schemas.conversationalAi.twilio
				.BodyHandleAnOutboundCallViaTwilioV1ConvaiTwilioOutboundCallPost;
		expect(() =>
			parseBody(schema, { agent_id: 'a', agent_phone_number: 'x', to_number: '+4917112345601' }),
		).toThrow(
			expect.objectContaining({
				status: 422,
				body: {
					detail: [
						{
							type: 'extra_forbidden',
							loc: ['body', 'agent_phone_number'],
							msg: 'Extra inputs are not permitted',
							input: 'x',
						},
						{
							type: 'missing',
							loc: ['body', 'agent_phone_number_id'],
							msg: 'Field required',
							input: null,
						},
					],
				},
			}),
		);
		const parsed = parseBody(schema, {
			agent_id: 'a',
			agent_phone_number_id: 'p',
			to_number: '+4917112345601',
			conversation_initiation_client_data: { dynamic_variables: { candidate_name: 'Anna' } },
		});
		expect(parsed.conversationInitiationClientData?.dynamicVariables).toEqual({
			candidate_name: 'Anna',
		});
	});

	it('checks query parameters: ranges, integers, enums', async () => {
		const tooBig = await rawFetch(sandbox, '/v1/convai/agents?page_size=101');
		expect(tooBig.status).toBe(422);
		expect(await tooBig.json()).toEqual({
			detail: [
				{
					type: 'less_than_equal',
					loc: ['query', 'page_size'],
					msg: 'Input should be less than or equal to 100',
					input: '101',
					ctx: { le: 100 },
				},
			],
		});
		const notInt = await rawFetch(sandbox, '/v1/convai/agents?page_size=ten&sort_direction=up');
		const body = (await notInt.json()) as { detail: Array<{ type: string; loc: unknown[] }> };
		expect(body.detail.map((error) => [error.type, error.loc])).toEqual([
			['int_parsing', ['query', 'page_size']],
			['enum', ['query', 'sort_direction']],
		]);
		const badProvider = await rawFetch(sandbox, '/v1/convai/phone-numbers?provider=vonage');
		expect(badProvider.status).toBe(422);
	});
});
