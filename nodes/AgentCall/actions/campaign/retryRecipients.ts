/**
 * A batch's recipients for a new batch, in the ledger campaigns Submit claimed them in: Campaign →
 * Retry's failed ones, and the ones a do-not-call Add resubmits without the listed person.
 */
import type { ElevenLabs } from '@elevenlabs/elevenlabs-js';

import type { CallLedger } from '../../../shared/ledger/callLedger';
import type { Attempt } from '../../../shared/ledger/types';
import type { ClientData } from '../../helpers/clientData';
import type { Recipient } from './recipients';

type BatchRecipient = ElevenLabs.OutboundCallRecipientResponseModel;

/** The recipients ElevenLabs' retry dials again: the call failed (busy, no answer, rejected). */
export function failedRecipients(batch: ElevenLabs.BatchCallDetailedResponse): BatchRecipient[] {
	return batch.recipients.filter((r) => r.status === 'failed' && r.phoneNumber);
}

/** What a new batch sends for the recipient: the key, variables and overrides of the first round. */
function clientDataAgain(key: string, data: BatchRecipient['conversationInitiationClientData']) {
	const agent = data?.conversationConfigOverride?.agent;
	const prompt = agent?.prompt?.prompt;
	const override = {
		...(agent?.firstMessage ? { firstMessage: agent.firstMessage } : {}),
		...(agent?.language ? { language: agent.language } : {}),
		...(prompt ? { prompt: { prompt } } : {}),
	};
	const clientData: ClientData = { userId: key };
	if (data?.dynamicVariables)
		clientData.dynamicVariables = data.dynamicVariables as ClientData['dynamicVariables'];
	if (Object.keys(override).length) clientData.conversationConfigOverride = { agent: override };
	return clientData;
}

/**
 * Each recipient as Submit's recipient, claimed in the campaign (and with the key) the ledger
 * recorded for them; one the ledger lost goes into the batch's campaign with its own key.
 */
export function retryRecipients(
	ledger: CallLedger,
	attempts: Attempt[],
	again: BatchRecipient[],
	itemIndex: number,
): Recipient[] {
	const recorded = new Map(attempts.map((a) => [a.person, a]));
	return again.map((r) => {
		const e164 = r.phoneNumber!;
		const attempt = recorded.get(ledger.person(e164));
		const key = attempt?.callKey ?? r.conversationInitiationClientData?.userId ?? e164;
		return {
			itemIndex,
			recipientId: r.id,
			scope: (attempt ?? attempts[0]).scope,
			candidate: {
				phone: { e164, type: undefined },
				key,
				overrides: {},
				clientData: clientDataAgain(key, r.conversationInitiationClientData),
			},
		};
	});
}
