/**
 * Build Recruiting Prompt → Publish through n8n's engine against the sandbox: a bare agent set up
 * from the bundled German set, idempotency (no write on the second run), a template edit that
 * replaces the knowledge-base document, dry run, bad input that leaves the agent as it was, and a
 * call placed afterwards without any prompt override.
 */
import type { IDataObject, INodeParameters, OnError } from 'n8n-workflow';

import { startSandbox } from '../../sandbox';
import type { CredentialOptions, Sandbox } from '../../sandbox';
import { knowledgeBaseDocuments } from '../../sandbox/routes/knowledgeBase';
import { outputFields as publishFields } from '../../nodes/RecruitingPrompt/actions/publish.operation';
import { COLLECTED_ANSWERS } from '../../nodes/RecruitingPrompt/helpers/answers';
import { declarationGaps, NO_GAPS } from '../outputFields';
import { DOCUMENT_PREFIX } from '../../nodes/RecruitingPrompt/helpers/publishDocument';
import { placeNode } from './agentCall.helpers';
import { listSearch, locator, runError, runNode, runNodes } from './harness';
import type { PackageNode, RunResult } from './harness';
import { elevenLabsCredential } from './sandbox.helpers';
import { NODE as GET, waitingGetNode } from './transcript.helpers';

const NODE = 'Publish';
const JOB = {
	company: 'Klinikum Nord GmbH',
	jobTitle: 'Pflegefachkraft (m/w/d)',
	recruiterName: 'Jonas Weber',
};
const DETAILS = {
	jobLocation: 'Hamburg-Barmbek',
	salaryRange: '48.000 bis 56.000 Euro brutto im Jahr',
	contactEmail: 'karriere@klinikum-nord.example',
};

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

const pairs = (values: Record<string, string>) => ({
	variable: Object.entries(values).map(([name, value]) => ({ name, value })),
});

function publishParameters(agentId: string, extra: INodeParameters = {}): INodeParameters {
	return {
		operation: 'publish',
		agentId: locator(agentId),
		templateSet: 'de',
		...JOB,
		jobDetails: pairs(DETAILS),
		...extra,
	};
}

function publishNode(agentId: string, extra: INodeParameters = {}, onError?: OnError): PackageNode {
	return {
		type: 'recruitingPrompt',
		name: NODE,
		parameters: publishParameters(agentId, extra),
		onError,
	};
}

async function publish(
	agentId = sandbox.ids.agents.bare,
	extra: INodeParameters = {},
	options: { credentials?: CredentialOptions; items?: IDataObject[]; onError?: OnError } = {},
): Promise<RunResult> {
	return await runNode(publishNode(agentId, extra, options.onError), {
		credentials: elevenLabsCredential(sandbox, options.credentials),
		items: options.items,
	});
}

const agentOf = (agentId: string) => structuredClone(sandbox.state.agents.get(agentId)!.agent);
const documents = () => [...knowledgeBaseDocuments(sandbox).values()];
const writes = () =>
	sandbox.requests.all().filter((r) => ['POST', 'PATCH', 'DELETE', 'PUT'].includes(r.method));

function errorOf(result: RunResult) {
	expect(result.status).toBe('error');
	return runError(result);
}

