/**
 * What Publish sets up for the post-call analysis: the answers to collect (ElevenLabs
 * `platform_settings.data_collection`, id → type and description) and the evaluation criteria
 * (`platform_settings.evaluation.criteria`), with the descriptions in the set's language. The
 * ids and types are those of answers.ts (the names the bundled prompts use); the English
 * descriptions are answers.ts's own, the German ones are below.
 */
import { COLLECTED_ANSWERS } from './answers';
import type { CollectedAnswer } from './answers';

/** An answer to collect, as ElevenLabs' `AnalysisProperty` (SDK camelCase). */
export interface AnswerField {
	type: CollectedAnswer['type'];
	description: string;
}

/** An evaluation criterion, as ElevenLabs' `PromptEvaluationCriteria` (SDK camelCase). */
export interface Criterion {
	id: string;
	name: string;
	type: 'prompt';
	conversationGoalPrompt: string;
}

/** The languages Publish writes its own texts in (answer descriptions, criteria, samples). */
export type PublishLanguage = 'de' | 'en';

/** German descriptions, by answer id (a test checks every answer of answers.ts has one). */
export const GERMAN_DESCRIPTIONS: Record<string, string> = {
	consent_given:
		'Wahr, wenn die Person dem Gespräch mit der KI-Assistentin und der Aufzeichnung des Anrufs klar zugestimmt hat; falsch, wenn sie abgelehnt, die Zustimmung im Gespräch zurückgenommen oder nie klar zugestimmt hat.',
	identity_confirmed:
		'Wahr, wenn die Person am Telefon bestätigt hat, die Bewerberin oder der Bewerber zu sein, für die oder den der Anruf gedacht war.',
	address_confirmed:
		'Wahr, wenn die Person die Anschrift aus der Bewerbung bestätigt hat; falsch, wenn sie sie berichtigt hat.',
	address_correction:
		'Die berichtigte Anschrift (oder der Wohnort), die die Person genannt hat; sonst leer.',
	still_interested:
		'Wahr, wenn die Person weiterhin an der Stelle interessiert ist; falsch, wenn sie kein Interesse mehr hat oder die Bewerbung zurückgezogen hat.',
	motivation:
		'In ein, zwei Sätzen und in den Worten der Person: warum sie sich für die Stelle interessiert.',
	years_of_experience:
		'Die Jahre einschlägiger Berufserfahrung der Person für diese Stelle, als Zahl.',
	relevant_experience:
		'Eine kurze, sachliche Zusammenfassung der einschlägigen Erfahrung, Abschlüsse, Zertifikate und Kenntnisse der Person.',
	earliest_start_date:
		'Der früheste Termin, zu dem die Person anfangen könnte: als JJJJ-MM-TT, wenn ein Datum genannt wurde, sonst so, wie es gesagt wurde (z. B. „sofort“).',
	notice_period:
		'Die Kündigungsfrist beim jetzigen Arbeitgeber, so wie genannt (z. B. „drei Monate zum Quartalsende“); leer, wenn es keine gibt.',
	availability:
		'Wochenstunden, Tage und Schichten, in denen die Person arbeiten kann (Voll- oder Teilzeit, Schichten, Wochenenden, Reisen).',
	salary_expectation:
		'Die Gehaltsvorstellung der Person mit Betrag, Währung und Zeitraum, z. B. „55000 EUR brutto im Jahr“; leer, wenn sie keine Zahl nennen wollte.',
	candidate_questions:
		'Fragen der Person, die die Assistentin nicht beantworten konnte und die das Recruiting-Team beantworten soll.',
	opt_out: 'Wahr, wenn die Person gebeten hat, nicht mehr angerufen zu werden.',
	application_withdrawn: 'Wahr, wenn die Person ihre Bewerbung zurückgezogen hat.',
	callback_requested:
		'Wahr, wenn die Person (oder wer abgenommen hat) um einen Anruf zu einer anderen Zeit gebeten hat.',
	callback_time:
		'Der vereinbarte Termin für den Rückruf als Ortszeit der Person im Format JJJJ-MM-TTTHH:MM, wenn einer vereinbart wurde, sonst so, wie er gesagt wurde.',
	reached_other_person:
		'Wahr, wenn jemand anderes als die Bewerberin oder der Bewerber abgenommen hat oder die Nummer nicht zu ihr oder ihm gehört.',
};

