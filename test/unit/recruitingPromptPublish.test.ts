/** Build Recruiting Prompt → Publish: the pure parts (document names, call variables, answers, the plan). */
import type { ElevenLabs } from '@elevenlabs/elevenlabs-js';

import { COLLECTED_ANSWERS } from '../../nodes/RecruitingPrompt/helpers/answers';
import { ProblemError } from '../../nodes/shared/n8n/problems';
import {
	GERMAN_DESCRIPTIONS,
	answersNamedIn,
	criteriaFor,
} from '../../nodes/RecruitingPrompt/helpers/publishAnswers';
import {
	documentName,
	isPublishedDocument,
} from '../../nodes/RecruitingPrompt/helpers/publishDocument';
import { planPublish, voiceModelFor } from '../../nodes/RecruitingPrompt/helpers/publishPlan';
import type { DesiredState } from '../../nodes/RecruitingPrompt/helpers/publishPlan';
import { planPrivacy } from '../../nodes/RecruitingPrompt/helpers/publishPrivacy';
import {
	callVariables,
	placeholderSamples,
	publishTimeVariables,
} from '../../nodes/RecruitingPrompt/helpers/publishVariables';
import type { VariableUse } from '../../nodes/RecruitingPrompt/helpers/templateWalk';

const use = (required: boolean, inKnowledgeBase = false): VariableUse => ({
	required,
	templates: ['master'],
	inKnowledgeBase,
	inVoicemailMessage: false,
});

describe('publishDocument', () => {
	it('names one document per company and job, versioned by the text', () => {
		const a = documentName('Klinikum Nord GmbH', 'Pflegefachkraft', 'Text A');
		const b = documentName('Klinikum Nord GmbH', 'Pflegefachkraft', 'Text B');
		expect(a).toMatch(/^Recruiting KB · Klinikum Nord GmbH · Pflegefachkraft · [0-9a-f]{8}$/);
		expect(a).not.toBe(b);
		expect(isPublishedDocument(a, 'Klinikum Nord GmbH', 'Pflegefachkraft')).toBe(true);
		expect(isPublishedDocument(b, 'Klinikum Nord GmbH', 'Pflegefachkraft')).toBe(true);
	});

	it('never claims a document of another job or one the user named', () => {
		const other = documentName('Klinikum Nord GmbH', 'Stationsleitung', 'Text');
		expect(isPublishedDocument(other, 'Klinikum Nord GmbH', 'Pflegefachkraft')).toBe(false);
		expect(
			isPublishedDocument(
				'Recruiting KB · Klinikum Nord GmbH · Pflegefachkraft · meine Notizen',
				'Klinikum Nord GmbH',
				'Pflegefachkraft',
			),
		).toBe(false);
		expect(isPublishedDocument('Hausordnung', 'Klinikum Nord GmbH', 'Pflegefachkraft')).toBe(false);
	});

	it('keeps names on one line and short', () => {
		const name = documentName('A · B\nC', 'x'.repeat(200), 'Text');
		expect(name).not.toMatch(/\n/);
		expect(name).toContain('A B C');
		expect(Array.from(name).length).toBeLessThan(140);
	});
});

describe('publishVariables', () => {
	const used = new Map([
		['name', use(true)],
		['address', use(false)],
		['company', use(true, true)],
		['jobTitle', use(true, true)],
		['recruiterName', use(true)],
	]);

	it('keeps the listed variables the templates use', () => {
		expect(callVariables('name, recruiterName; unused', used)).toEqual(['name', 'recruiterName']);
	});

	it('refuses invalid names and variables of the knowledge base', () => {
		expect(() => callVariables('name, 1st', used)).toThrow(ProblemError);
		expect(() => callVariables('company', used)).toThrow(/knowledge base uses company/);
	});

	it('resolves the rest at publish time, never the candidate’s own fields', () => {
		expect([...publishTimeVariables(used, ['name']).keys()]).toEqual([
			'company',
			'jobTitle',
			'recruiterName',
		]);
		expect(() => publishTimeVariables(used, [])).toThrow(/have to be|has to be/);
	});

	it('gives the dashboard sample values in the set’s language', () => {
		expect(placeholderSamples(['name', 'shift'], 'de')).toEqual({
			name: 'Erika Mustermann',
			shift: '(shift)',
		});
	});
});