describe('Publish: a bare agent', () => {
	it('lists the workspace’s agents for the Agent picker', async () => {
		const result = await listSearch(
			'recruitingPrompt',
			'searchAgents',
			elevenLabsCredential(sandbox),
			{ parameters: { operation: 'publish' } },
		);
		expect(result.results).toEqual(
			expect.arrayContaining([{ name: 'New agent', value: sandbox.ids.agents.bare }]),
		);
	});

	it('sets up prompt, first message, language, knowledge base, answers, criteria and overrides in one update', async () => {
		const bare = sandbox.ids.agents.bare;
		const result = await publish();
		expect(result.status).toBe('success');
		const [out] = result.json(NODE);
		expect(declarationGaps(out, publishFields)).toEqual(NO_GAPS);
		expect(out).toMatchObject({
			agentId: bare,
			dryRun: false,
			changed: [
				'knowledgeBase',
				'prompt',
				'firstMessage',
				'voicemail',
				'language',
				'voiceModel',
				'dataCollection',
				'evaluationCriteria',
				'overrides',
				'dynamicVariablePlaceholders',
				'privacy',
				'summaryLanguage',
			],
			knowledgeBaseDocumentId: expect.any(String),
		});
		expect(result.output(NODE)[0].pairedItem).toEqual({ item: 0 });

		// One read, one upload, one update, nothing deleted.
		expect(sandbox.requests.count('GET', `/v1/convai/agents/${bare}`)).toBe(1);
		expect(sandbox.requests.count('POST', '/v1/convai/knowledge-base/text')).toBe(1);
		expect(sandbox.requests.count('PATCH', `/v1/convai/agents/${bare}`)).toBe(1);
		expect(sandbox.requests.count('DELETE')).toBe(0);

		const agent = agentOf(bare);
		const own = agent.conversationConfig.agent!;
		expect(own.language).toBe('de');
		expect(agent.conversationConfig.tts?.modelId).toBe('eleven_flash_v2_5');
		// Candidate fields stay ElevenLabs variables; company and job are written in.
		expect(own.firstMessage).toContain('{{name}}');
		expect(own.firstMessage).toContain('Klinikum Nord GmbH');
		expect(own.prompt?.prompt).toContain('{{name}}');
		expect(own.prompt?.prompt).toContain('Jonas Weber');
		expect(own.prompt?.prompt).toContain('{{system__time_utc}}');
		expect(own.prompt?.prompt).not.toMatch(/\{\{(?!name\}\}|system__time_utc\}\})/);
		// The knowledge base is a text document of the workspace, attached to the agent.
		const [locator] = own.prompt?.knowledgeBase ?? [];
		expect(locator).toMatchObject({
			id: out.knowledgeBaseDocumentId,
			type: 'text',
			name: expect.stringMatching(
				/^Recruiting KB · Klinikum Nord GmbH · Pflegefachkraft \(m\/w\/d\) · [0-9a-f]{8}$/,
			),
		});
		const [document] = documents();
		expect(document.text).toContain('Hamburg-Barmbek');
		expect(document.text).not.toMatch(/\{\{/);
		// Every answer the rendered prompt names (the address check only when address is a call
		// variable), with German descriptions; the four criteria.
		expect(Object.keys(agent.platformSettings?.dataCollection ?? {}).sort()).toEqual(
			COLLECTED_ANSWERS.map((a) => a.id)
				.filter((id) => id !== 'address_confirmed')
				.sort(),
		);
		expect(agent.platformSettings?.dataCollection?.opt_out).toMatchObject({
			type: 'boolean',
			description: expect.stringContaining('angerufen'),
		});
		expect(agent.platformSettings?.evaluation?.criteria?.map((c) => c.id)).toEqual([
			'ai_disclosure_and_consent',
			'no_prohibited_questions',
			'screening_completed',
			'opt_out_respected',
		]);
		// Exactly the overrides Place Agent Call sends.
		expect(agent.platformSettings?.overrides?.conversationConfigOverride?.agent).toMatchObject({
			prompt: { prompt: true },
			firstMessage: true,
			language: true,
		});
		expect(own.dynamicVariables).toEqual({
			dynamic_variable_placeholders: { name: 'Erika Mustermann' },
		});
	});

	it('changes nothing and writes nothing when the same set is published again', async () => {
		const first = await publish();
		expect(first.status).toBe('success');
		const before = agentOf(sandbox.ids.agents.bare);
		sandbox.requests.clear();
		const second = await publish();
		expect(second.status).toBe('success');
		expect(second.json(NODE)[0]).toEqual({
			agentId: sandbox.ids.agents.bare,
			changed: [],
			knowledgeBaseDocumentId: first.json(NODE)[0].knowledgeBaseDocumentId,
			diff: {},
			dryRun: false,
		});
		expect(writes()).toEqual([]);
		expect(sandbox.requests.count('GET', `/v1/convai/agents/${sandbox.ids.agents.bare}`)).toBe(1);
		expect(agentOf(sandbox.ids.agents.bare)).toEqual(before);
		expect(documents()).toHaveLength(1);
	});

	it('reads company and job from the item when the parameters are empty', async () => {
		const result = await publish(
			sandbox.ids.agents.bare,
			{ company: '', jobTitle: '', recruiterName: '', jobDetails: {} },
			{ items: [{ ...JOB, ...DETAILS }] },
		);
		expect(result.status).toBe('success');
		// The same texts as with the parameters: publishing with them changes nothing.
		const again = await publish();
		expect(again.json(NODE)[0].changed).toEqual([]);
	});
});

