import type { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import type {
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
	INodePropertyOptions,
} from 'n8n-workflow';

import { elevenLabsClient } from './elevenLabsClient';
import { elevenLabsRequest, nextCursor } from './elevenLabsTransport';

const PAGE_SIZE = 100;

/** One list request of a picker, with the credential the node is set up with. */
async function listFor<T>(
	ctx: ILoadOptionsFunctions,
	action: string,
	call: (client: ElevenLabsClient) => Promise<T>,
): Promise<T> {
	return await elevenLabsRequest(ctx.getNode(), await elevenLabsClient(ctx), { action }, call);
}

/** Agents of the credential's workspace, searchable by name, paged with the API's cursor. */
export async function searchAgents(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const page = await listFor(this, 'list the agents', (client) =>
		client.conversationalAi.agents.list({
			pageSize: PAGE_SIZE,
			search: filter || undefined,
			cursor: paginationToken || undefined,
		}),
	);
	const results: INodeListSearchItems[] = page.agents.map((agent) => ({
		name: agent.name || agent.agentId,
		value: agent.agentId,
	}));
	return { results, paginationToken: nextCursor(page) };
}

/** Every agent of the workspace, for a multi-select (a few pages of the same list at most). */
export async function agentOptions(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const options: INodePropertyOptions[] = [];
	let token: string | undefined;
	for (let page = 0; page < 10; page++) {
		const { results, paginationToken } = await searchAgents.call(this, undefined, token);
		options.push(...results.map((agent) => ({ name: agent.name, value: agent.value })));
		token = typeof paginationToken === 'string' ? paginationToken : undefined;
		if (!token) break;
	}
	return options;
}

/** Phone numbers imported into ElevenLabs, shown with number, label and provider. */
export async function searchPhoneNumbers(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const numbers = await listFor(this, 'list the phone numbers', (client) =>
		client.conversationalAi.phoneNumbers.list(),
	);
	const needle = (filter ?? '').toLowerCase().replace(/\s+/g, '');
	const results: INodeListSearchItems[] = numbers
		.map((n) => ({
			name: `${n.phoneNumber}${n.label ? ` · ${n.label}` : ''} (${n.provider === 'sip_trunk' ? 'SIP trunk' : n.provider})`,
			value: n.phoneNumberId,
		}))
		.filter((item) => !needle || item.name.toLowerCase().replace(/\s+/g, '').includes(needle));
	return { results };
}
