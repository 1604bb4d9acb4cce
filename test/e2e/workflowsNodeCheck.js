/**
 * Checks workflow nodes the way n8n's editor does, with n8n's own code: run with the n8n
 * runtime's Node 24 by test/e2e/workflows.test.ts, as
 *
 *   node workflowsNodeCheck.js <path of the runtime's n8n-workflow package>  < input.json
 *
 * Input (stdin): { nodeTypes: INodeTypeDescription[] (from the running n8n's /types/nodes.json),
 *                  workflows: [{ name, nodes: INode[] }] }
 * Output (stdout): one JSON document, per workflow and node:
 *   - `type`: 'unknown' (no such node type), 'unknownVersion' (the type lacks this typeVersion) or 'ok';
 *   - `parameterIssues`: NodeHelpers.getNodeParametersIssues on the parameters as the editor
 *     loads them (NodeHelpers.getNodeParameters with defaults), exactly what the canvas shows as
 *     the node's warning triangle;
 *   - `credentialIssues`: credential types the node requires with its parameters (the editor's
 *     "Credentials for … are not set"), via NodeHelpers.displayParameter as the editor does;
 *   - `dropped`: parameters the editor drops on load (unknown names, or not shown for these
 *     settings), i.e. parameters that do nothing;
 *   - `editorParameters`: the parameters as the editor would save the node (NodeHelpers
 *     .getNodeParameters without defaults), to compare with the file.
 *
 * Plain JavaScript on purpose: it runs outside jest and ts, on Node 24, against the n8n-workflow
 * that n8n itself loads.
 */
'use strict';

const { readFileSync } = require('node:fs');

const workflowPackage = process.argv[2];
if (!workflowPackage) throw new Error('usage: node workflowsNodeCheck.js <n8n-workflow package path> < input.json');
const { NodeHelpers } = require(workflowPackage);

const input = JSON.parse(readFileSync(0, 'utf8'));

function findType(node) {
	const candidates = input.nodeTypes.filter((description) => description.name === node.type);
	if (!candidates.length) return { status: 'unknown' };
	const description = candidates.find((d) => [].concat(d.version).includes(node.typeVersion));
	if (!description) return { status: 'unknownVersion', versions: candidates.flatMap((d) => [].concat(d.version)) };
	return { status: 'ok', description };
}

function credentialIssues(node, description, parameters) {
	const missing = [];
	for (const credential of description.credentials ?? []) {
		// The editor's getNodeCredentialIssues: a credential shown for these parameters and required.
		if (!NodeHelpers.displayParameter(parameters, credential, node, description)) continue;
		if (credential.required && !node.credentials?.[credential.name]) missing.push(credential.name);
	}
	return missing;
}

const output = input.workflows.map((workflow) => ({
	name: workflow.name,
	nodes: workflow.nodes.map((node) => {
		const found = findType(node);
		if (found.status !== 'ok') return { name: node.name, type: found.status, versions: found.versions ?? [] };
		const { description } = found;
		const original = node.parameters ?? {};
		const loaded = NodeHelpers.getNodeParameters(description.properties, original, true, false, node, description) ?? {};
		const issues = NodeHelpers.getNodeParametersIssues(description.properties, { ...node, parameters: loaded }, description);
		const saved = NodeHelpers.getNodeParameters(description.properties, loaded, false, false, node, description) ?? {};
		return {
			name: node.name,
			type: 'ok',
			parameterIssues: issues?.parameters ?? {},
			credentialIssues: credentialIssues(node, description, loaded),
			dropped: Object.keys(original).filter((key) => !(key in loaded)),
			editorParameters: saved,
		};
	}),
}));

process.stdout.write(JSON.stringify(output));
