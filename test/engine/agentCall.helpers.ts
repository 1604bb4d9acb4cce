/** Shared set-up of the Place Agent Call engine tests: the node in a workflow, run against the sandbox. */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { Sandbox } from '../../sandbox';
import { conversationStore } from '../../sandbox/conversations';
import { runWorkflow, singleNodeWorkflow } from './harness';

export const NODE = 'Place Agent Call';

/** A window open at any moment: every day, all day, no holidays (the window has its own tests). */
export const ALWAYS_OPEN: INodeParameters = {
	useCallingWindow: true,
	callingDays: [1, 2, 3, 4, 5, 6, 7],
	windowStart: '00:00',
	windowEnd: '24:00',
	windowOptions: { skipHolidays: false },
};

export const CANDIDATE = {
	name: 'Anna Schmidt',
	phone: '0171 12345601',
	candidateId: 'cand-1',
	prompt: {
		system: 'Du bist Lena von {{company}} und sprichst mit {{candidate_name}} über {{job_title}}.',
		firstMessage: 'Hallo {{candidate_name}}!',
		language: 'de',
		dynamicVariables: { candidate_name: 'Anna Schmidt', company: 'Muster GmbH', job_title: 'Lagerist' },
	},
};

export function placeParameters(sandbox: Sandbox, extra: INodeParameters = {}): INodeParameters {
	return {
		resource: 'call',
		operation: 'place',
		agentId: { __rl: true, mode: 'id', value: sandbox.ids.agents.recruitingDe },
		phoneNumberId: { __rl: true, mode: 'id', value: sandbox.ids.phoneNumbers.twilioDe },
		campaign: 'test-campaign',
		skipIfAlreadyCalled: false,
		...ALWAYS_OPEN,
		...extra,
		options: { callsPerMinute: 0, ...((extra.options as IDataObject) ?? {}) },
	};
}

export async function runPlace(
	sandbox: Sandbox,
	items: IDataObject[],
	extra: INodeParameters = {},
	node: { continueOnFail?: boolean; credentials?: Record<string, IDataObject> } = {},
) {
	const workflow = singleNodeWorkflow({
		name: NODE,
		type: 'n8n-nodes-voice-recruiting.agentCall',
		parameters: placeParameters(sandbox, extra),
		credentials: {
			elevenLabsAgentsApi: { id: '1', name: 'ElevenLabs' },
			twilioCallsApi: { id: '2', name: 'Twilio' },
		},
		...(node.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
	});
	const credentials = { ...sandbox.credentials(), ...(node.credentials ?? {}) };
	return await runWorkflow(workflow, { credentials: credentials as never, items });
}

/** People actually dialled: every carried-out dial starts exactly one conversation in the sandbox. */
export function dialled(sandbox: Sandbox): number {
	return conversationStore(sandbox).list().length;
}

/** Requests sent to the dialling endpoints (attempts, whatever their outcome). */
export function dialAttempts(sandbox: Sandbox): number {
	return (
		sandbox.requests.count('POST', '/v1/convai/twilio/outbound-call') +
		sandbox.requests.count('POST', '/v1/convai/sip-trunk/outbound-call') +
		sandbox.requests.count('POST', /\/Calls\.json$/)
	);
}

export function conversations(sandbox: Sandbox) {
	return conversationStore(sandbox);
}
