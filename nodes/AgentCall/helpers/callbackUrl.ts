/** Checks a Twilio status callback URL: http or https, nothing else */
import { problem } from '../../shared/n8n/problems';
import type { Checked } from '../../shared/n8n/problems';
import { quoted } from '../../shared/text/quoted';

/** A status callback URL Twilio can post to: http or https, nothing else (javascript:, file:, …). */
export function checkCallbackUrl(text: string): Checked<string> {
	let url: URL | undefined;
	try {
		url = new URL(text);
	} catch {
		url = undefined;
	}
	if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || !url.hostname) {
		return problem(
			`The status callback URL ${quoted(text)} is not an http(s) address`,
			'Enter the full address Twilio should post the call status to, e.g. https://n8n.example.com/webhook/call-status, or leave Options → Status Callback URL empty.',
		);
	}
	return { ok: true, value: text };
}
