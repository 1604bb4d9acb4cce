/** ElevenLabs Callback Answer: answers the callback its trigger holds, with the caller's candidate data or the generic intake. */
import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { callLedgerConnection } from '../shared/ledger/credentialTest';
import { POSTGRES_CREDENTIAL } from '../shared/ledger/openLedger';
import { description as answerDescription, execute as answer } from './actions/answer.operation';

/** Read by `npm run docs` for the node page's output table. */
export { outputFields } from './actions/answer.operation';

export class ElevenLabsCallbackAnswer implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'ElevenLabs Callback Answer',
		name: 'elevenLabsCallbackAnswer',
		icon: {
			light: 'file:../../icons/callbackTrigger.svg',
			dark: 'file:../../icons/callbackTrigger.dark.svg',
		},
		group: ['output'],
		version: 1,
		subtitle: 'Answer caller',
		usableAsTool: true,
		description:
			"Answers a candidate's callback with their call variables, after the ElevenLabs Callback Trigger and the lookup of the caller",
		defaults: { name: 'ElevenLabs Callback Answer' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: POSTGRES_CREDENTIAL,
				required: true,
				testedBy: 'callLedgerConnection',
				displayOptions: { show: { ledger: ['postgres'] } },
			},
		],
		properties: answerDescription,
	};

	methods = { credentialTest: { callLedgerConnection } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await answer.call(this);
	}
}
