/** Shared pieces of the end-to-end tests: a fresh n8n with the package, and workflow builders. */
import { NodeConnectionTypes } from 'n8n-workflow';
import type { INode } from 'n8n-workflow';

import { N8nInstance } from '../../scripts/n8n';
import type { WorkflowJson } from '../../scripts/n8n';

/** Set by globalSetup: the tarball of this run's `npm pack`. */
export const TARBALL_ENV = 'N8N_E2E_PACKAGE_TARBALL';

/** The package's node types in workflows, e.g. `n8n-nodes-voice-recruiting.agentCall`. */
export const PACKAGE_PREFIX = 'n8n-nodes-voice-recruiting';

/** A fresh n8n user folder with the packed package installed as a community package. */
export async function createN8n(label: string): Promise<N8nInstance> {
	const tarball = process.env[TARBALL_ENV];
	if (!tarball)
		throw new Error(`${TARBALL_ENV} is not set: run the e2e tests with "npm run test:e2e"`);
	return await N8nInstance.create({ tarball, label });
}

/** The Manual Trigger that `n8n execute` starts from. */
export const MANUAL_TRIGGER: INode = {
	id: 'e2e-manual-trigger',
	name: 'Start',
	type: 'n8n-nodes-base.manualTrigger',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

/** Edit Fields (Set) that makes the webhook's JSON body the item: the candidate a form or ATS posted. */
export function bodyAsItemNode(id: string): INode {
	return {
		id,
		name: 'Candidate',
		type: 'n8n-nodes-base.set',
		typeVersion: 3.4,
		position: [0, 0],
		parameters: { mode: 'raw', jsonOutput: '={{ JSON.stringify($json.body) }}', options: {} },
	};
}

/** A workflow that runs `nodes` one after the other behind a Manual Trigger. */
export function manualWorkflow(id: string, name: string, nodes: INode[]): WorkflowJson {
	return chainWorkflow(id, name, [MANUAL_TRIGGER, ...nodes]);
}

/**
 * A production Webhook node (POST) that answers with the first item of the workflow's last node.
 * `webhookId` gives it a stable production URL, `/webhook/<path>`.
 */
export function webhookNode(name: string, webhookPath: string, webhookId: string): INode {
	return {
		id: `e2e-${name.replace(/\W+/g, '-')}`,
		name,
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		webhookId,
		parameters: {
			httpMethod: 'POST',
			path: webhookPath,
			responseMode: 'lastNode',
			responseData: 'firstEntryJson',
			options: {},
		},
	};
}

/** A workflow that runs `nodes` one after the other, the first one being its trigger. */
export function chainWorkflow(id: string, name: string, nodes: INode[]): WorkflowJson {
	const chain = nodes.map((node, index) => ({
		...node,
		position: [index * 220, 0] as [number, number],
	}));
	const connections: WorkflowJson['connections'] = {};
	for (let index = 1; index < chain.length; index++) {
		connections[chain[index - 1].name] = {
			main: [[{ node: chain[index].name, type: NodeConnectionTypes.Main, index: 0 }]],
		};
	}
	return { id, name, nodes: chain, connections, settings: { executionOrder: 'v1' } };
}

/**
 * Polls `probe` every 250 ms until it gives a value; after `timeoutMs` (30 s) fails with what it
 * waited for and, when given, what helps to see why (e.g. the end of n8n's log).
 */
export async function eventually<T>(
	what: string,
	probe: () => Promise<T | undefined> | T | undefined,
	options: { timeoutMs?: number; diagnosis?: () => string } = {},
): Promise<T> {
	const deadline = Date.now() + (options.timeoutMs ?? 30_000);
	for (;;) {
		const value = await probe();
		if (value !== undefined) return value;
		if (Date.now() > deadline)
			throw new Error(`Timed out waiting for ${what}\n${options.diagnosis?.() ?? ''}`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}
