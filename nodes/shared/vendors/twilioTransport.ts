import type { Twilio } from 'twilio';

import { attempt, twilioFailure } from './errors';
import type { Attempt } from './errors';
import type { TwilioConnection } from './twilioClient';

/**
 * Runs one Twilio SDK call and keeps its failure as plain, redacted values: the one Twilio
 * request, creating a call, is judged by its outcome and never sent twice (see twilioClient).
 */
export async function attemptTwilio<T>(
	connection: TwilioConnection,
	call: (client: Twilio) => Promise<T>,
): Promise<Attempt<T>> {
	return await attempt(
		() => call(connection.client),
		(error) => twilioFailure(error, connection.secrets),
	);
}
