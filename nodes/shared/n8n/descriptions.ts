/** Shared parameters: the agent and agent phone-number pickers, and reading a locator's id */
import type { INodeProperties } from 'n8n-workflow';

/** The agent picker used by every node that talks to an agent (parameter `agentId`). */
export const agentLocator: INodeProperties = {
	displayName: 'Agent',
	name: 'agentId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The ElevenLabs agent that holds the conversation',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchAgents', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'agent_01abc…',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: '^[A-Za-z0-9_-]+$',
						errorMessage: 'An agent ID has only letters, digits, _ and -',
					},
				},
			],
		},
	],
};

/** The agent phone-number picker (parameter `phoneNumberId`: ElevenLabs' id, not the number). */
export const phoneNumberLocator: INodeProperties = {
	displayName: 'Agent Phone Number',
	name: 'phoneNumberId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The number the agent calls from, as imported into ElevenLabs (Phone Numbers)',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchPhoneNumbers', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'phnum_01abc…',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: '^[A-Za-z0-9_-]+$',
						errorMessage: 'A phone number ID has only letters, digits, _ and -',
					},
				},
			],
		},
	],
};

/** The id a resource locator holds (`{ mode, value }`, or a plain string from older saves). */
export function locatorValue(locator: unknown): string | undefined {
	const value =
		locator && typeof locator === 'object' ? (locator as { value?: unknown }).value : locator;
	return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}
