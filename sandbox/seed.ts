/**
 * The data a fresh sandbox starts with: two workspaces with their API keys, the agents and phone
 * numbers the tests and the demo use, and two Twilio accounts. Ids and secrets are fixed, so what
 * the CLI prints (and what example workflows reference) stays valid across restarts.
 */
import type { ElevenLabs } from '@elevenlabs/elevenlabs-js';

import { fixedId, fixedSecret } from './ids';
import { emptyState } from './state';
import type {
	AgentModel,
	SandboxState,
	StoredAgent,
	StoredPhoneNumber,
	TwilioIncomingNumber,
} from './state';

export const SEED_IDS = {
	workspaces: {
		main: fixedId('workspace', 'muster recruiting'),
		other: fixedId('workspace', 'other sales team'),
	},
	agents: {
		/** German recruiting screen: prompt, first message and language overridable, concurrency 5. */
		recruitingDe: fixedId('agent', 'recruiting de'),
		/** Same screen with every override switched off ("which toggle to switch on" errors). */
		noOverrides: fixedId('agent', 'locked screen'),
		/** A new, empty agent, to be set up by the Publish operation. */
		bare: fixedId('agent', 'bare'),
		/** Belongs to the other workspace: the main key gets 404 for it. */
		otherWorkspace: fixedId('agent', 'other workspace'),
	},
	phoneNumbers: {
		/** +49 30 …, Twilio, assigned to recruitingDe, can dial out. */
		twilioDe: fixedId('phoneNumber', 'twilio berlin'),
		/** +49 89 …, SIP trunk with an outbound trunk. */
		sipTrunk: fixedId('phoneNumber', 'sip munich'),
		/** +49 40 …, Twilio, inbound only (`supports_outbound: false`). */
		inboundOnly: fixedId('phoneNumber', 'inbound hamburg'),
		/** Twilio number of the other workspace. */
		otherWorkspace: fixedId('phoneNumber', 'other workspace'),
	},
	twilio: {
		accountSid: fixedId('twilioAccount', 'main'),
		trialAccountSid: fixedId('twilioAccount', 'trial'),
		/** A main API key of the main account. */
		apiKeySid: fixedId('twilioApiKey', 'main'),
		/** A standard API key: calls and numbers work, the /Accounts endpoint answers 20003. */
		standardApiKeySid: fixedId('twilioApiKey', 'standard'),
		incomingNumbers: {
			berlin: fixedId('twilioPhoneNumber', 'berlin'),
			hamburg: fixedId('twilioPhoneNumber', 'hamburg'),
			cologne: fixedId('twilioPhoneNumber', 'cologne'),
			trial: fixedId('twilioPhoneNumber', 'trial'),
		},
	},
} as const;

export type SeedIds = typeof SEED_IDS;

export const SEED_SECRETS = {
	apiKey: fixedSecret('elevenlabs main', 48, 'sk_'),
	otherWorkspaceApiKey: fixedSecret('elevenlabs other', 48, 'sk_'),
	readOnlyApiKey: fixedSecret('elevenlabs read only', 48, 'sk_'),
	webhookSecret: fixedSecret('webhook', 64, 'wsec_'),
	twilioAuthToken: fixedSecret('twilio main', 32),
	twilioApiKeySecret: fixedSecret('twilio api key', 32),
	twilioStandardApiKeySecret: fixedSecret('twilio standard api key', 32),
	twilioTrialAuthToken: fixedSecret('twilio trial', 32),
} as const;

/** Phone numbers used by the seed, in E.164. */
export const SEED_NUMBERS = {
	twilioBerlin: '+493012345670',
	sipMunich: '+498945678900',
	inboundHamburg: '+494087654320',
	cologne: '+4922198765430',
	otherWorkspace: '+442071234567',
	trialNumber: '+12025550147',
	/** The one number the trial account has verified. */
	trialVerified: '+4915112345678',
} as const;

