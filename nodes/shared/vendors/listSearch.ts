/** The editor's pickers: agents and phone numbers of the ElevenLabs workspace */
import type {
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
	INodePropertyOptions,
} from 'n8n-workflow';

import { listAgents, listPhoneNumbers } from './elevenLabsApi';
import { elevenLabsClient } from './elevenLabsClient';
import { nextCursor } from './elevenLabsPages';

const PAGE_SIZE = 100;

/** Agents of the credential's workspace, searchable by name, paged with the API's cursor. */
export async function searchAgents(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const page = await listAgents(
		await elevenLabsClient(this),
		{ node: this.getNode() },
		{
			pageSize: PAGE_SIZE,
			search: filter || undefined,
			cursor: paginationToken || undefined,
		},
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
	const numbers = await listPhoneNumbers(await elevenLabsClient(this), { node: this.getNode() });
	const needle = (filter ?? '').toLowerCase().replace(/\s+/g, '');
	const results: INodeListSearchItems[] = numbers
		.map((n) => ({
			name: `${n.phoneNumber}${n.label ? ` · ${n.label}` : ''} (${n.provider === 'sip_trunk' ? 'SIP trunk' : n.provider})`,
			value: n.phoneNumberId,
		}))
		.filter((item) => !needle || item.name.toLowerCase().replace(/\s+/g, '').includes(needle));
	return { results };
}