describe('publishAnswers', () => {
	it('has a German description for every answer the prompts name', () => {
		expect(Object.keys(GERMAN_DESCRIPTIONS).sort()).toEqual(
			COLLECTED_ANSWERS.map((a) => a.id).sort(),
		);
	});

	it('collects the answers a text names in backticks, with criteria that fit', () => {
		const answers = answersNamedIn('Halten Sie `consent_given` und `opt_out` fest.', 'de');
		expect(Object.keys(answers)).toEqual(['consent_given', 'opt_out']);
		expect(answers.opt_out.description).toBe(GERMAN_DESCRIPTIONS.opt_out);
		expect(criteriaFor(answers, 'de').map((c) => c.id)).toEqual([
			'ai_disclosure_and_consent',
			'no_prohibited_questions',
			'opt_out_respected',
		]);
		expect(criteriaFor(answers, 'en')[0].name).toBe('AI disclosure and consent first');
	});
});

function agent(
	overrides: {
		knowledgeBase?: ElevenLabs.KnowledgeBaseLocator[];
		dataCollection?: Record<string, ElevenLabs.AnalysisProperty>;
	} = {},
) {
	return {
		agentId: 'agent_1',
		name: 'Agent',
		conversationConfig: {
			agent: {
				firstMessage: '',
				language: 'en',
				dynamicVariables: { dynamic_variable_placeholders: {} },
				prompt: { prompt: '', knowledgeBase: overrides.knowledgeBase ?? [] },
			},
			tts: { modelId: 'eleven_flash_v2' },
		},
		metadata: { createdAtUnixSecs: 0 },
		platformSettings: {
			dataCollection: overrides.dataCollection ?? {},
			evaluation: { criteria: [] },
		},
	} as unknown as ElevenLabs.GetAgentResponseModel;
}

function desired(text = 'KB'): DesiredState {
	return {
		systemPrompt: 'Prompt {{name}}',
		firstMessage: 'Hallo {{name}}',
		language: 'de',
		knowledgeBase: { name: documentName('Firma', 'Job', text), text },
		isOurDocument: (name) => isPublishedDocument(name, 'Firma', 'Job'),
		answers: { opt_out: { type: 'boolean', description: 'Opt-out' } },
		criteria: [],
		placeholders: { name: 'Erika Mustermann' },
	};
}