// 2026-01-12 09:00 UTC: a fixed creation date keeps list order and output stable.
const CREATED = 1768208400;

const RECRUITING_PROMPT = `Du bist Lena, die digitale Recruiting-Assistentin von {{company}}.
Du führst ein kurzes telefonisches Vorgespräch mit {{candidate_name}}, die/der sich auf die Stelle „{{job_title}}“ beworben hat.

Ablauf:
1. Frage zuerst, ob das Gespräch für die Auswertung aufgezeichnet werden darf. Ohne Einverständnis beende das Gespräch höflich.
2. Kläre, ab wann die Person verfügbar ist und welche Gehaltsvorstellung sie hat.
3. Frage nach der Bereitschaft, an den Arbeitsort umzuziehen oder zu pendeln.
4. Beantworte Fragen zur Stelle nur mit Informationen aus der Wissensdatenbank.

Regeln: Sprich Deutsch, sieze die Person, bleib freundlich und knapp. Wenn die Person keine Anrufe mehr wünscht, bestätige das und beende das Gespräch. Wenn sie um einen Rückruf bittet, frage nach einem passenden Zeitpunkt.`;

const RECRUITING_FIRST_MESSAGE =
	'Hallo {{candidate_name}}, hier ist Lena, die digitale Recruiting-Assistentin von {{company}}. Sie hatten sich als {{job_title}} beworben. Passt es Ihnen gerade für ein kurzes Vorgespräch von etwa zehn Minuten?';

/** Every override toggle ElevenLabs has, off unless named (as the API returns them: all present). */
export function overrideToggles(
	enabled: { prompt?: boolean; firstMessage?: boolean; language?: boolean } = {},
): ElevenLabs.ConversationInitiationClientDataConfigOutput {
	return {
		conversationConfigOverride: {
			agent: {
				firstMessage: enabled.firstMessage ?? false,
				language: enabled.language ?? false,
				maxConversationDurationMessage: false,
				prompt: {
					prompt: enabled.prompt ?? false,
					llm: false,
					toolIds: false,
					toolIdsStrict: false,
					nativeMcpServerIds: false,
					knowledgeBase: false,
				},
			},
			tts: {
				modelId: false,
				voiceId: false,
				supportedVoices: false,
				stability: false,
				speed: false,
				similarityBoost: false,
				pronunciationDictionaryLocators: false,
			},
			asr: { keywords: false },
			turn: { softTimeoutConfig: { message: false, additionalSoftTimeoutMessages: false } },
			conversation: { textOnly: false, maxDurationSeconds: false },
		},
		customLlmExtraBody: false,
		enableConversationInitiationClientDataFromWebhook: false,
		enableStartingWorkflowNodeIdFromClient: false,
		enableProcedureIdsFromClient: false,
	};
}

interface AgentSeed {
	id: string;
	name: string;
	prompt: string;
	firstMessage: string;
	language: string;
	overrides: ElevenLabs.ConversationInitiationClientDataConfigOutput;
	concurrencyLimit: number;
	dataCollection?: Record<string, ElevenLabs.AnalysisProperty>;
	criteria?: ElevenLabs.PromptEvaluationCriteria[];
	tags?: string[];
	createdAt: number;
}

