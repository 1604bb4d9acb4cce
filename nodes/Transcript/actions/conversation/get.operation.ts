/** Conversation → Get: a call's outcome, optionally waiting until ElevenLabs has analysed it */
import type { ElevenLabs } from '@elevenlabs/elevenlabs-js';
import { sleep, updateDisplayOptions } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import {
	conversationOutput,
	conversationOutputFields,
	SIMPLIFIED_FIELDS,
	simplifyConversation,
} from '../../../shared/conversation/conversationOutput';
import { isFinished } from '../../../shared/conversation/conversationStatus';
import type { OutputField } from '../../../shared/n8n/outputFields';
import { locatorValue } from '../../../shared/n8n/descriptions';
import { getConversation } from '../../../shared/vendors/elevenLabsApi';
import { elevenLabsClient } from '../../../shared/vendors/elevenLabsClient';
import { mapItems } from '../../../shared/n8n/items';
import { ProblemError } from '../../../shared/n8n/problems';
import { readCheckedOptions, readNumberParameter } from '../../../shared/n8n/numberParameters';
import { assertAgent, readConversationId } from '../../helpers/conversations';
import { nextPollDelayMs } from '../../helpers/polling';
import { conversationIdField, onlyForAgentOption, simplifyField } from './fields';

const properties: INodeProperties[] = [
	conversationIdField,
	{
		displayName: 'Wait for Completion',
		name: 'waitForCompletion',
		type: 'boolean',
		default: false,
		description:
			'Whether to wait until the call has ended and ElevenLabs has analysed it (status done or failed), checking again with growing pauses',
	},
	{
		displayName: 'Timeout (Seconds)',
		name: 'timeoutSeconds',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 1200,
		description: 'How long to wait at most per conversation',
		displayOptions: { show: { waitForCompletion: [true] } },
	},
	simplifyField,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'If Not Finished',
				name: 'ifNotFinished',
				type: 'options',
				default: 'error',
				description:
					'What to do with a conversation that is still running (after the timeout, when waiting)',
				options: [
					{
						name: 'Fail the Item',
						value: 'error',
						description: 'Stop with an error that says how long it was waited',
					},
					{
						name: 'Return Current State',
						value: 'returnCurrent',
						description: 'Output the conversation as it is now; check its status field downstream',
					},
				],
			},
			onlyForAgentOption,
			{
				displayName: 'Poll Interval (Seconds)',
				name: 'pollIntervalSeconds',
				type: 'number',
				typeOptions: { minValue: 0.2, numberPrecision: 1 },
				default: 5,
				description:
					'The first pause between checks while waiting; each further pause is 1.5 times longer, up to 30 seconds',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['conversation'], operation: ['get'] } },
	properties,
);

const simplified: readonly string[] = SIMPLIFIED_FIELDS;

/** The conversation's fields; *Simplify* keeps only the outcome. */
export const outputFields: OutputField[] = conversationOutputFields.map((field) =>
	simplified.includes(field.name) ? field : { ...field, when: 'without *Simplify*' },
);

interface GetOptions {
	ifNotFinished?: 'error' | 'returnCurrent';
	agentId?: unknown;
	pollIntervalSeconds?: number;
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const connection = await elevenLabsClient(this);
	const signal = this.getExecutionCancelSignal();
	return await mapItems(this, async (item, i) => {
		const conversationId = readConversationId(this, item, i);
		const wait = this.getNodeParameter('waitForCompletion', i, false) as boolean;
		const simplify = this.getNodeParameter('simplify', i, false) as boolean;
		const options = readCheckedOptions<GetOptions>(this, properties, 'options', i);
		const agentId = locatorValue(options.agentId);

		// Checked before the first request: NaN would make the wait loop poll without pause or end.
		const timeoutMs = wait ? readNumberParameter(this, properties, 'timeoutSeconds', i) * 1000 : 0;
		const initialMs = (options.pollIntervalSeconds ?? 5) * 1000;
		let conversation = await getConversation(
			connection,
			{ node: this.getNode(), itemIndex: i },
			conversationId,
		);
		assertAgent(conversation, agentId);
		const started = Date.now();
		let waitedMs = 0;
		if (wait && !isFinished(conversation.status)) {
			let delay: number | undefined;
			while (!isFinished(conversation.status)) {
				const remaining = started + timeoutMs - Date.now();
				if (remaining <= 0) break;
				delay = nextPollDelayMs(delay, initialMs, remaining);
				await sleep(delay, signal);
				conversation = await getConversation(
					connection,
					{ node: this.getNode(), itemIndex: i },
					conversationId,
				);
			}
			waitedMs = Date.now() - started;
		}
		if (!isFinished(conversation.status) && options.ifNotFinished !== 'returnCurrent') {
			throw notFinishedError(conversation, wait, waitedMs);
		}
		const output = conversationOutput(conversation);
		return simplify ? simplifyConversation(output) : output;
	});
}

function notFinishedError(
	conversation: ElevenLabs.GetConversationResponseModel,
	waited: boolean,
	waitedMs: number,
): ProblemError {
	const id = conversation.conversationId;
	if (!waited) {
		return new ProblemError(
			`Conversation ${id} has not finished yet (status "${conversation.status}")`,
			'Turn on "Wait for Completion" to wait for the end of the call, receive the result with the ElevenLabs Agents Trigger instead, or set Options → If Not Finished to "Return Current State".',
		);
	}
	return new ProblemError(
		`Conversation ${id} was still "${conversation.status}" after waiting ${Math.round(waitedMs / 1000)} seconds`,
		'Raise "Timeout (Seconds)", receive the result with the ElevenLabs Agents Trigger instead of waiting, or set Options → If Not Finished to "Return Current State".',
	);
}
