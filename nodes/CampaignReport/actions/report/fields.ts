/**
 * The parameters both forms of the report share, and the one reading of them: every input item
 * is a candidate; the report is made once, from all of them.
 */
import { IANAZone } from 'luxon';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { callingHoursProperties } from '../../../AgentCall/actions/common/callingHours.description';
import { readWindowRules } from '../../../AgentCall/actions/common/windowSettings';
import { problem, toNodeError } from '../../../shared/n8n/problems';
import type { Checked, Problem } from '../../../shared/n8n/problems';
import { aggregate, MUST_HAVE_CONDITIONS } from '../../helpers/aggregate';
import type { CampaignReport, MustHave, MustHaveCondition } from '../../helpers/aggregate';
import { isReportLanguage } from '../../helpers/reportTexts';
import { reportView } from '../../helpers/reportView';
import type { ReportView } from '../../helpers/reportView';
import type { OutputField } from '../../../shared/n8n/outputFields';

const show = { resource: ['report'] };

export const reportProperties: INodeProperties[] = [
	{
		displayName: 'Language',
		name: 'language',
		type: 'options',
		options: [
			{ name: 'From the Candidates (German if Mixed)', value: 'auto' },
			{ name: 'German', value: 'de' },
			{ name: 'English', value: 'en' },
		],
		default: 'auto',
		description:
			'The language of the report. "From the candidates" uses the language most rows have in their "language" field, and German when none has most.',
		displayOptions: { show },
	},
	{
		displayName: 'Title',
		name: 'title',
		type: 'string',
		default: '',
		placeholder: 'Pflegefachkraft Berlin – KW 49',
		description: 'Heading of the report; "Kampagnenbericht" / "Campaign report" when empty',
		displayOptions: { show },
	},
	{
		displayName: 'Must-Have Answers',
		name: 'mustHaves',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Must-Have',
		default: {},
		description:
			'Answers a candidate must give to count in the last step of the funnel (e.g. work_permit is yes). The report marks who meets them; it rejects nobody.',
		displayOptions: { show },
		options: [
			{
				displayName: 'Must-Have',
				name: 'rule',
				values: [
					{
						displayName: 'Answer Field',
						name: 'field',
						type: 'string',
						default: '',
						placeholder: 'work_permit',
						description:
							'The answer\'s field in the item or in its "dataCollection", e.g. work_permit or earliest_start_date',
					},
					{
						displayName: 'Condition',
						name: 'condition',
						type: 'options',
						options: [
							{ name: 'Equals', value: 'equals' },
							{ name: 'Is a Date on or Before', value: 'onOrBefore' },
							{ name: 'Is at Least', value: 'atLeast' },
							{ name: 'Is at Most', value: 'atMost' },
							{ name: 'Is Given', value: 'given' },
							{ name: 'Is No', value: 'no' },
							{ name: 'Is Yes', value: 'yes' },
						],
						default: 'yes',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						placeholder: '2027-03-31',
						description:
							'What the answer is compared with: a text, a number ("3.500 €" works) or a date (2027-03-31 or 31.03.2027)',
						displayOptions: { show: { condition: ['equals', 'atLeast', 'atMost', 'onOrBefore'] } },
					},
				],
			},
		],
	},
	{
		displayName: 'Answers to Show',
		name: 'answers',
		type: 'string',
		default: '',
		placeholder: 'earliest_start_date, salary_expectation, shift_work',
		description:
			'The answers to chart and list, comma-separated; empty: every answer the items bring (their "dataCollection" and the answer columns of the results sheet)',
		displayOptions: { show },
	},
	{
		displayName: 'Check Calling Window',
		name: 'useCallingWindow',
		type: 'boolean',
		default: true,
		description:
			"Whether to check every call's time against the calling window, in the candidate's local time, for the compliance line",
		displayOptions: { show },
	},
	...callingHoursProperties(show, "the candidate's time zone"),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Cost Unit',
				name: 'costUnit',
				type: 'string',
				default: 'credits',
				description: 'Written after every cost; ElevenLabs reports the cost of a call in credits',
			},
			{
				displayName: 'Default Region',
				name: 'defaultRegion',
				type: 'string',
				default: 'DE',
				description:
					"Country of phone numbers written without a country code (0171 …), to tell the candidate's time zone and holidays",
			},
			{
				displayName: 'Default Time Zone',
				name: 'timeZone',
				type: 'string',
				default: 'Europe/Berlin',
				description:
					'Time zone of candidates whose zone neither a "timezone" field nor the phone number tells',
			},
			{
				displayName: 'Skip Public Holidays',
				name: 'skipHolidays',
				type: 'boolean',
				default: true,
				description:
					"Whether a call on a public holiday of the candidate's country counts as outside the calling window",
			},
			{
				displayName: 'Transcript Link',
				name: 'transcriptLinkBase',
				type: 'string',
				default: '',
				placeholder: 'https://recruiting.example.de/transcripts/',
				description:
					'The start of a link to each transcript; the conversation ID is added to it. Items with a "transcriptUrl" field use their own link.',
			},
		],
	},
];

interface ReportOptions {
	costUnit?: string;
	defaultRegion?: string;
	timeZone?: string;
	skipHolidays?: boolean;
	transcriptLinkBase?: string;
}

