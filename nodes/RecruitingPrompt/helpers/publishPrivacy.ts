/**
 * The agent's privacy settings a publish manages (`platform_settings.privacy`): how long
 * ElevenLabs keeps the conversations, whether it records the voice, and, when the user asks,
 * PII redaction in the conversation history. Settings the package does not manage (zero
 * retention, what the retention deletes, applying to existing conversations) stay as they are.
 */
import type { ElevenLabs } from '@elevenlabs/elevenlabs-js';

/** Conversations are kept this many days unless the node says otherwise: enough to read the results back. */
export const DEFAULT_RETENTION_DAYS = 30;

/**
 * What redaction removes by default: contact data and the special categories of personal data
 * (GDPR Art. 9) a candidate may mention unasked. Names stay: the recruiter has to know who spoke.
 */
export const DEFAULT_REDACTED_ENTITIES: ElevenLabs.ConfigEntityType[] = [
	'email_address',
	'contact_number',
	'dob',
	'age',
	'religious_belief',
	'political_opinion',
	'sexual_orientation',
	'ethnicity_race',
	'marital_status',
	'medical',
	'financial_id',
	'unique_id',
];

export interface DesiredPrivacy {
	retentionDays: number;
	recordVoice: boolean;
	/** The entities to redact; undefined leaves the agent's redaction as it is. */
	redactedEntities?: ElevenLabs.ConfigEntityType[];
}

type Privacy = ElevenLabs.PrivacyConfigOutput;

const sameSet = (a: readonly string[] = [], b: readonly string[] = []) =>
	a.length === b.length && a.every((entry) => b.includes(entry));

/** What differs (before / after per setting) and the privacy object to write back whole. */
export function planPrivacy(current: Privacy | undefined, desired: DesiredPrivacy) {
	const diff: Record<string, { before: unknown; after: unknown }> = {};
	const next: ElevenLabs.PrivacyConfigInput = { ...current };
	if (current?.retentionDays !== desired.retentionDays) {
		diff.retentionDays = { before: current?.retentionDays, after: desired.retentionDays };
		next.retentionDays = desired.retentionDays;
	}
	if (current?.recordVoice !== desired.recordVoice) {
		diff.recordVoice = { before: current?.recordVoice, after: desired.recordVoice };
		next.recordVoice = desired.recordVoice;
	}
	const redaction = current?.conversationHistoryRedaction;
	const entities = desired.redactedEntities;
	if (entities && (redaction?.enabled !== true || !sameSet(redaction.entities, entities))) {
		diff.redaction = {
			before: redaction?.enabled ? (redaction.entities ?? []) : 'off',
			after: entities,
		};
		next.conversationHistoryRedaction = { ...redaction, enabled: true, entities };
	}
	return { diff: Object.keys(diff).length ? diff : undefined, next };
}
