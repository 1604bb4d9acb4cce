/**
 * Every example workflow of workflows/ in a real n8n 2.41.1 with the packed package:
 * - it imports with n8n's CLI (`n8n import:workflow`) and n8n keeps all of its nodes;
 * - every node type and typeVersion it names exists in that n8n (`/types/nodes.json` of the
 *   running server, package nodes included);
 * - n8n's own parameter checks find nothing: NodeHelpers.getNodeParameters and
 *   getNodeParametersIssues of the runtime's n8n-workflow (run on the runtime's Node 24), against
 *   the node descriptions the editor gets, which is what puts a warning triangle on a node in
 *   the editor; every credential the node needs is referenced; no parameter is one the editor
 *   would drop (unknown, or not shown for the node's settings);
 * - the files follow the repo's rules (fixed ids of at most 21 characters, a sticky note,
 *   connections between existing nodes, credentials by type with an id);
 * - and the suite takes each workflow's picture in the editor (docs/images/workflow-*.png).
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

import type { INode, INodeTypeDescription } from 'n8n-workflow';

import { N8N_CREDENTIAL_IDS, n8nCredentialsForUrl } from '../../sandbox';
import { runProcess } from '../../scripts/process';
import type { N8nInstance, N8nRestClient, WorkflowJson } from '../../scripts/n8n';
import { standInCredentials, takeWorkflowScreenshots, targetsFor } from '../../scripts/screenshots';
import { exampleWorkflowFiles, WORKFLOWS_DIR } from '../../scripts/demo';
import { locator } from '../locator';
import { createN8n } from './helpers';

interface NodeCheck {
	name: string;
	type: 'ok' | 'unknown' | 'unknownVersion';
	versions?: number[];
	parameterIssues?: Record<string, string[]>;
	credentialIssues?: string[];
	dropped?: string[];
	editorParameters?: Record<string, unknown>;
}

let n8n: N8nInstance;
let client: N8nRestClient;
let baseUrl: string;
let nodeTypes: INodeTypeDescription[];
let files: Array<{ file: string; name: string; workflow: WorkflowJson }>;
const checks = new Map<string, NodeCheck[]>();

/** Nodes with known faults: the check must report each of them (it can fail). */
const CONTROL = 'control';
function controlNodes(): INode[] {
	const base = { position: [0, 0] as [number, number] };
	return [
		{
			...base,
			id: 'c1',
			name: 'No agent',
			type: 'n8n-nodes-voice-recruiting.agentCall',
			typeVersion: 1,
			parameters: { agentId: locator('', 'list') },
			credentials: { elevenLabsAgentsApi: { id: 'x', name: 'x' } },
		},
		{
			...base,
			id: 'c2',
			name: 'No credential',
			type: 'n8n-nodes-voice-recruiting.transcript',
			typeVersion: 1,
			parameters: {},
		},
		{
			...base,
			id: 'c3',
			name: 'Typo',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			parameters: { asignments: {} },
		},
		{
			...base,
			id: 'c4',
			name: 'Future version',
			type: 'n8n-nodes-base.set',
			typeVersion: 9,
			parameters: {},
		},
		{
			...base,
			id: 'c5',
			name: 'No such node',
			type: 'n8n-nodes-voice-recruiting.placeCall',
			typeVersion: 1,
			parameters: {},
		},
	];
}

beforeAll(async () => {
	files = (await exampleWorkflowFiles()).map((file) => ({
		file,
		name: path.basename(file, '.json'),
		workflow: JSON.parse(readFileSync(file, 'utf8')) as WorkflowJson,
	}));
	n8n = await createN8n('example workflows');
	// The sandbox credentials (the ids the examples reference) and stand-ins for the other
	// accounts, so that the editor pictures show the credentials as set.
	await n8n.importCredentials([
		...n8nCredentialsForUrl('http://127.0.0.1:8790'),
		...standInCredentials(),
	]);
}, 10 * 60_000);

afterAll(async () => {
	await n8n?.dispose();
});