/** A full agent in the shape `GET /v1/convai/agents/{id}` returns. */
export function buildAgent(seed: AgentSeed): AgentModel {
	return {
		agentId: seed.id,
		name: seed.name,
		conversationConfig: {
			agent: {
				firstMessage: seed.firstMessage,
				language: seed.language,
				// Typed `unknown` in the SDK, so it is stored in wire form.
				dynamicVariables: { dynamic_variable_placeholders: {} },
				disableFirstMessageInterruptions: false,
				prompt: {
					prompt: seed.prompt,
					llm: 'gemini-2.5-flash',
					temperature: 0,
					maxTokens: -1,
					toolIds: [],
					knowledgeBase: [],
					ignoreDefaultPersonality: false,
				},
			},
			tts: {
				modelId: seed.language === 'en' ? 'eleven_flash_v2' : 'eleven_flash_v2_5',
				voiceId: 'cjVigY5qzO86Huf0OWal',
				stability: 0.5,
				speed: 1,
				similarityBoost: 0.8,
			},
			conversation: { textOnly: false, maxDurationSeconds: 600 },
		},
		metadata: { createdAtUnixSecs: seed.createdAt, updatedAtUnixSecs: seed.createdAt },
		platformSettings: {
			overrides: seed.overrides,
			callLimits: {
				agentConcurrencyLimit: seed.concurrencyLimit,
				dailyLimit: 100000,
				burstingEnabled: false,
			},
			// Off so that a call over the limit is rejected (429) rather than queued.
			queueingConfig: { enabled: false, waitTimeoutSeconds: 0 },
			dataCollection: seed.dataCollection ?? {},
			evaluation: { criteria: seed.criteria ?? [] },
			// A new agent's privacy as ElevenLabs creates it: voice recorded, no retention limit.
			privacy: {
				recordVoice: true,
				retentionDays: -1,
				deleteTranscriptAndPii: false,
				deleteAudio: false,
				applyToExistingConversations: false,
				zeroRetentionMode: false,
			},
			workspaceOverrides: {},
			archived: false,
		},
		tags: seed.tags ?? [],
		accessInfo: {
			isCreator: true,
			creatorName: 'Sandbox Recruiting',
			creatorEmail: 'recruiting@example.com',
			role: 'admin',
		},
	};
}

const RECRUITING_DATA_COLLECTION: Record<string, ElevenLabs.AnalysisProperty> = {
	consent_given: {
		type: 'boolean',
		description: 'Whether the candidate agreed that the call is recorded and evaluated.',
	},
	earliest_start_date: {
		type: 'string',
		description: 'The earliest date the candidate could start, as said by the candidate.',
	},
	salary_expectation_eur: {
		type: 'integer',
		description: 'Yearly gross salary expectation in euros.',
	},
	willing_to_relocate: {
		type: 'boolean',
		description: 'Whether the candidate would move to or commute to the work location.',
	},
};

const RECRUITING_CRITERIA: ElevenLabs.PromptEvaluationCriteria[] = [
	{
		id: 'screening_completed',
		name: 'Screening completed',
		type: 'prompt',
		conversationGoalPrompt:
			'The agent asked every screening question and the candidate answered them.',
	},
	{
		id: 'candidate_interested',
		name: 'Candidate interested',
		type: 'prompt',
		conversationGoalPrompt:
			'The candidate is still interested in the position at the end of the call.',
	},
];

function agents(): StoredAgent[] {
	const ids = SEED_IDS.agents;
	const ws = SEED_IDS.workspaces;
	return [
		{
			workspaceId: ws.main,
			archived: false,
			agent: buildAgent({
				id: ids.recruitingDe,
				name: 'Recruiting Vorgespräch (DE)',
				prompt: RECRUITING_PROMPT,
				firstMessage: RECRUITING_FIRST_MESSAGE,
				language: 'de',
				overrides: overrideToggles({ prompt: true, firstMessage: true, language: true }),
				concurrencyLimit: 5,
				dataCollection: RECRUITING_DATA_COLLECTION,
				criteria: RECRUITING_CRITERIA,
				tags: ['recruiting', 'de'],
				createdAt: CREATED,
			}),
		},
		{
			workspaceId: ws.main,
			archived: false,
			agent: buildAgent({
				id: ids.noOverrides,
				name: 'Recruiting Vorgespräch (ohne Overrides)',
				prompt: RECRUITING_PROMPT,
				firstMessage: RECRUITING_FIRST_MESSAGE,
				language: 'de',
				overrides: overrideToggles(),
				concurrencyLimit: 5,
				tags: ['recruiting', 'de'],
				createdAt: CREATED + 60,
			}),
		},
		{
			workspaceId: ws.main,
			archived: false,
			agent: buildAgent({
				id: ids.bare,
				name: 'New agent',
				prompt: '',
				firstMessage: '',
				language: 'en',
				overrides: overrideToggles(),
				concurrencyLimit: -1,
				createdAt: CREATED + 120,
			}),
		},
		{
			workspaceId: ws.other,
			archived: false,
			agent: buildAgent({
				id: ids.otherWorkspace,
				name: 'Sales Outreach (other workspace)',
				prompt: 'You are a sales assistant of {{company}}.',
				firstMessage: 'Hello {{name}}!',
				language: 'en',
				overrides: overrideToggles({ prompt: true, firstMessage: true }),
				concurrencyLimit: -1,
				createdAt: CREATED + 180,
			}),
		},
	];
}

