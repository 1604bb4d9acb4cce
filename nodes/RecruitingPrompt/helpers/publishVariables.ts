/**
 * The call variables of a published agent: template variables left in its own prompt and first
 * message as ElevenLabs `{{dynamic variables}}`, which every call fills in (Place Agent Call's
 * Dynamic Variables, or Build Recruiting Prompt's prompt.dynamicVariables). Everything else is
 * rendered once, at publish time, with the company's and the job's values.
 */
import { ProblemError } from '../../shared/n8n/problems';
import { listing } from './wording';
import { publishLanguage } from './publishAnswers';
import type { PublishLanguage } from './publishAnswers';
import type { VariableUse } from './templateWalk';
import { isDynamicVariableName } from './values';

/** What the agent's dashboard shows for a call variable in its test calls, by set language. */
const SAMPLES: Record<PublishLanguage, Record<string, string>> = {
	de: {
		name: 'Erika Mustermann',
		email: 'erika.mustermann@example.de',
		address: 'Musterstraße 1, 10115 Berlin',
		phone: '+49 30 1234567',
		candidateId: 'B-0001',
	},
	en: {
		name: 'Alex Sample',
		email: 'alex.sample@example.com',
		address: '1 Sample Street, London',
		phone: '+44 20 7946 0000',
		candidateId: 'C-0001',
	},
};

/**
 * The call variables from the parameter (names separated by commas), checked: valid ElevenLabs
 * names, and none the knowledge base uses (the document is uploaded once, for every call).
 * Names the templates do not use are left out.
 */
export function callVariables(value: unknown, used: Map<string, VariableUse>): string[] {
	const names = [
		...new Set(
			String(value ?? '')
				.split(/[,;\n]/)
				.map((name) => name.trim())
				.filter(Boolean),
		),
	];
	const invalid = names.filter((name) => !isDynamicVariableName(name));
	if (invalid.length) {
		throw new ProblemError(
			`${listing(invalid.map((name) => `"${name}"`))} ${invalid.length > 1 ? 'are not valid variable names' : 'is not a valid variable name'} under Call Variables`,
			'Use letters, digits and underscores, starting with a letter, e.g. name or candidate_id (the system__ prefix is ElevenLabs’ own).',
		);
	}
	const inKnowledgeBase = names.filter((name) => used.get(name)?.inKnowledgeBase);
	if (inKnowledgeBase.length) {
		throw new ProblemError(
			`The knowledge base uses ${listing(inKnowledgeBase)}, so ${inKnowledgeBase.length > 1 ? 'they' : 'it'} cannot be left to each call`,
			`The knowledge base is uploaded to the agent once and is the same for every call. Give ${listing(inKnowledgeBase)} a value here (a field of the item or under Extra Variables) and remove ${inKnowledgeBase.length > 1 ? 'them' : 'it'} from Call Variables.`,
		);
	}
	return names.filter((name) => used.has(name));
}

/** Sample values for the call variables (the agent's dynamic-variable placeholders). */
export function placeholderSamples(names: string[], language: string): Record<string, string> {
	const samples = SAMPLES[publishLanguage(language)];
	return Object.fromEntries(names.map((name) => [name, samples[name] ?? `(${name})`]));
}

/**
 * Fields that describe one candidate. At publish time they never take a value (a candidate's
 * address must not end up in the agent's prompt for everyone): each is a call variable or absent.
 */
export const CANDIDATE_SPECIFIC_FIELDS = [
	'name',
	'phone',
	'email',
	'address',
	'candidateId',
] as const;

const isCandidateSpecific = (name: string) =>
	(CANDIDATE_SPECIFIC_FIELDS as readonly string[]).includes(name);

/**
 * The variables to resolve at publish time: those the templates use, without the call variables
 * and the candidate's own fields. A candidate field the templates print for every candidate must
 * be a call variable.
 */
export function publishTimeVariables(
	used: Map<string, VariableUse>,
	calls: string[],
): Map<string, VariableUse> {
	const needed = [...used]
		.filter(([name, use]) => use.required && isCandidateSpecific(name) && !calls.includes(name))
		.map(([name]) => name);
	if (needed.length) {
		throw new ProblemError(
			`The templates use ${listing(needed)} for every candidate, so ${needed.length > 1 ? 'they have' : 'it has'} to be ${needed.length > 1 ? 'call variables' : 'a call variable'}`,
			`Add ${listing(needed)} to Call Variables. The agent's prompt then keeps ${needed.map((name) => `{{${name}}}`).join(', ')}, and each call supplies the value (Place Agent Call → Dynamic Variables).`,
		);
	}
	return new Map([...used].filter(([name]) => !calls.includes(name) && !isCandidateSpecific(name)));
}

/** Drops the candidate's own fields from resolved values (read from the item, they would be someone's data). */
export function withoutCandidateFields(values: Map<string, string>): Map<string, string> {
	return new Map([...values].filter(([name]) => !isCandidateSpecific(name)));
}

/**
 * Variables a voicemail message may not print: a mailbox can be heard by others, so it names the
 * company and a number, never the candidate, the job or the application.
 */
function revealsOnMailbox(name: string): boolean {
	return isCandidateSpecific(name) || name.startsWith('job') || name === 'recruiterName';
}

/** Refuses a voicemail message that prints the candidate's, the job's or the application's details. */
export function checkVoicemailVariables(used: Map<string, VariableUse>): void {
	const revealing = [...used]
		.filter(([name, use]) => use.inVoicemailMessage && revealsOnMailbox(name))
		.map(([name]) => name);
	if (!revealing.length) return;
	throw new ProblemError(
		`The voicemail message uses ${listing(revealing)}`,
		'A mailbox can be heard by others, so the message names only the company and a number to call back (e.g. callbackPhone), never the candidate, the job or the application. Remove these variables from the voicemailMessage template.',
	);
}
