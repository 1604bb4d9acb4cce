/** Shared set-up of the Place Agent Call engine tests: the node's defaults, run against the sandbox. */
import type { IDataObject, INodeParameters, OnError } from 'n8n-workflow';

import type { Sandbox } from '../../sandbox';
import { conversationStore } from '../../sandbox/conversations';
import { locator, runNode } from './harness';
import type { CredentialData, PackageNode } from './harness';

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
		dynamicVariables: {
			candidate_name: 'Anna Schmidt',
			company: 'Muster GmbH',
			job_title: 'Lagerist',
		},
	},
};

/** Three candidates with their own ids and numbers (+4917112345610, …20, …30). */
export const CANDIDATES = [1, 2, 3].map((n) => ({
	...CANDIDATE,
	candidateId: `c${n}`,
	phone: `0171 123456${n}0`,
}));

export function placeParameters(sandbox: Sandbox, extra: INodeParameters = {}): INodeParameters {
	return {
		resource: 'call',
		operation: 'place',
		agentId: locator(sandbox.ids.agents.recruitingDe),
		phoneNumberId: locator(sandbox.ids.phoneNumbers.twilioDe),
		campaign: 'test-campaign',
		skipIfAlreadyCalled: false,
		...ALWAYS_OPEN,
		...extra,
		options: { callsPerMinute: 0, ...((extra.options as IDataObject) ?? {}) },
	};
}

/** Campaign → Submit's own parameters: a window open at any moment, holidays off, `options` on top. */
export function submitParameters(sandbox: Sandbox, options: IDataObject = {}): INodeParameters {
	return {
		agentId: locator(sandbox.ids.agents.recruitingDe),
		phoneNumberId: locator(sandbox.ids.phoneNumbers.twilioDe),
		callName: 'Lager Leipzig',
		campaign: 'lager-leipzig',
		callingDays: [1, 2, 3, 4, 5, 6, 7],
		windowStart: '00:00',
		windowEnd: '24:00',
		options: { skipHolidays: false, ...options },
	};
}

/** Place Agent Call (operation Place) with the defaults above and `extra` on top. */
/** A campaign operation on the sandbox's German agent and number. */
export function campaignNode(
	sandbox: Sandbox,
	operation: string,
	parameters: INodeParameters,
): PackageNode {
	return {
		type: 'agentCall',
		name: NODE,
		parameters: {
			resource: 'campaign',
			operation,
			agentId: locator(sandbox.ids.agents.recruitingDe),
			phoneNumberId: locator(sandbox.ids.phoneNumbers.twilioDe),
			...parameters,
		},
	};
}

export function placeNode(
	sandbox: Sandbox,
	extra: INodeParameters = {},
	onError?: OnError,
): PackageNode {
	return { type: 'agentCall', name: NODE, parameters: placeParameters(sandbox, extra), onError };
}

/** Runs Place Agent Call for `items` with the sandbox's credentials (`credentials` replaces some of them). */
export async function runPlace(
	sandbox: Sandbox,
	items: IDataObject[],
	extra: INodeParameters = {},
	node: { onError?: OnError; credentials?: CredentialData } = {},
) {
	return await runNode(placeNode(sandbox, extra, node.onError), {
		credentials: { ...sandbox.credentials(), ...node.credentials },
		items,
	});
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
