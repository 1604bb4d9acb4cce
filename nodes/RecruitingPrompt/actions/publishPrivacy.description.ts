/** Publish parameters for privacy: retention days, audio recording, personal data to redact */
import type { ElevenLabs } from '@elevenlabs/elevenlabs-js';
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { DEFAULT_REDACTED_ENTITIES, DEFAULT_RETENTION_DAYS } from '../helpers/publishPrivacy';
import type { DesiredPrivacy } from '../helpers/publishPrivacy';

/** ElevenLabs' redaction entity types (top level: each covers its subtypes), in the dashboard's words. */
const ENTITIES: Array<{ name: string; value: ElevenLabs.ConfigEntityType }> = [
	{ name: 'Age', value: 'age' },
	{ name: 'Contact Number', value: 'contact_number' },
	{ name: 'Date', value: 'date' },
	{ name: 'Date of Birth', value: 'dob' },
	{ name: 'Email Address', value: 'email_address' },
	{ name: 'Ethnicity or Race', value: 'ethnicity_race' },
	{ name: 'Financial ID (IBAN, Card)', value: 'financial_id' },
	{ name: 'Location (Address)', value: 'location' },
	{ name: 'Marital Status', value: 'marital_status' },
	{ name: 'Medical', value: 'medical' },
	{ name: 'Name', value: 'name' },
	{ name: 'Occupation', value: 'occupation' },
	{ name: 'Organization', value: 'organization' },
	{ name: 'Physical Attribute', value: 'physical_attribute' },
	{ name: 'Political Opinion', value: 'political_opinion' },
	{ name: 'Religious Belief', value: 'religious_belief' },
	{ name: 'Sexual Orientation', value: 'sexual_orientation' },
	{ name: 'Unique ID (Tax, Social Security)', value: 'unique_id' },
];

/** Publish's privacy parameters (top level, so that they are seen, not hidden under options). */
export const privacyProperties: INodeProperties[] = [
	{
		displayName: 'Retention Days',
		name: 'retentionDays',
		type: 'number',
		typeOptions: { minValue: -1 },
		default: DEFAULT_RETENTION_DAYS,
		description:
			'How many days ElevenLabs keeps each conversation (transcript, audio, analysis) before deleting it. Store the results in your sheet or ATS first. -1: no limit (ElevenLabs’ default).',
	},
	{
		displayName: 'Record Audio',
		name: 'recordAudio',
		type: 'boolean',
		default: true,
		description:
			'Whether ElevenLabs keeps the audio of the calls. The bundled sets tell the candidate that the call is recorded; off, only the transcript is kept.',
	},
	{
		displayName: 'Redact Personal Data',
		name: 'redactPii',
		type: 'boolean',
		default: false,
		description:
			'Whether ElevenLabs removes the chosen kinds of personal data from the stored transcript, audio and analysis. Off: the agent’s redaction setting stays as it is.',
	},
	{
		displayName: 'Personal Data to Redact',
		name: 'redactEntities',
		type: 'multiOptions',
		options: ENTITIES,
		default: [...DEFAULT_REDACTED_ENTITIES],
		description:
			'What redaction removes. By default contact data and the special categories of GDPR Art. 9; names stay.',
		displayOptions: { show: { redactPii: [true] } },
	},
];

/** The privacy the node asks of the agent, for one item. */
export function readPrivacy(ctx: IExecuteFunctions, i: number): DesiredPrivacy {
	const days = Number(ctx.getNodeParameter('retentionDays', i, DEFAULT_RETENTION_DAYS));
	const redact = ctx.getNodeParameter('redactPii', i, false) === true;
	const entities = ctx.getNodeParameter(
		'redactEntities',
		i,
		DEFAULT_REDACTED_ENTITIES,
	) as ElevenLabs.ConfigEntityType[];
	return {
		retentionDays: Number.isFinite(days) ? Math.max(-1, Math.round(days)) : DEFAULT_RETENTION_DAYS,
		recordVoice: ctx.getNodeParameter('recordAudio', i, true) !== false,
		redactedEntities: redact ? entities : undefined,
	};
}
