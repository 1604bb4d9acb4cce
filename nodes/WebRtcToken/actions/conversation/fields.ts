/** Browser conversation parameters: environment and branch options, the checked agent ID */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ProblemError } from '../../../shared/n8n/problems';

/** Agent ids: letters, digits, `_` and `-` (`agent_…`, or a speech engine's `seng_…`). */
const AGENT_ID = /^[A-Za-z0-9_-]{1,200}$/;

export const environmentOption: INodeProperties = {
	displayName: 'Environment',
	name: 'environment',
	type: 'string',
	default: '',
	placeholder: 'production',
	description:
		"The agent environment whose environment variables the conversation uses, e.g. staging. Empty means ElevenLabs' default, production.",
};

export const branchOption: INodeProperties = {
	displayName: 'Branch ID',
	name: 'branchId',
	type: 'string',
	default: '',
	placeholder: 'agtbrch_01abc…',
	description:
		'Talk to this branch of the agent instead of its main version (for testing a changed prompt)',
};

export interface CommonOptions {
	environment?: string;
	branchId?: string;
}

/** A trimmed text, or undefined when empty (so that it is left out of the request). */
export function readText(value: unknown): string | undefined {
	return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

/** The options both operations share. */
export function readCommonOptions(options: Record<string, unknown>): CommonOptions {
	return { environment: readText(options.environment), branchId: readText(options.branchId) };
}

/** The chosen agent's id, checked before anything is sent. */
export function readAgentId(ctx: IExecuteFunctions, itemIndex: number): string {
	const raw = ctx.getNodeParameter('agentId', itemIndex, '', { extractValue: true }) as unknown;
	const agentId = readText(raw);
	if (!agentId) {
		throw new ProblemError(
			'No agent chosen',
			'Choose the agent the candidate talks to under "Agent" (from the list, or by its ID agent_…).',
		);
	}
	if (!AGENT_ID.test(agentId)) {
		throw new ProblemError(
			`"${agentId.slice(0, 80)}" is not an agent ID`,
			'An agent ID has only letters, digits, _ and -, for example agent_01abc…. Check what "Agent" is mapped to.',
		);
	}
	return agentId;
}
