/**
 * The trigger's place at Twilio: the Twilio number's SmsUrl points at this trigger while the
 * workflow is active. Activation keeps what was set before (in the workflow's static data) and
 * deactivation puts it back, unless someone has pointed the number elsewhere in the meantime.
 */
import type { IDataObject, IHookFunctions } from 'n8n-workflow';

import { problem, toNodeError } from '../../shared/n8n/problems';
import { twilioClient } from '../../shared/vendors/twilioClient';
import { listIncomingNumbers, updateIncomingNumber } from '../../shared/vendors/twilioApi';

interface Previous {
	numberSid: string;
	smsUrl: string;
	smsMethod: string;
}

const STATIC_KEY = 'previousSmsUrl';

/** The number parameter in E.164 form as Twilio lists it ("+49 30 …" → "+4930…"). */
export function numberParameter(ctx: IHookFunctions): string {
	return String(ctx.getNodeParameter('phoneNumber', '') ?? '').replace(/[\s()/-]/g, '');
}

/** The Twilio number of the account with its SMS settings, or a clear error. */
async function findNumber(ctx: IHookFunctions) {
	const connection = await twilioClient(ctx);
	const phoneNumber = numberParameter(ctx);
	const listed = await listIncomingNumbers(
		connection,
		{ node: ctx.getNode() },
		{ phoneNumber, limit: 20 },
	);
	const number = listed.find((n) => n.phoneNumber === phoneNumber);
	if (!number) {
		throw toNodeError(
			ctx.getNode(),
			problem(
				`${phoneNumber || 'The number'} is not a phone number of this Twilio account`,
				'Give the Twilio number that sends the texts (Place Agent Call → Text Message → Sender Number), in international format, e.g. +4930123456789.',
			),
		);
	}
	return { connection, number };
}

export async function smsUrlIsOurs(ctx: IHookFunctions): Promise<boolean> {
	const { number } = await findNumber(ctx);
	return number.smsUrl === ctx.getNodeWebhookUrl('default');
}

/** Points the number's inbound texts at this trigger, remembering what was there. */
export async function pointSmsUrlHere(ctx: IHookFunctions): Promise<boolean> {
	const { connection, number } = await findNumber(ctx);
	const url = ctx.getNodeWebhookUrl('default')!;
	const data = ctx.getWorkflowStaticData('node');
	if (number.smsUrl !== url) {
		const previous: Previous = {
			numberSid: number.sid,
			smsUrl: number.smsUrl ?? '',
			smsMethod: number.smsMethod ?? 'POST',
		};
		data[STATIC_KEY] = previous as unknown as IDataObject;
	}
	const purpose = { action: `point the texts of ${number.phoneNumber} at this trigger` };
	await updateIncomingNumber(connection, { node: ctx.getNode(), purpose }, number.sid, {
		smsUrl: url,
		smsMethod: 'POST',
	});
	return true;
}

/** Puts back the SmsUrl that was there before activation, if the number still points here. */
export async function restoreSmsUrl(ctx: IHookFunctions): Promise<boolean> {
	const data = ctx.getWorkflowStaticData('node');
	const previous = data[STATIC_KEY] as unknown as Previous | undefined;
	const { connection, number } = await findNumber(ctx);
	// Someone pointed the number elsewhere since: theirs stays.
	if (number.smsUrl !== ctx.getNodeWebhookUrl('default')) {
		delete data[STATIC_KEY];
		return true;
	}
	const restored = await updateIncomingNumber.attempt(connection, number.sid, {
		smsUrl: previous?.smsUrl ?? '',
		smsMethod: previous?.smsMethod ?? 'POST',
	});
	if (!restored.ok) return false;
	delete data[STATIC_KEY];
	return true;
}