describe('Publish: privacy and summary language', () => {
	it('sets retention, voice recording and the set’s summary language on a bare agent, and leaves redaction as it was', async () => {
		const bare = sandbox.ids.agents.bare;
		const result = await publish(bare);
		expect(result.json(NODE)[0].diff).toMatchObject({
			privacy: { retentionDays: { before: -1, after: 30 } },
			summaryLanguage: { before: undefined, after: 'de' },
		});
		const settings = agentOf(bare).platformSettings!;
		expect(settings.summaryLanguage).toBe('de');
		// The settings Publish does not manage are written back as they were.
		expect(settings.privacy).toEqual({
			recordVoice: true,
			retentionDays: 30,
			deleteTranscriptAndPii: false,
			deleteAudio: false,
			applyToExistingConversations: false,
			zeroRetentionMode: false,
		});
		const [patch] = sandbox.requests.filter('PATCH', `/v1/convai/agents/${bare}`);
		expect((patch.body as { platform_settings: IDataObject }).platform_settings).toMatchObject({
			privacy: { retention_days: 30, record_voice: true },
			summary_language: 'de',
		});
	});

	it('switches on redaction and voice recording off when asked; a second publish changes nothing', async () => {
		const bare = sandbox.ids.agents.bare;
		const extra = {
			retentionDays: 14,
			recordAudio: false,
			redactPii: true,
			redactEntities: ['email_address', 'contact_number', 'medical'],
		};
		const first = await publish(bare, { ...extra, templateSet: 'en' });
		expect(first.json(NODE)[0].diff).toMatchObject({
			privacy: {
				retentionDays: { before: -1, after: 14 },
				recordVoice: { before: true, after: false },
				redaction: { before: 'off', after: ['email_address', 'contact_number', 'medical'] },
			},
			summaryLanguage: { after: 'en' },
		});
		const settings = agentOf(bare).platformSettings!;
		expect(settings.summaryLanguage).toBe('en');
		expect(settings.privacy).toMatchObject({
			retentionDays: 14,
			recordVoice: false,
			conversationHistoryRedaction: {
				enabled: true,
				entities: ['email_address', 'contact_number', 'medical'],
			},
		});
		sandbox.requests.clear();
		const second = await publish(bare, {
			...extra,
			templateSet: 'en',
			redactEntities: ['medical', 'email_address', 'contact_number'],
		});
		expect(second.json(NODE)[0]).toMatchObject({ changed: [], diff: {} });
		expect(writes()).toEqual([]);
	});
});