/** The output fields both operations carry besides the page or the file. */
export const summaryFields: OutputField[] = [
	{
		name: 'language',
		type: 'string',
		description: 'The language the report was written in (`de` or `en`)',
	},
	{
		name: 'candidates',
		type: 'number',
		description: 'How many candidates (input items) the report covers',
	},
	{
		name: 'funnel',
		type: 'object',
		description:
			'Candidates per stage: `candidates`, `dialled`, `reached`, `consented`, `completed`, `interested` (and `mustHaves` when the rows say)',
	},
	{
		name: 'outcomes',
		type: 'object',
		description: 'Candidates per outcome, e.g. `answered`, `voicemail`, `busy`',
	},
	{
		name: 'cost',
		type: 'object',
		description:
			'`total` credits, `perReached`, `perCompleted`, call `minutes`, and rows with or without a readable cost',
	},
	{
		name: 'compliance',
		type: 'object',
		description:
			'`window` (calls checked against the calling window and those outside it), `dialledTwice`, opt-outs and whether they are on the do-not-call list, `consentRate`',
	},
];

/** What the output item carries besides the page or the file: the funnel and cost as numbers. */
export function reportSummary(report: CampaignReport): IDataObject {
	return {
		candidates: report.candidates.length,
		funnel: Object.fromEntries(report.funnel.map((f) => [f.stage, f.count])),
		outcomes: Object.fromEntries(report.outcomes.map((o) => [o.key, o.count])),
		cost: { ...report.cost },
		compliance: { ...report.compliance },
	};
}

/** The one output item of a report made from every input item: paired to all of them. */
export function reportItem(
	ctx: IExecuteFunctions,
	json: IDataObject,
	binary?: INodeExecutionData['binary'],
): INodeExecutionData[] {
	const pairedItem = ctx.getInputData().map((_, item) => ({ item }));
	return [{ json, ...(binary ? { binary } : {}), pairedItem }];
}

/** A report that cannot be made: the error, or with continue-on-fail one item that says why. */
export function reportFailure(ctx: IExecuteFunctions, failure: Problem): INodeExecutionData[] {
	if (!ctx.continueOnFail()) throw toNodeError(ctx.getNode(), failure);
	return reportItem(ctx, { error: failure.message, errorDescription: failure.hint });
}

/** The report of all input items, in its language, or the setting that keeps it from being made. */
export function buildReport(
	ctx: IExecuteFunctions,
): Checked<{ report: CampaignReport; view: ReportView }> {
	const options = ctx.getNodeParameter('options', 0, {}) as ReportOptions;
	const chosen = String(ctx.getNodeParameter('language', 0, 'auto'));
	const rules = ctx.getNodeParameter('mustHaves.rule', 0, []) as Array<{
		field?: string;
		condition?: string;
		value?: string;
	}>;
	const mustHaves: MustHave[] = [];
	for (const rule of rules) {
		const field = String(rule.field ?? '').trim();
		if (!field) {
			return problem(
				'A must-have answer has no answer field',
				'Enter the field of the answer (e.g. work_permit) in each Must-Have, or remove the empty one.',
			);
		}
		const condition = String(rule.condition ?? 'yes') as MustHaveCondition;
		if (!(MUST_HAVE_CONDITIONS as readonly string[]).includes(condition)) {
			return problem(
				`The must-have for "${field}" has the unknown condition "${condition}"`,
				`Choose one of: ${MUST_HAVE_CONDITIONS.join(', ')}.`,
			);
		}
		mustHaves.push({ field, condition, value: String(rule.value ?? '') });
	}
	const zone = String(options.timeZone ?? 'Europe/Berlin').trim() || 'Europe/Berlin';
	if (!IANAZone.isValidZone(zone)) {
		return problem(
			`"${zone}" is not a time zone`,
			'Set "Default Time Zone" to an IANA time zone name such as Europe/Berlin.',
		);
	}
	let window;
	if (ctx.getNodeParameter('useCallingWindow', 0, true) as boolean) {
		const checked = readWindowRules(ctx, 0, 'options');
		if (!checked.ok) return checked;
		// The zone of the options is the default for unknown candidates, not one for everyone.
		window = { ...checked.value, zone: undefined };
	}
	const items = ctx.getInputData();
	const report = aggregate(
		items.map((item) => item.json),
		{
			answers: String(ctx.getNodeParameter('answers', 0, ''))
				.split(',')
				.map((field) => field.trim())
				.filter(Boolean),
			mustHaves,
			defaultRegion:
				String(options.defaultRegion ?? 'DE')
					.trim()
					.toUpperCase() || 'DE',
			defaultZone: zone,
			window,
			transcriptLinkBase: options.transcriptLinkBase,
		},
	);
	// The rows' own language when the report speaks it (a French set gets a German report).
	const fromRows = report.language && isReportLanguage(report.language) ? report.language : 'de';
	const language = chosen === 'auto' ? fromRows : chosen;
	if (!isReportLanguage(language)) {
		return problem(
			`The report language "${chosen}" is not available`,
			'Choose German, English or "From the candidates".',
		);
	}
	const view = reportView(report, {
		language,
		title: String(ctx.getNodeParameter('title', 0, '')),
		costUnit: String(options.costUnit ?? 'credits'),
		now: new Date(),
		zone,
	});
	return { ok: true, value: { report, view } };
}
