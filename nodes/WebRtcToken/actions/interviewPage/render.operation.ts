/** Interview Page → Render: the candidate's page (consent, conversation, transcript) as HTML */
import { updateDisplayOptions } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { ItemParameters } from '../../../shared/n8n/itemParameters';
import { mapItems } from '../../../shared/n8n/items';
import type { OutputField } from '../../../shared/n8n/outputFields';
import { ProblemError } from '../../../shared/n8n/problems';
import { renderInterviewPage } from '../../helpers/interviewPage';
import { pageScript, pageScriptUrl } from '../../helpers/pageAssets';
import { PAGE_TEXT_KEYS } from '../../helpers/pageTexts';
import { readText } from '../conversation/fields';
import { companyField, contactEmailField, languageField, readConnection } from './fields';

/** The page as one item per input item (its other fields are not kept). */
export const outputFields: OutputField[] = [
	{
		name: 'html',
		type: 'string',
		description:
			'The candidate\'s interview page (German "Sie" or English), for Respond to Webhook',
	},
	{ name: 'connectionType', type: 'string', description: '`webrtc` (a token) or `websocket`' },
	{
		name: 'candidateId',
		type: 'string',
		description: "The item's `candidateId`",
		when: 'the item has one',
	},
	{
		name: 'conversationId',
		type: 'string',
		description: "The item's `conversationId`",
		when: 'after *Get WebRTC Token*',
	},
	{ name: 'expiresAt', type: 'string', description: 'When the token or signed URL expires' },
];

const properties: INodeProperties[] = [
	languageField,
	companyField,
	{
		displayName: 'Privacy URL',
		name: 'privacyUrl',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'https://www.example.de/datenschutz',
		description:
			'Your privacy notice, linked from the consent text. Candidates read it before they agree to the recording.',
	},
	contactEmailField,
	{
		displayName: 'Scripts URL',
		name: 'scriptsUrl',
		type: 'string',
		default: 'interview-script',
		description:
			'Where the page loads the ElevenLabs browser client from: the Webhook path that runs "Interview Page › Serve Script" in this workflow (relative to the page), or a full URL. The client is shipped with this package, so no CDN sees the candidate.',
	},
	{
		displayName: 'Wording',
		name: 'wording',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Replace a Text',
		default: {},
		description:
			'Replace texts of the page. {name}, {company} and {jobTitle} are filled in from the candidate.',
		options: [
			{
				displayName: 'Text',
				name: 'texts',
				values: [
					{
						displayName: 'Text',
						name: 'key',
						type: 'options',
						options: PAGE_TEXT_KEYS.map((key) => ({ name: key, value: key })),
						default: 'greeting',
						description: 'Which text of the page to replace',
					},
					{
						displayName: 'New Wording',
						name: 'text',
						type: 'string',
						typeOptions: { rows: 2 },
						default: '',
						description: 'The new text, shown as plain text (no HTML)',
					},
				],
			},
		],
	},
	{
		displayName: 'Dynamic Variables',
		name: 'variables',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Variable',
		// The agent's variable {{name}}: a variable's name, not a display name the rule takes it for.
		// eslint-disable-next-line n8n-nodes-base/node-param-display-name-miscased
		default: { variable: [{ name: 'name', value: '={{ $json.name }}' }] },
		description:
			"What the agent's own prompt uses, e.g. the candidate's name. The candidate's browser sends them, so it can change them: IDs, phone numbers and e-mail addresses are refused, and the page sends no prompt, overrides or user ID (publish the prompt to the agent and switch its overrides off).",
		options: [
			{
				displayName: 'Variable',
				name: 'variable',
				values: [
					{ displayName: 'Name', name: 'name', type: 'string', default: '' },
					{ displayName: 'Value', name: 'value', type: 'string', default: '' },
				],
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'LiveKit URL',
				name: 'livekitUrl',
				type: 'string',
				default: '',
				placeholder: 'wss://livekit.rtc.eu.residency.elevenlabs.io',
				description:
					"For WebRTC: the server the browser connects to. Empty means the one of the credential's region.",
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['interviewPage'], operation: ['render'] } },
	properties,
);

/** Per item the candidate's page as `html`, ready for Respond to Webhook. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const parameters = new ItemParameters(this);
	const read = (name: string, i: number) => String(parameters.getNodeParameter(name, i, '') ?? '');
	return await mapItems(this, async (item, i) => {
		const json = item.json;
		const options = parameters.getNodeParameter('options', i, {}) as Record<string, unknown>;
		const wording = parameters.getNodeParameter('wording', i, {}) as {
			texts?: Array<{ key: string; text: string }>;
		};
		const connection = await readConnection(this, json, readText(options.livekitUrl) ?? '', i);
		const scriptsUrl = read('scriptsUrl', i).trim() || 'interview-script';
		const client = pageScript('elevenlabs-client.js');
		const page = renderInterviewPage({
			language: read('language', i),
			company: read('company', i),
			privacyUrl: read('privacyUrl', i),
			contactEmail: read('contactEmail', i),
			wording: wording.texts ?? [],
			candidate: { name: String(json.name ?? ''), jobTitle: String(json.jobTitle ?? '') },
			variables:
				(
					parameters.getNodeParameter('variables', i, {}) as {
						variable?: Array<{ name?: string; value?: unknown }>;
					}
				).variable?.map((v) => ({ name: String(v.name ?? ''), value: v.value })) ?? [],
			connection,
			expiresAt: String(json.expiresAt ?? ''),
			nowMs: Date.now(),
			clientScript: { url: pageScriptUrl(scriptsUrl, client.name), integrity: client.integrity },
			resamplerUrl: pageScriptUrl(scriptsUrl, 'libsamplerate.worklet.js'),
		});
		if (!page.ok) throw new ProblemError(page.message, page.hint);
		return {
			html: page.value,
			connectionType: connection.type,
			candidateId: json.candidateId,
			conversationId: json.conversationId,
			expiresAt: json.expiresAt,
		};
	});
}
