/**
 * Knowledge-base text documents and the agent update rules of the sandbox (what Build Recruiting
 * Prompt → Publish uses), driven with the real ElevenLabs SDK over HTTP.
 */
import { ElevenLabsError } from '@elevenlabs/elevenlabs-js';

import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { knowledgeBaseDocuments, MAX_TEXT_CHARACTERS } from '../../sandbox/routes/knowledgeBase';
import { conversationStore } from '../../sandbox/conversations';
import { elevenLabs, rawFetch } from './helpers';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox();
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(() => sandbox.reset());

async function failure(promise: Promise<unknown>): Promise<ElevenLabsError> {
	const error: unknown = await promise.then(
		() => undefined,
		(caught: unknown) => caught,
	);
	expect(error).toBeInstanceOf(ElevenLabsError);
	return error as ElevenLabsError;
}

const documents = () => elevenLabs(sandbox).conversationalAi.knowledgeBase.documents;

describe('knowledge-base text documents', () => {
	it('creates a document that belongs to the workspace, attached to no agent', async () => {
		const created = await documents().createFromText({
			text: '# FAQ\nWir zahlen nach Tarif.',
			name: 'FAQ Pflege',
		});
		expect(created).toEqual({ id: expect.stringMatching(/^[0-9a-z]{20}$/), name: 'FAQ Pflege' });
		expect(sandbox.requests.last('POST')?.body).toEqual({
			text: '# FAQ\nWir zahlen nach Tarif.',
			name: 'FAQ Pflege',
		});

		const document = await documents().get(created.id);
		expect(document).toMatchObject({
			type: 'text',
			id: created.id,
			name: 'FAQ Pflege',
			extractedInnerHtml: '# FAQ\nWir zahlen nach Tarif.',
			metadata: { sizeBytes: Buffer.byteLength('# FAQ\nWir zahlen nach Tarif.') },
		});
		expect(await documents().getContent(created.id)).toBe('# FAQ\nWir zahlen nach Tarif.');
		expect(await documents().getAgents(created.id)).toEqual({ agents: [], hasMore: false });

		// Another workspace does not see it; the read-only key may read but not write.
		const other = elevenLabs(sandbox, sandbox.otherWorkspaceApiKey).conversationalAi.knowledgeBase
			.documents;
		expect((await failure(other.get(created.id))).statusCode).toBe(404);
		const readOnly = elevenLabs(sandbox, sandbox.readOnlyApiKey).conversationalAi.knowledgeBase
			.documents;
		expect((await readOnly.get(created.id)).id).toBe(created.id);
		const refused = await failure(readOnly.createFromText({ text: 'x' }));
		expect(refused.statusCode).toBe(403);
		expect(refused.body).toMatchObject({ detail: { status: 'missing_permissions' } });
		expect((await failure(readOnly.delete(created.id))).statusCode).toBe(403);
		expect(knowledgeBaseDocuments(sandbox).size).toBe(1);
	});

	it('refuses a text over the size limit (400 max_character_limit_exceeded) and stores nothing', async () => {
		const error = await failure(
			documents().createFromText({ text: 'a'.repeat(MAX_TEXT_CHARACTERS + 1), name: 'big' }),
		);
		expect(error.statusCode).toBe(400);
		expect(error.body).toMatchObject({ detail: { status: 'max_character_limit_exceeded' } });
		expect(knowledgeBaseDocuments(sandbox).size).toBe(0);
		await documents().createFromText({ text: 'a'.repeat(MAX_TEXT_CHARACTERS), name: 'just fits' });
		expect(knowledgeBaseDocuments(sandbox).size).toBe(1);
	});

	it('validates the body with the SDK schema (422 in FastAPI’s shape)', async () => {
		const response = await rawFetch(sandbox, '/v1/convai/knowledge-base/text', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ name: 'no text', txt: 'typo' }),
		});
		expect(response.status).toBe(422);
		const body = (await response.json()) as { detail: Array<{ type: string; loc: unknown[] }> };
		expect(body.detail.map((entry) => [entry.type, entry.loc])).toEqual(
			expect.arrayContaining([
				['missing', ['body', 'text']],
				['extra_forbidden', ['body', 'txt']],
			]),
		);
	});

	it('lists documents whose names start with the search text, paged', async () => {
		for (const name of ['Recruiting · A', 'Recruiting · B', 'Recruiting · C', 'Other']) {
			await documents().createFromText({ text: name, name });
			sandbox.clock.advance(1000);
		}
		const client = elevenLabs(sandbox).conversationalAi.knowledgeBase;
		const first = await client.list({
			search: 'recruiting ·',
			pageSize: 2,
			sortBy: 'name',
			sortDirection: 'asc',
		});
		expect(first.documents.map((d) => d.name)).toEqual(['Recruiting · A', 'Recruiting · B']);
		expect(first.hasMore).toBe(true);
		const second = await client.list({
			search: 'recruiting ·',
			pageSize: 2,
			sortBy: 'name',
			sortDirection: 'asc',
			cursor: first.nextCursor,
		});
		expect(second.documents.map((d) => d.name)).toEqual(['Recruiting · C']);
		expect(second.hasMore).toBe(false);
		// Default order: newest first.
		expect((await client.list()).documents.map((d) => d.name)).toEqual([
			'Other',
			'Recruiting · C',
			'Recruiting · B',
			'Recruiting · A',
		]);
	});

	it('keeps a document agents use unless deleted with force, which removes it from them', async () => {
		const client = elevenLabs(sandbox);
		const kept = await documents().createFromText({ text: 'keep', name: 'Kept' });
		const used = await documents().createFromText({ text: 'used', name: 'Used' });
		const agentId = sandbox.ids.agents.bare;
		await client.conversationalAi.agents.update(agentId, {
			conversationConfig: {
				agent: {
					prompt: {
						knowledgeBase: [
							{ type: 'text', name: 'Kept', id: kept.id, usageMode: 'prompt' },
							{ type: 'text', name: 'Used', id: used.id, usageMode: 'prompt' },
						],
					},
				},
			},
		});
		const dependents = await documents().getAgents(used.id);
		expect(dependents.agents).toEqual([
			expect.objectContaining({ type: 'available', id: agentId, name: 'New agent' }),
		]);
		expect(
			(await client.conversationalAi.knowledgeBase.list({ search: 'Used' })).documents[0],
		).toMatchObject({
			dependentAgents: [expect.objectContaining({ id: agentId })],
		});

		const refused = await failure(documents().delete(used.id));
		expect(refused.statusCode).toBe(400);
		expect(refused.body).toMatchObject({ detail: { status: 'document_in_use' } });
		expect(knowledgeBaseDocuments(sandbox).has(used.id)).toBe(true);

		await documents().delete(used.id, { force: true });
		expect(knowledgeBaseDocuments(sandbox).has(used.id)).toBe(false);
		const agent = await client.conversationalAi.agents.get(agentId);
		expect(
			agent.conversationConfig.agent?.prompt?.knowledgeBase?.map((locator) => locator.id),
		).toEqual([kept.id]);
		expect((await failure(documents().get(used.id))).statusCode).toBe(404);

		// Without dependents, a plain delete works.
		const loose = await documents().createFromText({ text: 'loose' });
		await documents().delete(loose.id);
		expect(knowledgeBaseDocuments(sandbox).has(loose.id)).toBe(false);
	});
});

