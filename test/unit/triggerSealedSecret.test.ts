/**
 * The trigger's webhook secret sealed for the workflow's static data: it opens only with the
 * credential's API key and the webhook it belongs to, and a changed seal opens to nothing.
 */
import { openSecret, sealSecret } from '../../nodes/ElevenLabsAgentsTrigger/helpers/sealedSecret';

const SAMPLE = ['wsec', 'sample', 'value'].join('_');

function flipFirstByte(base64url: string): string {
	const bytes = Buffer.from(base64url, 'base64url');
	bytes[0] ^= 0xff;
	return bytes.toString('base64url');
}

it('opens with the same API key and webhook, and holds no readable secret', () => {
	const sealed = sealSecret('sk_key', 'wh_1', SAMPLE);
	expect(sealed).not.toContain(SAMPLE);
	expect(Buffer.from(sealed.split('.')[3], 'base64url').toString('utf8')).not.toContain('wsec_');
	expect(openSecret('sk_key', 'wh_1', sealed)).toBe(SAMPLE);
	// Sealed anew, the text differs (a fresh IV each time).
	expect(sealSecret('sk_key', 'wh_1', SAMPLE)).not.toBe(sealed);
});

it.each([
	['another API key', 'sk_other', 'wh_1'],
	['another webhook', 'sk_key', 'wh_2'],
])('opens to nothing with %s', (_case, apiKey, webhookId) => {
	expect(openSecret(apiKey, webhookId, sealSecret('sk_key', 'wh_1', SAMPLE))).toBeUndefined();
});

it.each([
	['a changed ciphertext', (parts: string[]) => [...parts.slice(0, 3), flipFirstByte(parts[3])]],
	['a missing tag', (parts: string[]) => [parts[0], parts[1], '', parts[3]]],
	['an unknown version', (parts: string[]) => ['v9', ...parts.slice(1)]],
])('opens to nothing with %s', (_case, change) => {
	const parts = sealSecret('sk_key', 'wh_1', SAMPLE).split('.');
	expect(openSecret('sk_key', 'wh_1', change(parts).join('.'))).toBeUndefined();
	expect(openSecret('sk_key', 'wh_1', 'not a seal')).toBeUndefined();
});