describe('planPublish', () => {
	it('plans one update that keeps the user’s documents and answers', () => {
		const own = { type: 'text' as const, name: 'Hausordnung', id: 'doc_own' };
		const old = { type: 'text' as const, name: documentName('Firma', 'Job', 'old'), id: 'doc_old' };
		const plan = planPublish(
			agent({
				knowledgeBase: [own, old],
				dataCollection: { shift: { type: 'string', description: 'Schicht' } },
			}),
			desired(),
		);
		expect(plan.upload?.name).toBe(desired().knowledgeBase!.name);
		expect(plan.removedDocuments).toEqual([old]);
		const update = plan.update('doc_new')!;
		expect(update.conversationConfig?.agent?.prompt?.knowledgeBase?.map((l) => l.id)).toEqual([
			'doc_own',
			'doc_new',
		]);
		expect(Object.keys(update.platformSettings?.dataCollection ?? {})).toEqual([
			'shift',
			'opt_out',
		]);
		expect(update.conversationConfig?.tts?.modelId).toBe('eleven_flash_v2_5');
		expect(() => plan.update()).toThrow(/uploaded/);
	});

	it('plans nothing when the agent already has the set', () => {
		const first = planPublish(agent(), desired());
		const update = first.update('doc_new')!;
		const published = agent({
			knowledgeBase: update.conversationConfig!.agent!.prompt!.knowledgeBase!,
			dataCollection: update.platformSettings!.dataCollection!,
		});
		published.conversationConfig.agent!.prompt!.prompt = 'Prompt {{name}}';
		published.conversationConfig.agent!.firstMessage = 'Hallo {{name}}';
		published.conversationConfig.agent!.language = 'de';
		published.conversationConfig.agent!.dynamicVariables = {
			dynamic_variable_placeholders: { name: 'Erika Mustermann' },
		};
		published.conversationConfig.tts!.modelId = 'eleven_flash_v2_5';
		published.platformSettings!.overrides = {
			conversationConfigOverride: {
				agent: { prompt: { prompt: true }, firstMessage: true, language: true },
			},
		};
		const again = planPublish(published, desired());
		expect(again.changed).toEqual([]);
		expect(again.update()).toBeUndefined();
		expect(again.keptDocument?.id).toBe('doc_new');
	});

	it('switches on the three overrides and keeps the agent’s other toggles', () => {
		const locked = agent();
		locked.platformSettings!.overrides = {
			customLlmExtraBody: true,
			conversationConfigOverride: {
				agent: { firstMessage: true },
				conversation: { textOnly: true },
			},
		};
		const plan = planPublish(locked, desired());
		expect(plan.diff.overrides).toEqual({ enable: ['prompt', 'language'] });
		expect(plan.update('doc_new')!.platformSettings?.overrides).toEqual({
			customLlmExtraBody: true,
			conversationConfigOverride: {
				agent: { firstMessage: true, language: true, prompt: { prompt: true } },
				conversation: { textOnly: true },
			},
		});
	});

	it('switches English-only voice models to their multilingual sibling for other languages', () => {
		expect(voiceModelFor('de', 'eleven_turbo_v2')).toBe('eleven_turbo_v2_5');
		expect(voiceModelFor('en', 'eleven_turbo_v2')).toBe('eleven_turbo_v2');
		expect(voiceModelFor('de', 'eleven_multilingual_v2')).toBe('eleven_multilingual_v2');
	});
});

describe('planPrivacy', () => {
	const current: ElevenLabs.PrivacyConfigOutput = {
		recordVoice: true,
		retentionDays: -1,
		zeroRetentionMode: false,
		conversationHistoryRedaction: {
			enabled: true,
			entities: ['medical', 'age'],
			excludedDataCollectionIds: ['salary_expectation'],
		},
	};

	it('changes only what differs and writes the rest back as it was', () => {
		const plan = planPrivacy(current, { retentionDays: 30, recordVoice: true });
		expect(plan.diff).toEqual({ retentionDays: { before: -1, after: 30 } });
		expect(plan.next).toEqual({ ...current, retentionDays: 30 });
	});

	it('leaves redaction alone unless it is asked for, and compares entities as a set', () => {
		expect(planPrivacy(current, { retentionDays: -1, recordVoice: true }).diff).toBeUndefined();
		expect(
			planPrivacy(current, {
				retentionDays: -1,
				recordVoice: true,
				redactedEntities: ['age', 'medical'],
			}).diff,
		).toBeUndefined();
		const plan = planPrivacy(current, {
			retentionDays: -1,
			recordVoice: true,
			redactedEntities: ['email_address'],
		});
		expect(plan.diff).toEqual({
			redaction: { before: ['medical', 'age'], after: ['email_address'] },
		});
		expect(plan.next.conversationHistoryRedaction).toEqual({
			enabled: true,
			entities: ['email_address'],
			excludedDataCollectionIds: ['salary_expectation'],
		});
	});

	it('switches redaction on for an agent without any', () => {
		const plan = planPrivacy(undefined, {
			retentionDays: 30,
			recordVoice: false,
			redactedEntities: ['medical'],
		});
		expect(plan.diff).toEqual({
			retentionDays: { before: undefined, after: 30 },
			recordVoice: { before: undefined, after: false },
			redaction: { before: 'off', after: ['medical'] },
		});
		expect(plan.next).toEqual({
			retentionDays: 30,
			recordVoice: false,
			conversationHistoryRedaction: { enabled: true, entities: ['medical'] },
		});
	});
});
