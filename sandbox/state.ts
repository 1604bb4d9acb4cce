/**
 * The sandbox's in-memory store. ElevenLabs resources are kept as the SDK's own camelCase types,
 * so that serialising them with the SDK's response schemas always gives what the real API sends.
 * Route modules read and write it through `ctx.state` at request time (a reset swaps the
 * collections, so do not keep references to them).
 */
import type { ElevenLabs } from '@elevenlabs/elevenlabs-js';

/** Read = GET endpoints, write = everything that changes something (ElevenLabs key scopes). */
export type Permission = 'convai_read' | 'convai_write';

export interface Workspace {
	id: string;
	name: string;
}

export interface ApiKeyRecord {
	key: string;
	workspaceId: string;
	/** Which seed key this is, for the request log (the key itself is never logged). */
	label: string;
	permissions: Permission[];
}

/** An agent as `GET /v1/convai/agents/{id}` returns it; `phoneNumbers` is derived on read. */
export type AgentModel = Omit<ElevenLabs.GetAgentResponseModel, 'phoneNumbers'>;

export interface StoredAgent {
	workspaceId: string;
	agent: AgentModel;
	archived: boolean;
	/** For `last_call_time_unix_secs` in the list; set by the call routes. */
	lastCallTimeUnixSecs?: number;
}

/** A phone number as `GET /v1/convai/phone-numbers/{id}` returns it (union on `provider`). */
export type PhoneNumberModel = ElevenLabs.conversationalAi.PhoneNumbersGetResponse;

export interface StoredPhoneNumber {
	workspaceId: string;
	phoneNumber: PhoneNumberModel;
}

// ---- Twilio (no wire schemas ship with the SDK; these are rendered by twilioFormat.ts) ----

export interface TwilioAccount {
	sid: string;
	authToken: string;
	friendlyName: string;
	type: 'Full' | 'Trial';
	status: 'active' | 'suspended' | 'closed';
	ownerAccountSid: string;
	dateCreated: Date;
	dateUpdated: Date;
	/** Trial accounts may only call these (Twilio error 21219 otherwise). */
	verifiedCallerIds: string[];
}

export interface TwilioApiKey {
	sid: string;
	secret: string;
	accountSid: string;
	friendlyName: string;
	/** Standard keys may not use the /Accounts endpoints (Twilio answers 20003); main keys may. */
	keyType: 'main' | 'standard';
}

export interface TwilioIncomingNumber {
	sid: string;
	accountSid: string;
	phoneNumber: string;
	friendlyName: string;
	capabilities: { voice: boolean; sms: boolean; mms: boolean; fax: boolean };
	voiceUrl: string | null;
	/** Where Twilio posts the number's inbound texts ('' for none) and with which method. */
	smsUrl: string;
	smsMethod: 'GET' | 'POST';
	origin: 'twilio' | 'hosted';
	type: 'local' | 'mobile' | 'tollfree';
	dateCreated: Date;
	dateUpdated: Date;
}

export interface TwilioState {
	accounts: Map<string, TwilioAccount>;
	apiKeys: Map<string, TwilioApiKey>;
	incomingNumbers: Map<string, TwilioIncomingNumber>;
}

export interface SandboxState {
	workspaces: Map<string, Workspace>;
	/** By key value. */
	apiKeys: Map<string, ApiKeyRecord>;
	agents: Map<string, StoredAgent>;
	phoneNumbers: Map<string, StoredPhoneNumber>;
	twilio: TwilioState;
	/** Stores that route modules own, by name (see `ctx.moduleState`); a reset empties it. */
	modules: Map<string, unknown>;
}

/**
 * A route module's records by id, in the state's module stores (a reset empties it): for modules
 * whose records tests and other modules read too, through the sandbox or a route context.
 */
export function moduleRecords<T>(
	holder: { readonly state: SandboxState },
	name: string,
): Map<string, T> {
	const modules = holder.state.modules;
	if (!modules.has(name)) modules.set(name, new Map<string, T>());
	return modules.get(name) as Map<string, T>;
}

export function emptyState(): SandboxState {
	return {
		workspaces: new Map(),
		apiKeys: new Map(),
		agents: new Map(),
		phoneNumbers: new Map(),
		twilio: { accounts: new Map(), apiKeys: new Map(), incomingNumbers: new Map() },
		modules: new Map(),
	};
}