/** The user's own knowledge-base document and answer on the agent, added as in the dashboard. */
async function addUsersOwn(agentId: string) {
	const { ElevenLabsClient } = await import('@elevenlabs/elevenlabs-js');
	const client = new ElevenLabsClient({
		apiKey: sandbox.apiKey,
		baseUrl: sandbox.url,
		maxRetries: 0,
	});
	const created = await client.conversationalAi.knowledgeBase.documents.createFromText({
		name: 'Hausordnung',
		text: 'Parken im Hof.',
	});
	const agent = await client.conversationalAi.agents.get(agentId);
	await client.conversationalAi.agents.update(agentId, {
		conversationConfig: {
			agent: {
				prompt: {
					knowledgeBase: [
						...(agent.conversationConfig.agent?.prompt?.knowledgeBase ?? []),
						{ type: 'text', name: 'Hausordnung', id: created.id },
					],
				},
			},
		},
		platformSettings: {
			dataCollection: {
				...agent.platformSettings?.dataCollection,
				drivers_license: { type: 'boolean', description: 'Führerschein Klasse B' },
			},
		},
	});
	return created.id;
}

const EDITED_KB =
	'# Wissensbasis: {{jobTitle}} bei {{company}}\nArbeitsort: {{jobLocation}}. Neu: 30 Tage Urlaub.';

describe('Publish: a changed template set', () => {
	it('replaces the package’s document, deletes the old one last and keeps the user’s own documents and answers', async () => {
		const bare = sandbox.ids.agents.bare;
		const first = await publish();
		const oldId = String(first.json(NODE)[0].knowledgeBaseDocumentId);
		const ownId = await addUsersOwn(bare);
		sandbox.requests.clear();

		const edited = await publish(bare, {
			templateSet: 'custom',
			baseSet: 'de',
			knowledgeBaseTemplate: EDITED_KB,
		});
		expect(edited.status).toBe('success');
		const [out] = edited.json(NODE);
		expect(out.changed).toEqual(['knowledgeBase']);
		expect(out.knowledgeBaseDocumentId).not.toBe(oldId);
		expect(out.diff).toMatchObject({
			knowledgeBase: {
				upload: expect.stringContaining(DOCUMENT_PREFIX),
				remove: [expect.stringContaining(DOCUMENT_PREFIX)],
			},
		});
		// Upload, one update, then the delete of the old document.
		expect(writes().map((r) => `${r.method} ${r.path}`)).toEqual([
			'POST /v1/convai/knowledge-base/text',
			`PATCH /v1/convai/agents/${bare}`,
			`DELETE /v1/convai/knowledge-base/${oldId}`,
		]);
		const agent = agentOf(bare);
		expect(agent.conversationConfig.agent?.prompt?.knowledgeBase?.map((l) => l.id)).toEqual([
			ownId,
			out.knowledgeBaseDocumentId,
		]);
		expect(
			documents()
				.map((d) => d.id)
				.sort(),
		).toEqual([ownId, String(out.knowledgeBaseDocumentId)].sort());
		expect(documents().find((d) => d.id === out.knowledgeBaseDocumentId)?.text).toContain(
			'30 Tage Urlaub',
		);
		expect(agent.platformSettings?.dataCollection?.drivers_license).toEqual({
			type: 'boolean',
			description: 'Führerschein Klasse B',
		});
	});

	it('keeps the answers and criteria an agent already had under other ids', async () => {
		const agentId = sandbox.ids.agents.recruitingDe;
		const before = agentOf(agentId);
		const result = await publish(agentId);
		expect(result.status).toBe('success');
		const agent = agentOf(agentId);
		expect(agent.platformSettings?.dataCollection).toMatchObject({
			salary_expectation_eur: before.platformSettings!.dataCollection!.salary_expectation_eur,
			willing_to_relocate: before.platformSettings!.dataCollection!.willing_to_relocate,
			opt_out: { type: 'boolean' },
		});
		expect(agent.platformSettings?.evaluation?.criteria?.map((c) => c.id)).toEqual(
			expect.arrayContaining(['candidate_interested', 'screening_completed', 'opt_out_respected']),
		);
		// Its override toggles were on already: nothing to switch on.
		expect(result.json(NODE)[0].changed).not.toContain('overrides');
	});
});

