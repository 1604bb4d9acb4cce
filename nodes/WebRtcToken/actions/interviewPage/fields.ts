/** Interview page parameters (language, company, contact e-mail) and how the page connects */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ELEVENLABS_CREDENTIAL } from '../../../shared/vendors/elevenLabsClient';
import { problem, ProblemError } from '../../../shared/n8n/problems';
import type { Checked } from '../../../shared/n8n/problems';
import { elevenLabsBaseUrl } from '../../../shared/vendors/regions';
import type { PageConnection } from '../../helpers/interviewPage';
import { livekitUrl } from '../../helpers/serverLocation';

/** Shared by the interview page and the notice page. */
export const languageField: INodeProperties = {
	displayName: 'Language',
	name: 'language',
	type: 'options',
	options: [
		{ name: 'German (Sie)', value: 'de' },
		{ name: 'English', value: 'en' },
	],
	default: 'de',
	description:
		'The language of the page. The conversation itself speaks the language Build Recruiting Prompt chose.',
};

export const companyField: INodeProperties = {
	displayName: 'Company',
	name: 'company',
	type: 'string',
	default: '={{ $json.company }}',
	description:
		'The company the candidate applied to, shown on the page and in the recording notice',
};

export const contactEmailField: INodeProperties = {
	displayName: 'Contact E-Mail',
	name: 'contactEmail',
	type: 'string',
	placeholder: 'recruiting@example.de',
	default: '',
	description:
		'Where candidates write when they would rather talk to a person, or when something fails. Empty leaves the lines out.',
};

/**
 * How the candidate connects, from what Fetch WebRTC Token put on the item: a signed URL means
 * WebSocket, a conversation token WebRTC. So the choice is the earlier node's operation.
 */
export function itemConnection(
	json: Record<string, unknown>,
): Checked<
	{ type: 'websocket'; signedUrl: string } | { type: 'webrtc'; conversationToken: string }
> {
	if (typeof json.signedUrl === 'string' && json.signedUrl)
		return { ok: true, value: { type: 'websocket', signedUrl: json.signedUrl } };
	if (typeof json.token === 'string' && json.token)
		return { ok: true, value: { type: 'webrtc', conversationToken: json.token } };
	return problem(
		'The item has no conversation token and no signed URL',
		'Put Fetch WebRTC Token ("Get WebRTC Token" or "Get Signed WebSocket URL") before this node, so that the item carries `token` or `signedUrl`.',
	);
}

/** The connection the page uses; for WebRTC with the LiveKit server of the credential's region. */
export async function readConnection(
	ctx: IExecuteFunctions,
	json: Record<string, unknown>,
	livekitOverride: string,
	itemIndex: number,
): Promise<PageConnection> {
	const found = itemConnection(json);
	if (!found.ok) throw new ProblemError(found.message, found.hint);
	if (found.value.type === 'websocket') return found.value;
	if (livekitOverride) return { ...found.value, livekitUrl: livekitOverride };
	const credentials = await ctx.getCredentials(ELEVENLABS_CREDENTIAL, itemIndex);
	const baseUrl = elevenLabsBaseUrl(credentials.region, credentials.baseUrl);
	if (!baseUrl.ok) throw new ProblemError(baseUrl.message, baseUrl.hint);
	const url = livekitUrl(credentials.region, baseUrl.value);
	if (!url.ok) throw new ProblemError(url.message, url.hint);
	return { ...found.value, livekitUrl: url.value };
}
