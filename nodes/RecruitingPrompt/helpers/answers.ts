/**
 * The structured answers the bundled prompts ask the agent to collect, by the names the prompts
 * use. They are meant as the agent's ElevenLabs data-collection fields (`platform_settings.
 * data_collection`, id → type and description), so that Get Transcript and the trigger return
 * them under `dataCollection`. Both bundled sets name every one of them (a test checks it).
 */
export interface CollectedAnswer {
	id: string;
	type: 'boolean' | 'string' | 'integer' | 'number';
	/** What ElevenLabs' analysis should extract from the transcript. */
	description: string;
	/** The phase that asks for it. */
	phase: string;
}

export const COLLECTED_ANSWERS: readonly CollectedAnswer[] = [
	{
		id: 'consent_given',
		type: 'boolean',
		phase: 'greeting',
		description:
			'True if the candidate clearly agreed to talk with the AI assistant and to the recording of the call; false if they refused, withdrew consent during the call, or never clearly agreed.',
	},
	{
		id: 'identity_confirmed',
		type: 'boolean',
		phase: 'identity',
		description:
			'True if the person on the phone confirmed being the candidate the call was meant for.',
	},
	{
		id: 'address_confirmed',
		type: 'boolean',
		phase: 'identity',
		description:
			'True if the candidate confirmed the postal address on file; false if they corrected it.',
	},
	{
		id: 'address_correction',
		type: 'string',
		phase: 'identity',
		description: 'The corrected postal address the candidate gave, if any; empty otherwise.',
	},
	{
		id: 'still_interested',
		type: 'boolean',
		phase: 'interest',
		description:
			'True if the candidate is still interested in the position; false if they are no longer interested or withdrew the application.',
	},
	{
		id: 'motivation',
		type: 'string',
		phase: 'interest',
		description:
			'In one or two sentences, why the candidate is interested in the position, in their own words.',
	},
	{
		id: 'years_of_experience',
		type: 'number',
		phase: 'qualification',
		description:
			'The candidate’s years of relevant professional experience for this position, as a number.',
	},
	{
		id: 'relevant_experience',
		type: 'string',
		phase: 'qualification',
		description:
			'A short factual summary of the candidate’s relevant experience, qualifications, certificates and skills.',
	},
	{
		id: 'earliest_start_date',
		type: 'string',
		phase: 'availability',
		description:
			'The earliest date the candidate could start, as YYYY-MM-DD if a date was named, otherwise as said (e.g. "immediately").',
	},
	{
		id: 'notice_period',
		type: 'string',
		phase: 'availability',
		description:
			'The candidate’s notice period at their current employer, as said (e.g. "3 months to the end of a quarter"); empty if none.',
	},
	{
		id: 'availability',
		type: 'string',
		phase: 'availability',
		description:
			'The weekly hours, days and shifts the candidate can work (full or part time, shifts, weekends, travel).',
	},
	{
		id: 'salary_expectation',
		type: 'string',
		phase: 'salary',
		description:
			'The candidate’s salary expectation with amount, currency and period, e.g. "55000 EUR gross per year"; empty if they preferred not to say.',
	},
	{
		id: 'candidate_questions',
		type: 'string',
		phase: 'questions',
		description:
			'Questions of the candidate that the assistant could not answer and the recruiter should answer.',
	},
	{
		id: 'opt_out',
		type: 'boolean',
		phase: 'optOut',
		description: 'True if the candidate asked not to be called again.',
	},
	{
		id: 'application_withdrawn',
		type: 'boolean',
		phase: 'optOut',
		description: 'True if the candidate withdrew the application.',
	},
	{
		id: 'callback_requested',
		type: 'boolean',
		phase: 'callback',
		description:
			'True if the candidate (or the person who answered) asked to be called back at another time.',
	},
	{
		id: 'callback_time',
		type: 'string',
		phase: 'callback',
		description:
			'The agreed time for a call-back as an ISO 8601 local date and time (YYYY-MM-DDTHH:MM) in the candidate’s time zone if one was agreed, otherwise as said.',
	},
	{
		id: 'reached_other_person',
		type: 'boolean',
		phase: 'wrongPerson',
		description:
			'True if someone other than the candidate answered, or the number does not belong to the candidate.',
	},
];
