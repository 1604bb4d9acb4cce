import type { ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { elevenLabsApiError } from './errors';
import { elevenLabsClient } from './elevenLabsClient';

const PAGE_SIZE = 100;

/** Agents of the credential's workspace, searchable by name, paged with the API's cursor. */
export async function searchAgents(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const { client, secrets } = await elevenLabsClient(this);
	try {
		const page = await client.conversationalAi.agents.list({
			pageSize: PAGE_SIZE,
			search: filter || undefined,
			cursor: paginationToken || undefined,
		});
		const results: INodeListSearchItems[] = page.agents.map((agent) => ({
			name: agent.name || agent.agentId,
			value: agent.agentId,
		}));
		return { results, paginationToken: page.hasMore ? page.nextCursor : undefined };
	} catch (error) {
		throw elevenLabsApiError(this.getNode(), error, secrets, { action: 'list the agents' });
	}
}

/** Phone numbers imported into ElevenLabs, shown with number, label and provider. */
export async function searchPhoneNumbers(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const { client, secrets } = await elevenLabsClient(this);
	try {
		const numbers = await client.conversationalAi.phoneNumbers.list();
		const needle = (filter ?? '').toLowerCase().replace(/\s+/g, '');
		const results: INodeListSearchItems[] = numbers
			.map((n) => ({
				name: `${n.phoneNumber}${n.label ? ` · ${n.label}` : ''} (${n.provider === 'sip_trunk' ? 'SIP trunk' : n.provider})`,
				value: n.phoneNumberId,
			}))
			.filter((item) => !needle || item.name.toLowerCase().replace(/\s+/g, '').includes(needle));
		return { results };
	} catch (error) {
		throw elevenLabsApiError(this.getNode(), error, secrets, { action: 'list the phone numbers' });
	}
}
