/** Candidate parameters: phone number, campaign, candidate ID, prompt and dynamic variables */
import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

/** Who is called and what the agent is told: the same for one call and for a campaign. */
export function candidateProperties(show: NonNullable<IDisplayOptions['show']>): INodeProperties[] {
	return [
		{
			displayName: 'Candidate Phone Number',
			name: 'phone',
			type: 'string',
			required: true,
			default: '={{ $json.phone }}',
			placeholder: '0171 1234567',
			description:
				'The number to call. National numbers are read in the default region (Germany unless changed under Options), so 0171 1234567, +49 171 1234567 and 0049 171 1234567 all work.',
			displayOptions: { show },
		},
		{
			displayName: 'Campaign',
			name: 'campaign',
			type: 'string',
			default: '={{ $workflow.id }}',
			description:
				'Name of this calling campaign. Together with the candidate ID (or the phone number) it makes the idempotency key, so each candidate is called once per campaign. Use a new name to call the same people again for another job.',
			displayOptions: { show },
		},
		{
			displayName: 'Candidate ID',
			name: 'candidateId',
			type: 'string',
			default: '={{ $json.candidateId }}',
			description:
				'Your ID of the candidate (e.g. from the ATS). When empty, the phone number identifies the candidate.',
			displayOptions: { show },
		},
		{
			displayName: 'Send Prompt From Item',
			name: 'sendItemPrompt',
			type: 'boolean',
			default: true,
			description:
				'Whether to send the system prompt, first message, language and dynamic variables that Build Recruiting Prompt wrote into the item field "prompt". The agent must allow these overrides (agent → Security).',
			displayOptions: { show },
		},
		{
			displayName: 'Dynamic Variables',
			name: 'dynamicVariables',
			type: 'fixedCollection',
			placeholder: 'Add Variable',
			typeOptions: { multipleValues: true },
			default: {},
			description:
				'Values for {{placeholders}} in the agent’s prompt and first message, in addition to those of the item’s prompt',
			displayOptions: { show },
			options: [
				{
					displayName: 'Variable',
					name: 'variable',
					values: [
						{
							displayName: 'Name',
							name: 'name',
							type: 'string',
							default: '',
							placeholder: 'candidate_name',
						},
						{ displayName: 'Value', name: 'value', type: 'string', default: '' },
					],
				},
			],
		},
	];
}

/** Number kinds beyond a person's mobile, landline or VoIP number, in the options of Place and Submit. */
export const numberKindOptions: INodeProperties[] = [
	{
		displayName: 'Allow Satellite and Network Numbers',
		name: 'allowNonGeographic',
		type: 'boolean',
		default: false,
		description:
			'Whether to call numbers of no country: satellite phones (+870, +881) and international networks (+882, +883). Such calls cost several euros a minute.',
	},
];