describe('Publish: dry run', () => {
	it('reports the same changes and diff, and writes nothing', async () => {
		const bare = sandbox.ids.agents.bare;
		const before = agentOf(bare);
		const dry = await publish(bare, { options: { dryRun: true } });
		expect(dry.status).toBe('success');
		const [out] = dry.json(NODE);
		expect(out).toMatchObject({ agentId: bare, dryRun: true, knowledgeBaseDocumentId: null });
		expect(declarationGaps(out, publishFields)).toEqual(NO_GAPS);
		expect(writes()).toEqual([]);
		expect(agentOf(bare)).toEqual(before);
		expect(documents()).toEqual([]);

		const real = await publish(bare);
		const [published] = real.json(NODE);
		expect(published.changed).toEqual(out.changed);
		expect(published.diff).toEqual(out.diff);
	});
});

describe('Publish: bad input leaves the agent as it was', () => {
	function expectUntouched(
		agentId: string,
		before: ReturnType<typeof agentOf>,
		documentsBefore = 0,
	) {
		expect(agentOf(agentId)).toEqual(before);
		expect(documents()).toHaveLength(documentsBefore);
	}

	it('unknown agent', async () => {
		const result = await publish('agent_doesnotexist0000000000');
		const error = errorOf(result);
		expect(error.message).toContain(
			'No agent "agent_doesnotexist0000000000" in the workspace of this API key',
		);
		expect(error.itemIndex).toBe(0);
		expect(writes()).toEqual([]);
		expect(documents()).toEqual([]);
	});

	it('agent of another workspace', async () => {
		const result = await publish(sandbox.ids.agents.otherWorkspace);
		expect(errorOf(result).message).toContain(`No agent "${sandbox.ids.agents.otherWorkspace}"`);
		expect(writes()).toEqual([]);
	});

	it('a key without permission to change agents (403)', async () => {
		const bare = sandbox.ids.agents.bare;
		const before = agentOf(bare);
		const result = await publish(bare, {}, { credentials: { workspace: 'readOnly' } });
		const error = errorOf(result);
		expect(error.message).toContain('may read the agent but not change it');
		expect(error.message).not.toContain(sandbox.readOnlyApiKey);
		expectUntouched(bare, before);
	});

	it('a key without permission, when only the agent itself would change', async () => {
		const bare = sandbox.ids.agents.bare;
		await publish(bare);
		const before = agentOf(bare);
		const result = await publish(
			bare,
			{ recruiterName: 'Sabine Krause' },
			{ credentials: { workspace: 'readOnly' } },
		);
		expect(errorOf(result).message).toContain('may read the agent but not change it');
		expectUntouched(bare, before, 1);
	});

	it('a template set with a syntax error: nothing is sent at all', async () => {
		const result = await publish(sandbox.ids.agents.bare, {
			templateSet: 'custom',
			baseSet: 'de',
			masterTemplate: 'Du bist {{#if name}}Lena',
		});
		const error = errorOf(result);
		expect(error.message).toMatch(/master/);
		expect(error.itemIndex).toBe(0);
		expect(sandbox.requests.all()).toEqual([]);
	});

	it('a knowledge base over the size the API accepts', async () => {
		const bare = sandbox.ids.agents.bare;
		const before = agentOf(bare);
		const result = await publish(bare, {
			jobDetails: pairs({ ...DETAILS, jobDescription: 'Pflege '.repeat(50_000) }),
			options: { maxValueLength: 1_000_000 },
		});
		const error = errorOf(result);
		expect(error.message).toMatch(
			/The knowledge base has \d+ characters, more than ElevenLabs accepts/,
		);
		expect(sandbox.requests.count('PATCH')).toBe(0);
		expectUntouched(bare, before);
	});

	it('an answer id the API rejects: the uploaded document is deleted again', async () => {
		const bare = sandbox.ids.agents.bare;
		const before = agentOf(bare);
		const result = await publish(bare, {
			answers: {
				answer: [{ id: 'Gehalt in €', type: 'string', description: 'Gehaltsvorstellung' }],
			},
		});
		const error = errorOf(result);
		expect(error.message).toContain('ElevenLabs does not accept "Gehalt in €" as an answer id');
		expect(error.itemIndex).toBe(0);
		expect(writes().map((r) => r.method)).toEqual(['POST', 'PATCH', 'DELETE']);
		expectUntouched(bare, before);
	});
});