function phoneNumbers(): StoredPhoneNumber[] {
	const ids = SEED_IDS.phoneNumbers;
	const ws = SEED_IDS.workspaces;
	const recruiting = {
		agentId: SEED_IDS.agents.recruitingDe,
		agentName: 'Recruiting Vorgespräch (DE)',
	};
	return [
		{
			workspaceId: ws.main,
			phoneNumber: {
				provider: 'twilio',
				phoneNumberId: ids.twilioDe,
				phoneNumber: SEED_NUMBERS.twilioBerlin,
				label: 'Recruiting Berlin (Twilio)',
				supportsInbound: true,
				supportsOutbound: true,
				assignedAgent: recruiting,
			},
		},
		{
			workspaceId: ws.main,
			phoneNumber: {
				provider: 'sip_trunk',
				phoneNumberId: ids.sipTrunk,
				phoneNumber: SEED_NUMBERS.sipMunich,
				label: 'Recruiting München (SIP trunk)',
				supportsInbound: true,
				supportsOutbound: true,
				assignedAgent: recruiting,
				outboundTrunk: {
					address: 'sip.carrier.example.de',
					transport: 'tls',
					mediaEncryption: 'allowed',
					headers: {},
					hasAuthCredentials: true,
					username: 'recruiting-muenchen',
					hasOutboundTrunk: true,
				},
				inboundTrunk: {
					allowedAddresses: ['203.0.113.0/24'],
					allowedNumbers: [],
					mediaEncryption: 'allowed',
					hasAuthCredentials: false,
				},
				livekitStack: 'standard',
			},
		},
		{
			workspaceId: ws.main,
			phoneNumber: {
				provider: 'twilio',
				phoneNumberId: ids.inboundOnly,
				phoneNumber: SEED_NUMBERS.inboundHamburg,
				label: 'Bewerber-Hotline Hamburg (nur eingehend)',
				supportsInbound: true,
				supportsOutbound: false,
			},
		},
		{
			workspaceId: ws.other,
			phoneNumber: {
				provider: 'twilio',
				phoneNumberId: ids.otherWorkspace,
				phoneNumber: SEED_NUMBERS.otherWorkspace,
				label: 'Sales London',
				supportsInbound: true,
				supportsOutbound: true,
				assignedAgent: {
					agentId: SEED_IDS.agents.otherWorkspace,
					agentName: 'Sales Outreach (other workspace)',
				},
			},
		},
	];
}

function incomingNumber(
	sid: string,
	accountSid: string,
	phoneNumber: string,
	friendlyName: string,
	voiceUrl: string | null,
	minutesAfterSeed: number,
): TwilioIncomingNumber {
	const created = new Date((CREATED + minutesAfterSeed * 60) * 1000);
	return {
		sid,
		accountSid,
		phoneNumber,
		friendlyName,
		capabilities: { voice: true, sms: true, mms: false, fax: false },
		voiceUrl,
		smsUrl: '',
		smsMethod: 'POST',
		origin: 'twilio',
		type: 'local',
		dateCreated: created,
		dateUpdated: created,
	};
}