describe('the example workflows in n8n 2.41.1', () => {
	it('finds the examples, each file with its own fixed id', () => {
		const names = files.map((entry) => entry.name);
		for (const expected of [
			'demo-campaign',
			'form-screen-call',
			'scheduled-campaign',
			'sheets-call-results',
			'sheets-new-candidate',
			'typeform-screen-call',
			'web-interview',
		]) {
			expect(names).toContain(expected);
		}
		const ids = files.map((entry) => entry.workflow.id);
		for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9]{1,21}$/);
		expect(new Set(ids).size).toBe(ids.length);
	});

	it('imports every file with n8n import:workflow, all nodes kept', async () => {
		await n8n.importWorkflows(files.map((entry) => entry.workflow));
		baseUrl = await n8n.start();
		client = await n8n.setupOwner();
		for (const { workflow } of files) {
			const stored = await client.call<{ id: string; nodes: INode[] }>(
				'GET',
				`/rest/workflows/${workflow.id}`,
			);
			expect(stored.id).toBe(workflow.id);
			expect(stored.nodes.map((node) => node.name).sort()).toEqual(
				workflow.nodes.map((node) => node.name).sort(),
			);
		}
		nodeTypes = await client.nodeTypes();
		expect(nodeTypes.some((type) => type.name === 'n8n-nodes-voice-recruiting.agentCall')).toBe(
			true,
		);

		// n8n's own checks, in n8n's own n8n-workflow on n8n's Node 24.
		const used = new Set(files.flatMap((entry) => entry.workflow.nodes.map((node) => node.type)));
		const input = JSON.stringify({
			nodeTypes: nodeTypes.filter((type) => used.has(type.name)),
			workflows: [
				...files.map((entry) => ({ name: entry.name, nodes: entry.workflow.nodes })),
				{ name: CONTROL, nodes: controlNodes() },
			],
		});
		const result = await runProcess(
			n8n.runtime.node,
			[
				path.join(__dirname, 'workflowsNodeCheck.js'),
				path.join(n8n.runtime.dir, 'node_modules', 'n8n-workflow'),
			],
			{ input, timeoutMs: 120_000 },
		);
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
		for (const entry of JSON.parse(result.stdout) as Array<{ name: string; nodes: NodeCheck[] }>)
			checks.set(entry.name, entry.nodes);
	});

	it('the check reports what the editor would flag (control nodes with known faults)', () => {
		const byName = new Map(checks.get(CONTROL)!.map((node) => [node.name, node]));
		expect(Object.keys(byName.get('No agent')!.parameterIssues ?? {})).toEqual(
			expect.arrayContaining(['agentId', 'phoneNumberId']),
		);
		expect(byName.get('No credential')!.credentialIssues).toEqual(['elevenLabsAgentsApi']);
		expect(byName.get('Typo')!.dropped).toEqual(['asignments']);
		expect(byName.get('Future version')!.type).toBe('unknownVersion');
		expect(byName.get('No such node')!.type).toBe('unknown');
	});

	// Every file of workflows/, also those added later (e.g. set-up-agent.json).
	describe.each(
		readdirSync(WORKFLOWS_DIR)
			.filter((file) => file.endsWith('.json'))
			.map((file) => path.basename(file, '.json')),
	)('%s', (name) => {
		const entry = () => files.find((candidate) => candidate.name === name)!;

		it('uses only node types and versions of this n8n', () => {
			const result = checks.get(name)!;
			const unknown = result
				.filter((node) => node.type !== 'ok')
				.map((node) => `${node.name}: ${node.type} (${node.versions?.join(', ')})`);
			expect(unknown).toEqual([]);
			expect(result).toHaveLength(entry().workflow.nodes.length);
		});

		it('has no parameter issues as the n8n editor shows them, and no parameter the editor drops', () => {
			const problems = checks
				.get(name)!
				.filter((node) => node.type === 'ok')
				.flatMap((node) => [
					...Object.entries(node.parameterIssues ?? {}).map(
						([parameter, issues]) => `${node.name} › ${parameter}: ${issues.join(' ')}`,
					),
					...(node.credentialIssues ?? []).map(
						(credential) => `${node.name}: credential ${credential} not set`,
					),
					...(node.dropped ?? []).map(
						(parameter) => `${node.name} › ${parameter}: dropped by the editor`,
					),
				]);
			expect(problems).toEqual([]);
		});

		it('follows the repo rules: a sticky note, connections between its nodes, credentials by type with an id', () => {
			const { workflow } = entry();
			const names = new Set(workflow.nodes.map((node) => node.name));
			const sticky = workflow.nodes.filter((node) => node.type === 'n8n-nodes-base.stickyNote');
			expect(sticky.length).toBeGreaterThanOrEqual(1);
			expect(String(sticky[0].parameters.content)).toMatch(/set ?up/i);
			for (const [from, outputs] of Object.entries(workflow.connections)) {
				expect(names).toContain(from);
				for (const target of (outputs.main ?? []).flat()) expect(names).toContain(target?.node);
			}
			const credentialTypes = new Set(
				nodeTypes.flatMap((type) => (type.credentials ?? []).map((credential) => credential.name)),
			);
			for (const node of workflow.nodes) {
				for (const [type, reference] of Object.entries(node.credentials ?? {})) {
					expect(credentialTypes).toContain(type);
					expect(reference.id).toEqual(expect.any(String));
				}
				// Nodes with webhooks keep a fixed webhook id, so their URLs survive an import.
				const description = nodeTypes.find((type) => type.name === node.type);
				if (description?.webhooks?.length && description.group.includes('trigger'))
					expect(node.webhookId).toEqual(expect.any(String));
			}
		});
	});

	it('points the ElevenLabs credential at the sandbox ids, so that the demo runs without set-up', () => {
		const ids = new Set(
			files.flatMap(({ workflow }) =>
				workflow.nodes.map((node) => node.credentials?.elevenLabsAgentsApi?.id).filter(Boolean),
			),
		);
		expect([...ids]).toEqual([N8N_CREDENTIAL_IDS.elevenLabsAgentsApi]);
	});

	it('takes a picture of each example in the editor', async () => {
		const saved = await takeWorkflowScreenshots({ baseUrl, targets: targetsFor(files) });
		expect(saved.map((file) => path.basename(file)).sort()).toEqual(
			files.map((entry) => `workflow-${entry.name}.png`).sort(),
		);
		for (const file of saved) {
			const png = readFileSync(file);
			expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
			// A canvas with nodes, not a blank page or a login form: the PNG is far from tiny.
			expect(png.length).toBeGreaterThan(40_000);
		}
	});
});