describe('Publish: an upload whose answer was lost', () => {
	it('fails clearly, and the next publish attaches the document ElevenLabs stored instead of a copy', async () => {
		const bare = sandbox.ids.agents.bare;
		sandbox.faults.add({
			method: 'POST',
			path: '/v1/convai/knowledge-base/text',
			kind: 'status5xxAfter',
			status: 504,
			times: 1,
		});
		const first = await publish(bare);
		const error = errorOf(first);
		expect(error.message).toContain(
			'ElevenLabs refused to upload the knowledge base: ElevenLabs did not confirm the upload',
		);
		expect(error.message).toContain('Publishing again is safe');
		expect(sandbox.requests.count('PATCH')).toBe(0);
		const [stored] = documents();
		expect(stored).toBeDefined();

		const second = await publish(bare);
		expect(second.status).toBe('success');
		expect(second.json(NODE)[0]).toMatchObject({
			knowledgeBaseDocumentId: stored.id,
			changed: expect.arrayContaining(['knowledgeBase']),
		});
		expect(sandbox.requests.count('POST', '/v1/convai/knowledge-base/text')).toBe(1);
		expect(documents()).toHaveLength(1);
		expect(
			agentOf(bare).conversationConfig.agent?.prompt?.knowledgeBase?.map((locator) => locator.id),
		).toEqual([stored.id]);
	});
});

