/**
 * workflows/set-up-agent.json inside a real n8n 2.41.1 against the sandbox, imported as it ships
 * (it points at the sandbox's bare agent and credential): the first `n8n execute` turns the bare
 * agent into one that Place Agent Call and Get Transcript work with, the second changes nothing.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';

import type { N8nInstance, WorkflowJson } from '../../scripts/n8n';
import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { knowledgeBaseDocuments } from '../../sandbox/routes/knowledgeBase';
import { createN8n } from './helpers';

const FILE = path.join(__dirname, '..', '..', 'workflows', 'set-up-agent.json');

let sandbox: Sandbox;
let n8n: N8nInstance;
let workflow: WorkflowJson;

const publishNode = () => workflow.nodes.find((node) => node.parameters.operation === 'publish')!;

/** The same workflow with a credential whose key may read but not change agents. */
function readOnlyCopy(): WorkflowJson {
	const copy = structuredClone(workflow);
	copy.id = 'vrSetUpAgentReadOnly';
	copy.name = `${copy.name} (read-only key)`;
	for (const node of copy.nodes)
		if (node.credentials?.elevenLabsAgentsApi)
			node.credentials.elevenLabsAgentsApi = { id: READ_ONLY_ID, name: 'ElevenLabs (read only)' };
	return copy;
}

const READ_ONLY_ID = 'sandboxReadOnly';

beforeAll(async () => {
	sandbox = await startSandbox();
	n8n = await createN8n('set-up-agent e2e');
	workflow = JSON.parse(await readFile(FILE, 'utf8')) as WorkflowJson;
	const readOnly = sandbox
		.n8nCredentials({ workspace: 'readOnly' })
		.find((c) => c.type === 'elevenLabsAgentsApi')!;
	await n8n.importCredentials([
		...sandbox.n8nCredentials(),
		{ ...readOnly, id: READ_ONLY_ID, name: 'ElevenLabs (read only)' },
	]);
	await n8n.importWorkflows([workflow, readOnlyCopy()]);
});

afterAll(async () => {
	await n8n?.dispose();
	await sandbox?.close();
});

describe('workflows/set-up-agent.json in real n8n', () => {
	it('ships pointed at the sandbox’s bare agent and credential', () => {
		const node = publishNode();
		expect(node.parameters.agentId).toMatchObject({ __rl: true, value: sandbox.ids.agents.bare });
		expect(node.credentials?.elevenLabsAgentsApi?.id).toBe(
			sandbox.n8nCredentials().find((c) => c.type === 'elevenLabsAgentsApi')?.id,
		);
	});

	it('with a key that may not change agents, n8n shows the node’s message and the agent stays bare', async () => {
		const before = structuredClone(sandbox.state.agents.get(sandbox.ids.agents.bare)!.agent);
		const result = await n8n.execute('vrSetUpAgentReadOnly');
		expect(result.status).toBe('error');
		expect(result.error?.message).toContain('The API key may read the agent but not change it');
		expect(result.error?.message).not.toContain(sandbox.readOnlyApiKey);
		expect(sandbox.state.agents.get(sandbox.ids.agents.bare)!.agent).toEqual(before);
		expect(knowledgeBaseDocuments(sandbox).size).toBe(0);
	});

	it('the first run sets the bare agent up, the second changes and writes nothing', async () => {
		const bare = sandbox.ids.agents.bare;
		const first = await n8n.execute(workflow.id);
		expect(first.error).toBeUndefined();
		expect(first.status).toBe('success');
		const [published] = first.json(publishNode().name);
		expect(published).toMatchObject({
			agentId: bare,
			dryRun: false,
			changed: expect.arrayContaining([
				'knowledgeBase',
				'prompt',
				'firstMessage',
				'language',
				'dataCollection',
				'evaluationCriteria',
				'overrides',
			]),
			knowledgeBaseDocumentId: expect.any(String),
		});

		const agent = sandbox.state.agents.get(bare)!.agent;
		const own = agent.conversationConfig.agent!;
		expect(own.prompt?.prompt).toContain('Muster Klinikum GmbH');
		expect(own.prompt?.prompt).toContain('{{name}}');
		expect(own.firstMessage).toContain('{{name}}');
		expect(own.language).toBe('de');
		expect(own.prompt?.knowledgeBase).toEqual([
			expect.objectContaining({ id: published.knowledgeBaseDocumentId, type: 'text' }),
		]);
		expect(
			knowledgeBaseDocuments(sandbox).get(String(published.knowledgeBaseDocumentId))?.text,
		).toContain('Hamburg-Eppendorf');
		expect(Object.keys(agent.platformSettings?.dataCollection ?? {})).toEqual(
			expect.arrayContaining([
				'consent_given',
				'still_interested',
				'earliest_start_date',
				'salary_expectation',
				'opt_out',
				'callback_time',
			]),
		);
		expect(agent.platformSettings?.evaluation?.criteria?.length).toBeGreaterThan(0);
		expect(agent.platformSettings?.overrides?.conversationConfigOverride?.agent).toMatchObject({
			prompt: { prompt: true },
			firstMessage: true,
			language: true,
		});

		sandbox.requests.clear();
		const second = await n8n.execute(workflow.id);
		expect(second.status).toBe('success');
		expect(second.json(publishNode().name)[0]).toMatchObject({
			agentId: bare,
			changed: [],
			diff: {},
			knowledgeBaseDocumentId: published.knowledgeBaseDocumentId,
		});
		expect(sandbox.requests.all().filter((r) => r.method !== 'GET')).toEqual([]);
	});
});
