/** Conversation → Download Audio: the call recording as checked, streamed binary MP3 */
import { updateDisplayOptions } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

import { isFinished } from '../../../shared/conversation/conversationStatus';
import { locatorValue } from '../../../shared/n8n/descriptions';
import { getConversation, getConversationAudio } from '../../../shared/vendors/elevenLabsApi';
import { elevenLabsClient } from '../../../shared/vendors/elevenLabsClient';
import type { ElevenLabsConnection } from '../../../shared/vendors/elevenLabsClient';
import { mapItems } from '../../../shared/n8n/items';
import { ProblemError } from '../../../shared/n8n/problems';
import { AUDIO_HEAD_BYTES, audioProblem } from '../../../shared/conversation/mp3';
import { safeFileName } from '../../../shared/text/safeFileName';
import { peekStream } from '../../helpers/peekStream';
import { assertAgent, readConversationId } from '../../helpers/conversations';
import { conversationIdField, onlyForAgentOption } from './fields';

const properties: INodeProperties[] = [
	conversationIdField,
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		required: true,
		default: 'data',
		hint: 'The name of the output binary field to put the audio in',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'File Name',
				name: 'fileName',
				type: 'string',
				default: '',
				placeholder: 'interview.mp3',
				description: 'Name of the audio file; the conversation ID with .mp3 when empty',
			},
			onlyForAgentOption,
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['conversation'], operation: ['downloadAudio'] } },
	properties,
);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const connection = await elevenLabsClient(this);
	return await mapItems(this, async (item, i) => {
		const conversationId = readConversationId(this, item, i);
		const property =
			String(this.getNodeParameter('binaryPropertyName', i, 'data')).trim() || 'data';
		const options = this.getNodeParameter('options', i, {}) as {
			fileName?: string;
			agentId?: unknown;
		};
		const agentId = locatorValue(options.agentId);
		if (agentId) {
			const conversation = await getConversation(
				connection,
				{ node: this.getNode(), itemIndex: i },
				conversationId,
			);
			assertAgent(conversation, agentId);
			if (!conversation.hasAudio) throw noAudioError(conversationId, conversation.status);
		}
		const audio = await downloadAudio(this, connection, conversationId, i);
		const fileName = options.fileName?.trim() || safeFileName(conversationId, 'mp3');
		const binary = await this.helpers.prepareBinaryData(audio, fileName, 'audio/mpeg');
		return { json: { ...item.json }, binary: { ...item.binary, [property]: binary } };
	});
}

/** The recording as a Node stream, so n8n's filesystem binary mode never holds it in memory. */
async function downloadAudio(
	ctx: IExecuteFunctions,
	connection: ElevenLabsConnection,
	conversationId: string,
	itemIndex: number,
): Promise<Readable> {
	const audio = await getConversationAudio.attempt(connection, conversationId);
	if (audio.ok) {
		const body = Readable.fromWeb(audio.value.data as unknown as WebReadableStream<Uint8Array>);
		const { head, stream } = await peekStream(body, AUDIO_HEAD_BYTES);
		const problem = audioProblem(audio.value.rawResponse.headers.get('content-type'), head);
		if (!problem) return stream;
		stream.destroy();
		// The body itself stays out of the message: it may be a vendor page that echoes a request.
		throw new ProblemError(
			`ElevenLabs sent no usable recording for conversation ${conversationId}`,
			`Nothing was stored: ${problem}. Try again in a minute; if it stays so, open the conversation in ElevenLabs and check its audio there.`,
		);
	}
	if (audio.failure.status !== 404) {
		const at = { node: ctx.getNode(), itemIndex };
		throw getConversationAudio.error(at, audio.failure, conversationId);
	}
	// A 404 means either no such conversation or no recording: ask which, to say what to change.
	const conversation = await getConversation(
		connection,
		{ node: ctx.getNode(), itemIndex },
		conversationId,
	);
	throw noAudioError(conversationId, conversation.status);
}

function noAudioError(conversationId: string, status: string): ProblemError {
	const running = !isFinished(status);
	return new ProblemError(
		`Conversation ${conversationId} has no audio`,
		running
			? `The conversation is still "${status}": the recording is available once it is done. Use Get with "Wait for Completion" before this step.`
			: 'Nobody was recorded: the call was not answered or failed, or recording (audio saving) is switched off for the agent. Check callResult / hasAudio from Get before downloading.',
	);
}
