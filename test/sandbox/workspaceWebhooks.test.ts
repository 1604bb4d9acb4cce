/** The sandbox's workspace webhooks and the agents' webhook override, through the SDK as a client sees them. */
import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { elevenLabs, rawFetch } from './helpers';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

describe('workspace webhooks', () => {
	it('creates an HMAC webhook with its secret, lists it with its usage, and deletes it', async () => {
		const client = elevenLabs(sandbox);
		const created = await client.webhooks.create({
			settings: { authType: 'hmac', name: 'n8n', webhookUrl: 'https://n8n.example/webhook/x' },
		});
		expect(created.webhookId).toMatch(/^[0-9A-Za-z]{28}$/);
		expect(created.webhookSecret).toMatch(/^wsec_[0-9a-f]{64}$/);
		expect((await client.webhooks.list()).webhooks).toEqual([
			expect.objectContaining({
				webhookId: created.webhookId,
				name: 'n8n',
				webhookUrl: 'https://n8n.example/webhook/x',
				authType: 'hmac',
				isDisabled: false,
			}),
		]);
		expect((await client.webhooks.list()).webhooks[0]).not.toHaveProperty('webhookSecret');

		const agentId = sandbox.ids.agents.bare;
		await client.conversationalAi.agents.update(agentId, {
			platformSettings: {
				workspaceOverrides: {
					webhooks: { postCallWebhookId: created.webhookId, events: ['transcript'] },
				},
			},
		});
		expect((await client.webhooks.list({ includeUsages: true })).webhooks[0].usage).toEqual([
			{ usageType: 'ConvAI Agent Settings' },
		]);
		// The override is one setting: an update replaces it whole.
		await client.conversationalAi.agents.update(agentId, {
			platformSettings: { workspaceOverrides: { webhooks: {} } },
		});
		expect(
			(await client.conversationalAi.agents.get(agentId)).platformSettings?.workspaceOverrides
				?.webhooks,
		).toEqual({});

		await expect(client.webhooks.delete(created.webhookId)).resolves.toEqual({ status: 'ok' });
		expect((await client.webhooks.list()).webhooks).toEqual([]);
		await expect(client.webhooks.delete(created.webhookId)).rejects.toMatchObject({
			statusCode: 404,
		});
	});

	it('refuses an agent override naming a webhook the workspace does not have, and a body without settings', async () => {
		const client = elevenLabs(sandbox);
		await expect(
			client.conversationalAi.agents.update(sandbox.ids.agents.bare, {
				platformSettings: {
					workspaceOverrides: { webhooks: { postCallWebhookId: 'G007vmtq9uWYl7SUW9zGS8GZZa1K' } },
				},
			}),
		).rejects.toMatchObject({ statusCode: 404 });
		const response = await rawFetch(sandbox, '/v1/workspace/webhooks', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ name: 'no settings' }),
		});
		expect(response.status).toBe(422);
	});
});
