/** Signature tests: only a fresh, unaltered body signed with the secret passes, as in the SDK */
import { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import { createHmac, randomBytes } from 'node:crypto';

import {
	MAX_AGE_SECONDS,
	MAX_FUTURE_SKEW_SECONDS,
	verifyWebhookSignature,
} from '../../nodes/shared/vendors/webhookSignature';

// Made up per run, so that no secret-like literal sits in the source.
const SECRET = `wsec_${randomBytes(32).toString('hex')}`;
const NOW_MS = Date.UTC(2026, 2, 2, 9, 30);
const NOW = Math.floor(NOW_MS / 1000);

const BODY = JSON.stringify({
	type: 'post_call_transcription',
	event_timestamp: NOW,
	data: {
		conversation_id: 'conv_1',
		agent_id: 'agent_1',
		transcript: [{ role: 'user', message: 'Grüß Gott, ja gern.' }],
	},
});

/** ElevenLabs' scheme, written out independently of the code under test. */
function sign(body: string | Buffer, timestamp = NOW, secret = SECRET): string {
	const hex = createHmac('sha256', secret)
		.update(Buffer.concat([Buffer.from(`${timestamp}.`), Buffer.from(body)]))
		.digest('hex');
	return `t=${timestamp},v0=${hex}`;
}

const verify = (
	header: string | string[] | undefined,
	rawBody: string | Buffer = BODY,
	secret = SECRET,
	nowMs = NOW_MS,
) => verifyWebhookSignature({ header, rawBody, secret, nowMs });

describe('post-call webhook signature', () => {
	it('accepts a correctly signed body, as string or as bytes', () => {
		expect(verify(sign(BODY))).toEqual({ ok: true, timestamp: NOW });
		expect(verify(sign(BODY), Buffer.from(BODY, 'utf8'))).toEqual({ ok: true, timestamp: NOW });
	});

	it("agrees with the ElevenLabs SDK's own constructEvent on a valid signature", async () => {
		const sdk = new ElevenLabsClient({ apiKey: 'unused' });
		const now = Math.floor(Date.now() / 1000);
		const header = sign(BODY, now);
		await expect(sdk.webhooks.constructEvent(BODY, header, SECRET)).resolves.toMatchObject({
			type: 'post_call_transcription',
		});
		expect(verify(header, BODY, SECRET, Date.now())).toMatchObject({ ok: true });
		// …and on a tampered one.
		const tampered = BODY.replace('ja gern', 'nein');
		await expect(sdk.webhooks.constructEvent(tampered, header, SECRET)).rejects.toThrow(
			/does not match/,
		);
		expect(verify(header, tampered, SECRET, Date.now())).toMatchObject({
			ok: false,
			problem: 'signature_mismatch',
		});
	});

	it('rejects a request without the header', () => {
		expect(verify(undefined)).toMatchObject({ ok: false, problem: 'missing_header' });
		expect(verify('')).toMatchObject({ ok: false, problem: 'missing_header' });
	});

	it('reads the first value when the header arrives twice', () => {
		expect(verify([sign(BODY), 't=1,v0=00'])).toMatchObject({ ok: true });
	});

	it.each([
		['no timestamp', `v0=${'a'.repeat(64)}`],
		['no v0 hash', `t=${NOW}`],
		['another scheme only', `t=${NOW},v1=${'a'.repeat(64)}`],
		['a non-numeric timestamp', `t=soon,v0=${'a'.repeat(64)}`],
		['two timestamps', `t=${NOW},t=${NOW + 1},v0=${'a'.repeat(64)}`],
		['a plain hash', 'a'.repeat(64)],
	])('rejects a malformed header: %s', (_name, header) => {
		expect(verify(header)).toMatchObject({ ok: false, problem: 'malformed_header' });
	});

	it('rejects a signature made with another secret', () => {
		expect(verify(sign(BODY, NOW, `wsec_${randomBytes(32).toString('hex')}`))).toMatchObject({
			ok: false,
			problem: 'signature_mismatch',
		});
	});

	it('rejects a body altered after signing, even by one byte or by re-serialising', () => {
		const header = sign(BODY);
		expect(verify(header, BODY.replace('conv_1', 'conv_2'))).toMatchObject({
			problem: 'signature_mismatch',
		});
		expect(verify(header, `${BODY} `)).toMatchObject({ problem: 'signature_mismatch' });
		expect(verify(header, JSON.stringify(JSON.parse(BODY), null, 2))).toMatchObject({
			problem: 'signature_mismatch',
		});
	});

	it('rejects a signature whose timestamp was changed (it is part of the signed string)', () => {
		const [, hash] = sign(BODY).split(',');
		expect(verify(`t=${NOW - 1},${hash}`)).toMatchObject({ problem: 'signature_mismatch' });
	});

	it('rejects hashes of the wrong length or not hex without throwing', () => {
		expect(verify(`t=${NOW},v0=abcd`)).toMatchObject({ problem: 'signature_mismatch' });
		expect(verify(`t=${NOW},v0=${'z'.repeat(64)}`)).toMatchObject({
			problem: 'signature_mismatch',
		});
		expect(verify(`t=${NOW},v0=`)).toMatchObject({ problem: 'signature_mismatch' });
	});

	it('accepts a rotated secret: any of several v0 entries may match', () => {
		const [t, good] = sign(BODY).split(',');
		expect(verify(`${t},v0=${'0'.repeat(64)},${good}`)).toMatchObject({ ok: true });
	});

	it('accepts signatures up to 30 minutes old and rejects older ones', () => {
		expect(verify(sign(BODY, NOW - MAX_AGE_SECONDS))).toMatchObject({ ok: true });
		expect(verify(sign(BODY, NOW - MAX_AGE_SECONDS - 1))).toMatchObject({
			ok: false,
			problem: 'timestamp_too_old',
		});
		expect(verify(sign(BODY, NOW - 24 * 3600))).toMatchObject({ problem: 'timestamp_too_old' });
	});

	it('allows a small clock skew into the future and no more', () => {
		expect(MAX_FUTURE_SKEW_SECONDS).toBeLessThanOrEqual(5 * 60);
		expect(verify(sign(BODY, NOW + MAX_FUTURE_SKEW_SECONDS))).toMatchObject({ ok: true });
		expect(verify(sign(BODY, NOW + MAX_FUTURE_SKEW_SECONDS + 1))).toMatchObject({
			ok: false,
			problem: 'timestamp_in_future',
		});
	});

	it('checks the age before the hash, so an old replay is named as such', () => {
		expect(verify(sign(BODY, NOW - 3600), 'different body')).toMatchObject({
			problem: 'timestamp_too_old',
		});
	});

	it('refuses to verify without a secret', () => {
		expect(verify(sign(BODY, NOW, ''), BODY, '')).toMatchObject({
			ok: false,
			problem: 'no_secret',
		});
	});

	it('never puts the secret into its messages', () => {
		for (const header of [
			undefined,
			'x',
			sign(BODY, NOW - 9999),
			sign(BODY, NOW + 9999),
			sign('other'),
		]) {
			const result = verify(header);
			expect(result.ok).toBe(false);
			expect(JSON.stringify(result)).not.toContain(SECRET);
		}
	});
});
