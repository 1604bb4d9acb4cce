/**
 * The deliveries the trigger has started a workflow for, in the call ledger: a store every n8n
 * process shares (the embedded one in this process, Postgres across queue mode's webhook
 * processors). With ElevenLabs' retries on, the same event can arrive twice, also twice at the
 * same moment; one atomic insert per event and conversation lets exactly one copy start the
 * workflow. Nothing of it is written to the workflow's static data.
 */
import type { IHookFunctions, IWebhookFunctions } from 'n8n-workflow';

import type { CallLedger } from '../../shared/ledger/callLedger';
import { ledgerOption } from '../../shared/ledger/ledgerOption';
import { embeddedLedger } from '../../shared/ledger/openLedger';
import { openTriggerLedger } from '../../shared/ledger/triggerLedger';
import type { Checked } from '../../shared/n8n/problems';

/** The trigger's "Call Ledger" parameter. */
export const ledgerProperties = ledgerOption(
	{},
	{
		description:
			'Where the trigger records the events it started the workflow for, so that a repeated delivery (ElevenLabs retries) starts nothing, and where an agent taken over from another trigger finds its way back. In queue mode every webhook process must reach it.',
		embedded:
			"This n8n process's memory: for a single n8n process (a repeat after a restart of n8n starts again). Refused in queue mode.",
	},
);

/**
 * The trigger's ledger, or why it cannot be used; a store that cannot be reached throws. The
 * embedded one is this process's memory, as the parameter says.
 */
export async function triggerLedger(
	ctx: IHookFunctions | IWebhookFunctions,
): Promise<Checked<CallLedger>> {
	return await openTriggerLedger(ctx, embeddedLedger());
}

/**
 * Whether this copy of an event is the first: the trigger (workflow and node) and the event of
 * the conversation, remembered by the time ElevenLabs signed it.
 */
export async function isFirstDelivery(
	ctx: IWebhookFunctions,
	ledger: CallLedger,
	event: { type: string; conversationId: string; signedAt: number },
): Promise<boolean> {
	const receiver = `${ctx.getWorkflow().id}\n${ctx.getNode().id}`;
	return await ledger.firstDelivery(
		receiver,
		`${event.type}:${event.conversationId}`,
		event.signedAt * 1000,
	);
}