describe('agent updates (PATCH) as Publish uses them', () => {
	const agentId = () => sandbox.ids.agents.recruitingDe;
	const stored = () => sandbox.state.agents.get(agentId())!.agent;

	it('refuses a knowledge-base document that does not exist (404), and changes nothing', async () => {
		const before = structuredClone(stored());
		const error = await failure(
			elevenLabs(sandbox).conversationalAi.agents.update(agentId(), {
				conversationConfig: {
					agent: {
						firstMessage: 'Hallo',
						prompt: { knowledgeBase: [{ type: 'text', name: 'x', id: 'nosuchdocument000000' }] },
					},
				},
			}),
		);
		expect(error.statusCode).toBe(404);
		expect(error.body).toEqual({
			detail: {
				status: 'document_not_found',
				message: 'Document with id nosuchdocument000000 not found.',
			},
		});
		expect(stored()).toEqual(before);
	});

	it('refuses a document of another workspace', async () => {
		const foreign = await elevenLabs(
			sandbox,
			sandbox.otherWorkspaceApiKey,
		).conversationalAi.knowledgeBase.documents.createFromText({ text: 'x', name: 'x' });
		const error = await failure(
			elevenLabs(sandbox).conversationalAi.agents.update(agentId(), {
				conversationConfig: {
					agent: { prompt: { knowledgeBase: [{ type: 'text', name: 'x', id: foreign.id }] } },
				},
			}),
		);
		expect(error.statusCode).toBe(404);
	});

	it('replaces the data-collection map as a whole, merges the other settings', async () => {
		const updated = await elevenLabs(sandbox).conversationalAi.agents.update(agentId(), {
			platformSettings: {
				dataCollection: {
					opt_out: {
						type: 'boolean',
						description: 'True if the candidate asked not to be called again.',
					},
				},
				overrides: {
					conversationConfigOverride: { agent: { maxConversationDurationMessage: true } },
				},
			},
		});
		expect(Object.keys(updated.platformSettings?.dataCollection ?? {})).toEqual(['opt_out']);
		// Merged: the other toggles and settings stay.
		expect(updated.platformSettings?.overrides?.conversationConfigOverride?.agent).toMatchObject({
			firstMessage: true,
			language: true,
			maxConversationDurationMessage: true,
			prompt: { prompt: true },
		});
		expect(
			updated.platformSettings?.evaluation?.criteria?.map((criterion) => criterion.id),
		).toEqual(['screening_completed', 'candidate_interested']);
	});

	it('refuses data-collection ids the API does not take (422) and evaluation criteria with the same id', async () => {
		const before = structuredClone(stored());
		const badId = await failure(
			elevenLabs(sandbox).conversationalAi.agents.update(agentId(), {
				platformSettings: {
					dataCollection: {
						'Führerschein Klasse B': { type: 'boolean', description: 'Has a driving licence.' },
					},
				},
			}),
		);
		expect(badId.statusCode).toBe(422);
		expect(badId.body).toEqual({
			detail: [
				expect.objectContaining({
					type: 'value_error',
					loc: ['body', 'platform_settings', 'data_collection', 'Führerschein Klasse B'],
				}),
			],
		});
		const twice = await failure(
			elevenLabs(sandbox).conversationalAi.agents.update(agentId(), {
				platformSettings: {
					evaluation: {
						criteria: [
							{ id: 'consent', name: 'A', conversationGoalPrompt: 'a' },
							{ id: 'consent', name: 'B', conversationGoalPrompt: 'b' },
						],
					},
				},
			}),
		);
		expect(twice.statusCode).toBe(422);
		expect(twice.body).toEqual({
			detail: [
				expect.objectContaining({
					loc: ['body', 'platform_settings', 'evaluation', 'criteria', 1, 'id'],
				}),
			],
		});
		expect(stored()).toEqual(before);
	});

	it('refuses a non-English language on an English-only voice model (400), takes it with the v2_5 model', async () => {
		const client = elevenLabs(sandbox).conversationalAi.agents;
		const bare = sandbox.ids.agents.bare;
		const error = await failure(
			client.update(bare, { conversationConfig: { agent: { language: 'de' } } }),
		);
		expect(error.statusCode).toBe(400);
		expect(error.body).toEqual({
			detail: {
				status: 'invalid_conversation_config',
				message: 'Invalid conversation config: Non-english Agents must use turbo or flash v2_5.',
			},
		});
		const updated = await client.update(bare, {
			conversationConfig: { agent: { language: 'de' }, tts: { modelId: 'eleven_flash_v2_5' } },
		});
		expect(updated.conversationConfig.agent?.language).toBe('de');
		expect(updated.conversationConfig.tts?.voiceId).toBe('cjVigY5qzO86Huf0OWal'); // merged, not replaced
	});

	it('analyses a call with the data-collection fields and evaluation criteria the agent has now', async () => {
		await elevenLabs(sandbox).conversationalAi.agents.update(agentId(), {
			platformSettings: {
				dataCollection: {
					still_interested: {
						type: 'boolean',
						description: 'True if the candidate is still interested in the position.',
					},
					opt_out: {
						type: 'boolean',
						description: 'True if the candidate asked not to be called again.',
					},
				},
				evaluation: {
					criteria: [
						{
							id: 'screening_completed',
							name: 'Screening completed',
							conversationGoalPrompt: 'All questions answered.',
						},
					],
				},
			},
		});
		const call = await elevenLabs(sandbox).conversationalAi.twilio.outboundCall({
			agentId: agentId(),
			agentPhoneNumberId: sandbox.ids.phoneNumbers.twilioDe,
			toNumber: sandbox.scenarios.optOut.number,
			conversationInitiationClientData: {
				dynamicVariables: { candidate_name: 'Anna', company: 'ACME', job_title: 'Koch' },
			},
		});
		conversationStore(sandbox).settleAll();
		const conversation = await elevenLabs(sandbox).conversationalAi.conversations.get(
			call.conversationId!,
		);
		expect(conversation.analysis?.dataCollectionResults).toEqual({
			still_interested: expect.objectContaining({ value: false }),
			opt_out: expect.objectContaining({ value: true }),
		});
		expect(Object.keys(conversation.analysis?.evaluationCriteriaResults ?? {})).toEqual([
			'screening_completed',
		]);
	});
});
