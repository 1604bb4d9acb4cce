/** The callback trigger's pure parts: the secret header, the sealed static data, the answers. */
import {
	callbackSecret,
	openFromStaticData,
	sealForStaticData,
	secretMatches,
} from '../../nodes/ElevenLabsCallbackTrigger/helpers/callbackSecret';
import {
	genericAnswer,
	greetingText,
	initiationAnswer,
	placeholdersOf,
	readInitiationRequest,
} from '../../nodes/ElevenLabsCallbackTrigger/helpers/initiationAnswer';
import type { AgentProfile } from '../../nodes/ElevenLabsCallbackTrigger/helpers/initiationAnswer';
import { answerBudgetMs } from '../../nodes/ElevenLabsCallbackTrigger/helpers/pendingAnswers';
import {
	embeddedLedgerFolder,
	webhookEmbeddedLedgerFolder,
} from '../../nodes/shared/ledger/embeddedLedgerFolder';

const URL_A = 'https://n8n.example/webhook/abc/elevenlabs-conversation-initiation';

describe('the secret header', () => {
	it('is derived from the API key and the URL, and compared exactly', () => {
		const secret = callbackSecret('sk_one', URL_A);
		expect(secret).toMatch(/^[0-9a-f]{64}$/);
		expect(callbackSecret('sk_one', URL_A)).toBe(secret);
		expect(callbackSecret('sk_two', URL_A)).not.toBe(secret);
		expect(callbackSecret('sk_one', `${URL_A}x`)).not.toBe(secret);
		expect(secretMatches(secret, secret)).toBe(true);
		expect(secretMatches([secret], secret)).toBe(true);
		expect(secretMatches(secret.slice(1), secret)).toBe(false);
		expect(secretMatches(undefined, secret)).toBe(false);
		expect(secretMatches('', '')).toBe(false);
	});
});

describe('sealed static data', () => {
	it('opens only with the same API key and URL', () => {
		const value = { url: 'https://ats.example/x', requestHeaders: { authorization: 'Bearer t' } };
		const sealed = sealForStaticData('sk_one', URL_A, value);
		expect(sealed).not.toContain('ats.example');
		expect(openFromStaticData('sk_one', URL_A, sealed)).toEqual(value);
		expect(openFromStaticData('sk_two', URL_A, sealed)).toBeUndefined();
		expect(openFromStaticData('sk_one', URL_A, 'a.b')).toBeUndefined();
	});
});

describe('answers', () => {
	const profile: AgentProfile = {
		agentId: 'agent_1',
		variables: ['name', 'job_title'],
		firstMessageOverride: true,
		hadPermission: false,
	};

	it('the generic intake fills every variable and greets without any candidate data', () => {
		expect(genericAnswer(profile, { job_title: 'eine unserer Stellen' }, 'Guten Tag.')).toEqual({
			type: 'conversation_initiation_client_data',
			dynamic_variables: { name: '', job_title: 'eine unserer Stellen' },
			conversation_config_override: { agent: { first_message: 'Guten Tag.' } },
		});
		// An agent that does not allow a first message of the call keeps its own.
		expect(
			genericAnswer({ ...profile, firstMessageOverride: false }, {}, 'Guten Tag.'),
		).not.toHaveProperty('conversation_config_override');
	});

	it('reads the variables of texts and the greeting without template comments', () => {
		expect(
			placeholdersOf('Hallo {{ name }}, {{system__caller_id}} {{job_title}}', '{{name}}'),
		).toEqual(['name', 'job_title']);
		expect(greetingText('{{!-- a note with {{name}} --}}\nHallo {{name}}?')).toBe(
			'Hallo {{name}}?',
		);
	});

	it('the candidate answer has the wire names the SDK’s serializer gives', async () => {
		const clientData = {
			userId: 'vr1_abc',
			dynamicVariables: { name: 'Erika Muster', attempts: 2, consent: true },
			conversationConfigOverride: {
				agent: { firstMessage: 'Hallo {{name}}?', language: 'de', prompt: { prompt: 'Du bist …' } },
			},
		};
		const { ConversationInitiationClientDataRequestInput } = await import(
			'@elevenlabs/elevenlabs-js/serialization'
		);
		expect(initiationAnswer(clientData)).toEqual({
			type: 'conversation_initiation_client_data',
			...(ConversationInitiationClientDataRequestInput.jsonOrThrow(clientData) as object),
		});
	});

	it('reads ElevenLabs’ request', () => {
		expect(
			readInitiationRequest({
				caller_id: '+4917112345601',
				agent_id: 'agent_1',
				called_number: '+493012345670',
				call_sid: 'CA1',
			}),
		).toEqual({
			callerId: '+4917112345601',
			agentId: 'agent_1',
			calledNumber: '+493012345670',
			callSid: 'CA1',
		});
		expect(readInitiationRequest({ agent_id: 'agent_1' })).toBeUndefined();
		expect(readInitiationRequest([])).toBeUndefined();
	});
});

describe('the embedded ledger folder', () => {
	it('is Place Agent Call’s for every node of the package', () => {
		expect(
			embeddedLedgerFolder(
				'/home/n8n/.n8n/storage/n8n-nodes-voice-recruiting.elevenLabsCallbackAnswer',
				'n8n-nodes-voice-recruiting.elevenLabsCallbackAnswer',
			),
		).toBe('/home/n8n/.n8n/storage/n8n-nodes-voice-recruiting.agentCall');
		expect(
			embeddedLedgerFolder(
				'/home/n8n/.n8n/storage/n8n-nodes-voice-recruiting.agentCall',
				'n8n-nodes-voice-recruiting.agentCall',
			),
		).toBe('/home/n8n/.n8n/storage/n8n-nodes-voice-recruiting.agentCall');
	});

	it('is the same for a webhook, which n8n gives no storage path', () => {
		const before = process.env.N8N_USER_FOLDER;
		process.env.N8N_USER_FOLDER = '/home/n8n';
		try {
			expect(webhookEmbeddedLedgerFolder()).toBe(
				embeddedLedgerFolder(
					'/home/n8n/.n8n/storage/n8n-nodes-voice-recruiting.twilioSmsTrigger',
					'n8n-nodes-voice-recruiting.twilioSmsTrigger',
				),
			);
		} finally {
			if (before === undefined) delete process.env.N8N_USER_FOLDER;
			else process.env.N8N_USER_FOLDER = before;
		}
	});
});

describe('the time budget', () => {
	it('is 2 s unless the option says otherwise, within 200 ms and 10 s', () => {
		expect(answerBudgetMs(undefined)).toBe(2000);
		expect(answerBudgetMs('')).toBe(2000);
		expect(answerBudgetMs(1500)).toBe(1500);
		expect(answerBudgetMs(0)).toBe(200);
		expect(answerBudgetMs(60_000)).toBe(10_000);
	});
});
