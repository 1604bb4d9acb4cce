/** Shared set-up of the Get Transcript engine tests: the node with a resource's parameters. */
import type { IDataObject, INodeParameters, OnError } from 'n8n-workflow';

import type { CredentialOptions, Sandbox } from '../../sandbox';
import { runNode } from './harness';
import type { PackageNode } from './harness';
import { elevenLabsCredential } from './sandbox.helpers';

export const NODE = 'Get Transcript';

/** Get Transcript with a resource's parameters. */
export function transcriptNode(parameters: INodeParameters, onError?: OnError): PackageNode {
	return {
		type: 'transcript',
		name: NODE,
		parameters: { resource: 'conversation', ...parameters },
		onError,
	};
}

/** Get, waiting for the call to end (polls every 0.3 s, for at most a minute): the step after Place Agent Call. */
export function waitingGetNode(): PackageNode {
	return transcriptNode({
		operation: 'get',
		waitForCompletion: true,
		timeoutSeconds: 60,
		options: { pollIntervalSeconds: 0.3 },
	});
}

export async function runTranscript(
	sandbox: Sandbox,
	parameters: INodeParameters,
	items: IDataObject[],
	options: { onError?: OnError; credentials?: CredentialOptions } = {},
) {
	return await runNode(transcriptNode(parameters, options.onError), {
		credentials: elevenLabsCredential(sandbox, options.credentials),
		items,
	});
}