/** A fresh store with the seed data. */
export function createSeedState(): SandboxState {
	const state = emptyState();
	const ws = SEED_IDS.workspaces;
	state.workspaces.set(ws.main, { id: ws.main, name: 'Muster Recruiting GmbH' });
	state.workspaces.set(ws.other, { id: ws.other, name: 'Other Sales Team' });
	for (const record of [
		{
			key: SEED_SECRETS.apiKey,
			workspaceId: ws.main,
			label: 'main',
			permissions: ['convai_read', 'convai_write'],
		},
		{
			key: SEED_SECRETS.otherWorkspaceApiKey,
			workspaceId: ws.other,
			label: 'other',
			permissions: ['convai_read', 'convai_write'],
		},
		{
			key: SEED_SECRETS.readOnlyApiKey,
			workspaceId: ws.main,
			label: 'readOnly',
			permissions: ['convai_read'],
		},
	] as const) {
		state.apiKeys.set(record.key, { ...record, permissions: [...record.permissions] });
	}
	for (const stored of agents()) state.agents.set(stored.agent.agentId, stored);
	for (const stored of phoneNumbers())
		state.phoneNumbers.set(stored.phoneNumber.phoneNumberId, stored);

	const tw = SEED_IDS.twilio;
	const created = new Date(CREATED * 1000);
	state.twilio.accounts.set(tw.accountSid, {
		sid: tw.accountSid,
		authToken: SEED_SECRETS.twilioAuthToken,
		friendlyName: 'Muster Recruiting GmbH',
		type: 'Full',
		status: 'active',
		ownerAccountSid: tw.accountSid,
		dateCreated: created,
		dateUpdated: created,
		verifiedCallerIds: [],
	});
	state.twilio.accounts.set(tw.trialAccountSid, {
		sid: tw.trialAccountSid,
		authToken: SEED_SECRETS.twilioTrialAuthToken,
		friendlyName: 'Recruiting trial',
		type: 'Trial',
		status: 'active',
		ownerAccountSid: tw.trialAccountSid,
		dateCreated: created,
		dateUpdated: created,
		verifiedCallerIds: [SEED_NUMBERS.trialVerified],
	});
	state.twilio.apiKeys.set(tw.apiKeySid, {
		sid: tw.apiKeySid,
		secret: SEED_SECRETS.twilioApiKeySecret,
		accountSid: tw.accountSid,
		friendlyName: 'n8n recruiting',
		keyType: 'main',
	});
	state.twilio.apiKeys.set(tw.standardApiKeySid, {
		sid: tw.standardApiKeySid,
		secret: SEED_SECRETS.twilioStandardApiKeySecret,
		accountSid: tw.accountSid,
		friendlyName: 'n8n recruiting (standard)',
		keyType: 'standard',
	});
	const elevenLabsInbound = 'https://api.elevenlabs.io/twilio/inbound_call';
	for (const number of [
		incomingNumber(
			tw.incomingNumbers.berlin,
			tw.accountSid,
			SEED_NUMBERS.twilioBerlin,
			'Recruiting Berlin',
			elevenLabsInbound,
			0,
		),
		incomingNumber(
			tw.incomingNumbers.hamburg,
			tw.accountSid,
			SEED_NUMBERS.inboundHamburg,
			'Bewerber-Hotline Hamburg',
			elevenLabsInbound,
			1,
		),
		incomingNumber(
			tw.incomingNumbers.cologne,
			tw.accountSid,
			SEED_NUMBERS.cologne,
			'Recruiting Köln',
			null,
			2,
		),
		incomingNumber(
			tw.incomingNumbers.trial,
			tw.trialAccountSid,
			SEED_NUMBERS.trialNumber,
			'Trial number',
			null,
			3,
		),
	]) {
		state.twilio.incomingNumbers.set(number.sid, number);
	}
	return state;
}