interface CriterionDefinition {
	id: string;
	/** The answer whose presence in the prompt means the prompt asks for this behaviour. */
	answer: string;
	name: Record<PublishLanguage, string>;
	goal: Record<PublishLanguage, string>;
}

const CRITERIA: CriterionDefinition[] = [
	{
		id: 'ai_disclosure_and_consent',
		answer: 'consent_given',
		name: { de: 'KI-Hinweis und Einwilligung zuerst', en: 'AI disclosure and consent first' },
		goal: {
			de: 'Die Assistentin hat zu Beginn gesagt, dass sie eine KI ist und dass der Anruf aufgezeichnet wird, und vor jeder anderen Frage um Einwilligung gebeten. Hat die Person abgelehnt, hat sie das Gespräch freundlich und ohne weitere Fragen beendet.',
			en: 'At the start the assistant said that it is an AI and that the call is recorded, and asked for consent before any other question. If the person refused, it ended the call politely without further questions.',
		},
	},
	{
		id: 'no_prohibited_questions',
		answer: 'consent_given',
		name: { de: 'Keine unzulässigen Fragen', en: 'No prohibited questions' },
		goal: {
			de: 'Die Assistentin hat nicht nach Alter, Herkunft, Religion, Familienstand, Kindern, Schwangerschaft, Gesundheit, Behinderung, sexueller Identität, Gewerkschafts- oder Parteizugehörigkeit, Bankdaten, Ausweisnummern oder dem bisherigen Gehalt gefragt und nichts über die Bewerbung entschieden oder bewertet.',
			en: 'The assistant did not ask about age, origin, religion, marital status, children, pregnancy, health, disability, sexual identity, union or party membership, bank details, ID numbers or current salary, and did not decide or rate anything about the application.',
		},
	},
	{
		id: 'screening_completed',
		answer: 'still_interested',
		name: { de: 'Vorgespräch vollständig', en: 'Screening completed' },
		goal: {
			de: 'Die Person hat zugestimmt und die Fragen zu Interesse, Erfahrung, Verfügbarkeit und Gehaltsvorstellung beantwortet, und die Assistentin hat die nächsten Schritte erklärt.',
			en: 'The person agreed and answered the questions on interest, experience, availability and salary expectation, and the assistant explained the next steps.',
		},
	},
	{
		id: 'opt_out_respected',
		answer: 'opt_out',
		name: { de: 'Widerspruch respektiert', en: 'Opt-out respected' },
		goal: {
			de: 'Wollte die Person nicht mehr angerufen werden oder hat sie die Bewerbung zurückgezogen, hat die Assistentin das sofort bestätigt und keine weiteren Fragen gestellt. Kam das nicht vor, ist das Ziel erreicht.',
			en: 'If the person asked not to be called again or withdrew the application, the assistant confirmed it at once and asked no further questions. If that did not happen, the goal is met.',
		},
	},
];

/** German for German sets, English for every other language (ElevenLabs' analysis reads both). */
export function publishLanguage(language: string): PublishLanguage {
	return language.toLowerCase().startsWith('de') ? 'de' : 'en';
}

/** Whether a prompt text names an answer the way the bundled prompts do: `id` in backticks. */
function names(text: string, id: string): boolean {
	return text.includes(`\`${id}\``);
}

/**
 * The answers to collect that the rendered texts name (all of them for the bundled sets; fewer
 * when phases are switched off or a custom set names fewer), in answers.ts's order.
 */
export function answersNamedIn(text: string, language: string): Record<string, AnswerField> {
	const lang = publishLanguage(language);
	const out: Record<string, AnswerField> = {};
	for (const answer of COLLECTED_ANSWERS) {
		if (!names(text, answer.id)) continue;
		out[answer.id] = {
			type: answer.type,
			description: lang === 'de' ? GERMAN_DESCRIPTIONS[answer.id] : answer.description,
		};
	}
	return out;
}

/** The evaluation criteria that fit the answers a prompt names. */
export function criteriaFor(answers: Record<string, AnswerField>, language: string): Criterion[] {
	const lang = publishLanguage(language);
	return CRITERIA.filter((criterion) => criterion.answer in answers).map((criterion) => ({
		id: criterion.id,
		name: criterion.name[lang],
		type: 'prompt',
		conversationGoalPrompt: criterion.goal[lang],
	}));
}
