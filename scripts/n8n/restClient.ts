/**
 * n8n's internal REST API as the editor uses it: owner set-up, login, node and credential types,
 * unpublishing a workflow in the running n8n, and its executions.
 */
import type { ICredentialType, INodeTypeDescription } from 'n8n-workflow';

/** One entry of an `n8n import:credentials` file; `data` is plain and encrypted on import. */
export interface CredentialImport {
	id: string;
	name: string;
	type: string;
	data: object;
}

export interface OwnerAccount {
	email: string;
	firstName: string;
	lastName: string;
	password: string;
}

export const DEFAULT_OWNER: OwnerAccount = {
	email: 'owner@e2e.voice-recruiting.test',
	firstName: 'E2E',
	lastName: 'Owner',
	// The owner of throwaway test instances on 127.0.0.1, not a secret.
	// eslint-disable-next-line @n8n/community-nodes/no-hardcoded-secrets
	password: 'E2e-Owner-Passw0rd',
};

/** An execution as n8n lists it. */
export interface ExecutionSummary {
	id: string;
	workflowId: string;
	status: string;
	mode: string;
}

export interface RestResponse<T = unknown> {
	status: number;
	/** The parsed JSON body (n8n's REST API wraps results as `{ data }`). */
	body: T;
}

/**
 * n8n's internal REST API with a session: the auth cookie from owner setup or login, sent with
 * the fixed browser id that the session was created with (n8n checks that the two match).
 */
export class N8nRestClient {
	private cookie = '';

	private readonly browserId = 'n8n-nodes-voice-recruiting-e2e';

	constructor(readonly baseUrl: string) {}

	/** Any request; never rejects on an HTTP error status. */
	async request<T = unknown>(
		method: string,
		urlPath: string,
		body?: unknown,
	): Promise<RestResponse<T>> {
		const response = await fetch(`${this.baseUrl}${urlPath}`, {
			method,
			headers: {
				'browser-id': this.browserId,
				...(this.cookie ? { cookie: this.cookie } : {}),
				...(body === undefined ? {} : { 'content-type': 'application/json' }),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const authCookie = response.headers
			.getSetCookie()
			.find((cookie) => cookie.startsWith('n8n-auth='));
		if (authCookie) this.cookie = authCookie.split(';')[0];
		const text = await response.text();
		let parsed: unknown = text;
		try {
			parsed = JSON.parse(text);
		} catch {
			// Not JSON (an HTML error page): keep the text.
		}
		return { status: response.status, body: parsed as T };
	}

	/** A request that must succeed; resolves with `data` of n8n's `{ data }` answer. */
	async call<T = unknown>(method: string, urlPath: string, body?: unknown): Promise<T> {
		const response = await this.request<{ data?: T }>(method, urlPath, body);
		if (response.status < 200 || response.status >= 300) {
			throw new Error(
				`${method} ${urlPath} answered ${response.status}: ${JSON.stringify(response.body).slice(0, 500)}`,
			);
		}
		return (response.body?.data ?? response.body) as T;
	}

	/** The credential types n8n has loaded (the editor's `/types/credentials.json`). */
	async credentialTypes(): Promise<ICredentialType[]> {
		return await this.call<ICredentialType[]>('GET', '/types/credentials.json');
	}

	/** The node types n8n has loaded (the editor's `/types/nodes.json`). */
	async nodeTypes(): Promise<INodeTypeDescription[]> {
		return await this.call<INodeTypeDescription[]>('GET', '/types/nodes.json');
	}

	/**
	 * The editor's "Test" of a credential (`POST /rest/credentials/test`): a stored credential's
	 * id with the data as typed in the form. Resolves with n8n's verdict.
	 */
	async testCredential(
		credential: CredentialImport,
	): Promise<{ status: 'OK' | 'Error'; message: string }> {
		return await this.call('POST', '/rest/credentials/test', { credentials: credential });
	}

	/**
	 * Unpublishes a workflow in the running n8n (`POST /rest/workflows/:id/deactivate`), which
	 * removes its triggers and webhooks there; `n8n unpublish:workflow` only changes the database
	 * ("Changes will not take effect if n8n is running").
	 */
	async unpublish(workflowId: string): Promise<void> {
		await this.call('POST', `/rest/workflows/${encodeURIComponent(workflowId)}/deactivate`, {});
	}

	/** The workflow's executions (`GET /rest/executions`), newest first. */
	async executions(workflowId: string): Promise<ExecutionSummary[]> {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const page = await this.call<{ results: ExecutionSummary[] }>(
			'GET',
			`/rest/executions?filter=${filter}`,
		);
		return page.results;
	}
}
