/** Post-call webhook signing (checked by the SDK's own verifier) and delivery. */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';

import { buildSignedWebhook, signElevenLabsWebhook, startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';

const verifier = new ElevenLabsClient({ apiKey: 'unused' }).webhooks;

describe('signElevenLabsWebhook', () => {
	const secret = 'wsec_test_secret';
	const now = () => Math.floor(Date.now() / 1000);

	it('produces t=<unix>,v0=<hex> that the SDK verifies', async () => {
		const raw = JSON.stringify({
			type: 'post_call_transcription',
			event_timestamp: now(),
			data: { conversation_id: 'conv_1' },
		});
		const header = signElevenLabsWebhook(raw, secret, now());
		expect(header).toMatch(/^t=\d+,v0=[0-9a-f]{64}$/);
		await expect(verifier.constructEvent(raw, header, secret)).resolves.toMatchObject({
			data: { conversation_id: 'conv_1' },
		});
	});

	it('matches a known HMAC-SHA256 of "<t>.<body>"', () => {
		// echo -n '1700000000.{"a":1}' | openssl dgst -sha256 -hmac secret
		expect(signElevenLabsWebhook('{"a":1}', 'secret', 1700000000)).toBe(
			't=1700000000,v0=49f24e537407743fa4a0242bb63b94b9a47ee99cbbe071ccd8a22550ae411686',
		);
	});

	it('fails verification for another body, another secret, or an old timestamp', async () => {
		const signed = buildSignedWebhook(
			'call_initiation_failure',
			{ failure_reason: 'busy' },
			secret,
			now(),
		);
		const header = signed.headers['ElevenLabs-Signature'];
		await expect(
			verifier.constructEvent(signed.rawBody.replace('busy', 'no-answer'), header, secret),
		).rejects.toThrow('Signature hash does not match');
		await expect(verifier.constructEvent(signed.rawBody, header, 'wsec_other')).rejects.toThrow(
			'Signature hash does not match',
		);
		const old = now() - 31 * 60;
		await expect(
			verifier.constructEvent(
				signed.rawBody,
				signElevenLabsWebhook(signed.rawBody, secret, old),
				secret,
			),
		).rejects.toThrow('Timestamp outside the tolerance zone');
	});
});

describe('webhook delivery', () => {
	let sandbox: Sandbox;
	let receiver: Server;
	let receiverUrl: string;
	let received: Array<{ headers: IncomingHttpHeaders; body: string }>;
	let answerStatus: number;

	beforeAll(async () => {
		sandbox = await startSandbox();
		receiver = createServer((request, response) => {
			let body = '';
			request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
			request.on('end', () => {
				received.push({ headers: request.headers, body });
				response.writeHead(answerStatus).end('ok');
			});
		});
		await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
		receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhook/elevenlabs`;
	});

	afterAll(async () => {
		await sandbox.close();
		await new Promise((resolve) => receiver.close(resolve));
	});

	beforeEach(() => {
		sandbox.reset();
		received = [];
		answerStatus = 200;
	});

	it('POSTs {type, event_timestamp, data} signed with the configured secret, and records the delivery', async () => {
		sandbox.setWebhook({ url: receiverUrl, secret: 'wsec_delivery' });
		const delivery = await sandbox.webhooks.send('post_call_transcription', {
			conversation_id: 'conv_x',
			status: 'done',
		});
		expect(delivery).toMatchObject({
			ok: true,
			status: 200,
			type: 'post_call_transcription',
			url: receiverUrl,
		});
		expect(received).toHaveLength(1);
		const [request] = received;
		expect(request.headers['content-type']).toBe('application/json');
		const event = await verifier.constructEvent(
			request.body,
			String(request.headers['elevenlabs-signature']),
			'wsec_delivery',
		);
		expect(event).toMatchObject({
			type: 'post_call_transcription',
			data: { conversation_id: 'conv_x' },
		});
		expect(
			Math.abs((event as { event_timestamp: number }).event_timestamp - Date.now() / 1000),
		).toBeLessThan(5);
		expect(sandbox.webhooks.deliveries()).toHaveLength(1);
	});

	it('sends only enabled events (audio is opt-in) and nothing without a target', async () => {
		expect(await sandbox.webhooks.send('post_call_transcription', {})).toBeUndefined();
		sandbox.setWebhook({ url: receiverUrl });
		expect(await sandbox.webhooks.send('post_call_audio', { full_audio: '' })).toBeUndefined();
		sandbox.setWebhook({ url: receiverUrl, events: ['audio'] });
		expect(await sandbox.webhooks.send('post_call_audio', { full_audio: '' })).toMatchObject({
			ok: true,
		});
		expect(await sandbox.webhooks.send('call_initiation_failure', {})).toBeUndefined();
		expect(received.map((request) => (JSON.parse(request.body) as { type: string }).type)).toEqual([
			'post_call_audio',
		]);
	});

	it('records a rejected or unreachable delivery without retrying it', async () => {
		sandbox.setWebhook({ url: receiverUrl });
		answerStatus = 401;
		expect(await sandbox.webhooks.send('post_call_transcription', {})).toMatchObject({
			ok: false,
			status: 401,
		});
		expect(received).toHaveLength(1);
		sandbox.setWebhook({ url: 'http://127.0.0.1:1/nowhere' });
		const failed = await sandbox.webhooks.send('post_call_transcription', {});
		expect(failed?.ok).toBe(false);
		expect(failed?.status).toBeUndefined();
		expect(failed?.error).toBeTruthy();
	});

	it('waitFor resolves with a delivery that happens later', async () => {
		sandbox.setWebhook({ url: receiverUrl });
		const waiting = sandbox.webhooks.waitFor('call_initiation_failure', 5000);
		setTimeout(
			() => void sandbox.webhooks.send('call_initiation_failure', { failure_reason: 'busy' }),
			50,
		);
		expect(JSON.parse((await waiting).rawBody)).toMatchObject({ data: { failure_reason: 'busy' } });
		await expect(sandbox.webhooks.waitFor('post_call_audio', 100)).rejects.toThrow(
			'No matching webhook delivery',
		);
	});

	it('is configured over the admin API, and the credential carries the same secret', async () => {
		const response = await fetch(`${sandbox.url}/_sandbox/webhook`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ url: receiverUrl, secret: 'wsec_admin', events: ['transcript'] }),
		});
		expect(response.status).toBe(200);
		expect(sandbox.credentials().elevenLabsAgentsApi.webhookSecret).toBe('wsec_admin');
		await sandbox.webhooks.send('post_call_transcription', {});
		await expect(
			verifier.constructEvent(
				received[0].body,
				String(received[0].headers['elevenlabs-signature']),
				'wsec_admin',
			),
		).resolves.toBeDefined();
		for (const body of [{ url: 'not a url' }, { url: receiverUrl, events: ['transcripts'] }]) {
			const invalid = await fetch(`${sandbox.url}/_sandbox/webhook`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(body),
			});
			expect(invalid.status).toBe(400);
		}
		expect(sandbox.webhooks.config?.secret).toBe('wsec_admin');
	});
});