describe('Publish: several items', () => {
	it('with continue-on-fail, an item without company gets its error and the others are published', async () => {
		const result = await publish(
			sandbox.ids.agents.bare,
			{ company: '={{ $json.company }}', jobTitle: '={{ $json.jobTitle }}' },
			{
				items: [
					{ jobTitle: 'Stationsleitung' },
					{ company: 'Klinikum Nord GmbH', jobTitle: 'Stationsleitung' },
				],
				onError: 'continueRegularOutput',
			},
		);
		expect(result.status).toBe('success');
		const [failed, published] = result.json(NODE);
		expect(failed).toMatchObject({
			error: 'Missing template variable in item 0: company',
			jobTitle: 'Stationsleitung',
		});
		expect(String(failed.errorDescription)).toContain(
			'Fill in Company, Job Title and Recruiter Name',
		);
		expect(published).toMatchObject({
			agentId: sandbox.ids.agents.bare,
			changed: expect.arrayContaining(['prompt']),
		});
		expect(result.output(NODE).map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(documents().map((d) => d.name)).toEqual([expect.stringContaining('Stationsleitung')]);
	});
});

/** The client data of every dial the sandbox received, in order. */
const dialledClientData = () =>
	sandbox.requests
		.filter('POST', '/v1/convai/twilio/outbound-call')
		.map(
			(r) =>
				(r.body as { conversation_initiation_client_data: IDataObject })
					.conversation_initiation_client_data,
		);

/** Place Agent Call → Get Transcript (waiting) on the published agent, for `items`. */
async function callAndWait(
	agentId: string,
	items: IDataObject[],
	extra: INodeParameters = {},
): Promise<RunResult> {
	sandbox.requests.clear();
	sandbox.clock.setSpeed(50);
	const place = placeNode(sandbox, { agentId: locator(agentId), ...extra });
	const result = await runNodes([place, waitingGetNode()], {
		credentials: elevenLabsCredential(sandbox),
		items,
	});
	expect(result.status).toBe('success');
	return result;
}

describe('A call after Publish, without any prompt override', () => {
	it('runs to done with the agent’s own prompt and brings back the published answers', async () => {
		const bare = sandbox.ids.agents.bare;
		expect((await publish(bare)).status).toBe('success');
		const published = agentOf(bare).platformSettings!.dataCollection!;
		// The item brings no prompt: the call runs on the agent's own.
		const result = await callAndWait(bare, [{ name: 'Anna Schmidt', phone: '0171 12345601' }], {
			campaign: 'after-publish',
			dynamicVariables: pairs({ name: '={{ $json.name }}' }),
		});
		const [clientData] = dialledClientData();
		expect(clientData.conversation_config_override ?? {}).toEqual({});
		expect(clientData.dynamic_variables).toEqual({ name: 'Anna Schmidt' });

		const [outcome] = result.json(GET);
		expect(outcome).toMatchObject({
			agentId: bare,
			status: 'done',
			callResult: 'answered',
			dynamicVariables: { name: 'Anna Schmidt' },
		});
		const answers = outcome.dataCollection as IDataObject;
		expect(Object.keys(answers).sort()).toEqual(Object.keys(published).sort());
		expect(answers).toMatchObject({ consent_given: true, still_interested: true, opt_out: false });
		expect(String(outcome.transcriptText).split('\n')[0]).toContain('Anna Schmidt');
	});

	it('dials a bare four-column row with the variables the agent uses, read from its fields', async () => {
		const bare = sandbox.ids.agents.bare;
		// The recruiter's sheet has no recruiter column, and Publish is given none.
		expect((await publish(bare, { recruiterName: '' })).status).toBe('success');
		const row = {
			name: 'Anna Schmidt',
			phone: '0171 12345601',
			jobTitle: 'Pflegefachkraft (m/w/d)',
			company: 'Klinikum Nord GmbH',
		};
		const result = await callAndWait(bare, [row], { campaign: 'bare-row' });
		const [clientData] = dialledClientData();
		expect(clientData.conversation_config_override ?? {}).toEqual({});
		// Only what the agent's own texts use: company and job title were written in at publish time.
		expect(clientData.dynamic_variables).toEqual({ name: 'Anna Schmidt' });
		const [outcome] = result.json(GET);
		expect(outcome).toMatchObject({
			agentId: bare,
			status: 'done',
			callResult: 'answered',
			dynamicVariables: { name: 'Anna Schmidt' },
		});
		expect(String(outcome.transcriptText).split('\n')[0]).toContain('Anna Schmidt');
	});

	it('fills every call variable from the row, and refuses before dialling a row that lacks one, naming it', async () => {
		const bare = sandbox.ids.agents.bare;
		expect(
			(await publish(bare, { recruiterName: '', callVariables: 'name, recruiterName' })).status,
		).toBe('success');
		sandbox.requests.clear();
		const rows = [
			{
				name: 'Anna Schmidt',
				phone: '0171 12345601',
				jobTitle: 'Pflegefachkraft (m/w/d)',
				company: 'Klinikum Nord GmbH',
			},
			{ name: 'Ben Okafor', phone: '0171 12345602', recruiterName: 'Jonas Weber' },
		];
		const result = await runNode(
			placeNode(
				sandbox,
				{ agentId: locator(bare), campaign: 'bare-rows' },
				'continueRegularOutput',
			),
			{
				credentials: elevenLabsCredential(sandbox),
				items: rows,
			},
		);
		const [anna, ben] = result.json('Place Agent Call');
		expect(anna.error).toBe(
			'The system prompt uses the dynamic variable {{recruiterName}}, which this call does not supply',
		);
		expect(anna.errorDescription).toContain('Give the item a field named recruiterName');
		expect(ben.status).toBe('initiated');
		const dials = dialledClientData();
		expect(dials).toHaveLength(1);
		expect(dials[0].dynamic_variables).toEqual({
			name: 'Ben Okafor',
			recruiterName: 'Jonas Weber',
		});
	});
});
