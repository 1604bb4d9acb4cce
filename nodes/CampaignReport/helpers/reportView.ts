/**
 * The report as the reader sees it, in one language: every label, number and table cell the
 * page and the PDF draw, so that both forms show the same report.
 */
import { DateTime } from 'luxon';

import type { AnswerChart, CampaignReport } from './aggregate';
import { REPORT_TEXTS, fill, formatNumber, formatPercent } from './reportTexts';
import type { ReportLanguage, ReportTexts } from './reportTexts';

export interface Bar {
	label: string;
	count: number;
}

export interface BarChart {
	title: string;
	bars: Bar[];
	/** A line under the chart: the unknown count, a median. */
	note: string;
	/** Bars over a scale of values (a histogram, months): drawn as columns in order. */
	columns: boolean;
}

export interface Figure {
	label: string;
	value: string;
	/** true: as it should be; false: needs a look; undefined: no judgement. */
	ok?: boolean;
}

export interface TableView {
	headers: string[];
	/** Per row: the cells in header order. */
	rows: string[][];
	/** Per row: the transcript link, or ''. */
	links: string[];
	/** Per row: the outcome's label (the filter's choices). */
	outcomes: string[];
	/** Index of the summary column, and of the transcript column (-1: none). */
	summaryColumn: number;
	transcriptColumn: number;
}

export interface ReportView {
	language: ReportLanguage;
	texts: ReportTexts;
	title: string;
	subtitle: string;
	empty: boolean;
	funnel: Array<{ label: string; count: number; share: string }>;
	byAttempt: BarChart;
	byWay: BarChart;
	heat: { weekdays: string[]; cells: number[][]; max: number; note: string };
	outcomes: BarChart;
	callbacks: Array<{ name: string; time: string }>;
	answers: BarChart[];
	cost: Figure[];
	compliance: Figure[];
	notes: string[];
	table: TableView;
}

export interface ViewOptions {
	language: ReportLanguage;
	/** The report's heading; the language's "Campaign report" when empty. */
	title?: string;
	costUnit: string;
	now: Date;
	zone: string;
}

/** "salary_expectation" → "Salary expectation", "earliestStart" → "Earliest start". */
export function answerTitle(field: string): string {
	const words = field
		.replace(/([a-z])([A-Z])/g, '$1 $2')
		.replace(/[_.-]+/g, ' ')
		.trim()
		.toLowerCase();
	return words ? words[0].toUpperCase() + words.slice(1) : field;
}

function answerBars(
	chart: AnswerChart,
	texts: ReportTexts,
	language: ReportLanguage,
): Omit<BarChart, 'title'> {
	const unknown = (count: number) =>
		count ? `${texts.unknown}: ${formatNumber(language, count)}` : '';
	switch (chart.kind) {
		case 'yesno':
			return {
				bars: [
					{ label: texts.yes, count: chart.yes },
					{ label: texts.no, count: chart.no },
				],
				note: unknown(chart.unknown),
				columns: false,
			};
		case 'choices':
			return {
				bars: chart.counts.map((c) => ({ label: c.key, count: c.count })),
				note: unknown(chart.unknown),
				columns: false,
			};
		case 'dates':
			return {
				bars: chart.counts.map((c) => ({
					label:
						c.key === 'immediately'
							? texts.immediately
							: DateTime.fromFormat(c.key, 'yyyy-MM').setLocale(language).toFormat('LLL yyyy'),
					count: c.count,
				})),
				note: unknown(chart.unknown),
				columns: true,
			};
		case 'numbers':
			return {
				bars: chart.bins.map((bin) => ({
					label:
						bin.from === bin.to
							? formatNumber(language, bin.from, bin.from % 1 ? 1 : 0)
							: `${formatNumber(language, bin.from, bin.from % 1 ? 1 : 0)}–`,
					count: bin.count,
				})),
				note: [
					`${texts.median}: ${formatNumber(language, chart.median, chart.median % 1 ? 1 : 0)}`,
					unknown(chart.unknown),
				]
					.filter(Boolean)
					.join(' · '),
				columns: true,
			};
		case 'text':
			return {
				bars: [],
				note: [
					fill(texts.freeText, { count: formatNumber(language, chart.answered) }),
					unknown(chart.unknown),
				]
					.filter(Boolean)
					.join(' · '),
				columns: false,
			};
	}
}

function yesNoCell(value: boolean | undefined, texts: ReportTexts): string {
	return value === true ? texts.yes : value === false ? texts.no : '–';
}

export function reportView(report: CampaignReport, options: ViewOptions): ReportView {
	const { language } = options;
	const texts = REPORT_TEXTS[language];
	const n = (value: number, digits = 0) => formatNumber(language, value, digits);
	const total = report.candidates.length;
	const withUnit = (value: number | undefined) =>
		value === undefined
			? texts.unknown
			: `${n(value, value < 100 && value % 1 ? 2 : 0)} ${options.costUnit}`.trim();

	const maxHeat = Math.max(0, ...report.reach.heat.flat());
	const mustHaves = report.funnel.some((f) => f.stage === 'mustHaves');
	const answerFields = report.answers.map((a) => a.field);

	const headers = [
		texts.columns.name,
		texts.columns.outcome,
		texts.columns.way,
		texts.columns.attempts,
		texts.columns.consent,
		texts.columns.interested,
		...(mustHaves ? [texts.columns.mustHaves] : []),
		...answerFields.map(answerTitle),
		texts.columns.summary,
		texts.columns.transcript,
	];
	const rows = report.candidates.map((c) => {
		const outcome = texts.outcomes[c.row.outcome];
		const detail =
			c.row.outcome === 'callback' && c.row.callbackTime
				? ` (${c.row.callbackTime})`
				: c.row.outcome === 'not_dialled' && c.row.notDialledReason
					? ` (${c.row.notDialledReason})`
					: '';
		return [
			c.row.name || c.row.id || `#${c.row.index + 1}`,
			outcome + detail,
			c.row.reached ? texts.ways[c.row.way ?? 'unknown'] : '–',
			c.row.attempts === undefined ? '–' : String(c.row.attempts),
			yesNoCell(c.row.consent, texts),
			yesNoCell(c.row.interested, texts),
			...(mustHaves ? [yesNoCell(c.meetsMustHaves, texts)] : []),
			...answerFields.map((field) => c.answers[field] || '–'),
			c.row.summary,
			c.link ? texts.open : '',
		];
	});

	const compliance = report.compliance;
	const window = compliance.window;
	const notes = report.notes.map((entry) =>
		fill(texts.notes[entry.key] ?? entry.key, { count: n(entry.count) }),
	);
	if (report.emptyRows) notes.push(fill(texts.notes.emptyRows, { count: n(report.emptyRows) }));
	if (report.cost.unreadable)
		notes.push(fill(texts.costMissing, { count: n(report.cost.unreadable) }));

	return {
		language,
		texts,
		title: options.title?.trim() || texts.title,
		subtitle: [
			fill(texts.generated, {
				date: DateTime.fromJSDate(options.now, { zone: options.zone })
					.setLocale(language)
					.toLocaleString(DateTime.DATETIME_MED),
			}),
			fill(texts.candidatesCount, { count: n(total) }),
		].join(' · '),
		empty: total === 0,
		funnel: report.funnel.map((f) => ({
			label: texts.funnel[f.stage],
			count: f.count,
			share: total ? formatPercent(language, f.count / total) : '–',
		})),
		byAttempt: {
			title: texts.byAttempt,
			bars: report.reach.byAttempt.map((a) => ({
				label: a.key === 'unknown' ? texts.unknown : `${a.key}. ${texts.attempt}`,
				count: a.count,
			})),
			note: '',
			columns: false,
		},
		byWay: {
			title: texts.byWay,
			bars: report.reach.byWay.map((w) => ({ label: texts.ways[w.key], count: w.count })),
			note: '',
			columns: false,
		},
		heat: {
			weekdays: texts.weekdays,
			cells: report.reach.heat,
			max: maxHeat,
			note: report.reach.heatUnknown
				? fill(texts.heatUnknown, { count: n(report.reach.heatUnknown) })
				: '',
		},
		outcomes: {
			title: texts.outcomesTitle,
			bars: report.outcomes.map((o) => ({ label: texts.outcomes[o.key], count: o.count })),
			note: '',
			columns: false,
		},
		callbacks: report.callbacks.map((c) => ({ name: c.name || '–', time: c.time || texts.noTime })),
		answers: report.answers.map((a) => ({
			title: answerTitle(a.field),
			...answerBars(a.chart, texts, language),
		})),
		cost: [
			{ label: texts.costTotal, value: withUnit(report.cost.total) },
			{ label: texts.costPerReached, value: withUnit(report.cost.perReached) },
			{ label: texts.costPerCompleted, value: withUnit(report.cost.perCompleted) },
			{ label: texts.minutes, value: n(report.cost.minutes, 1) },
		],
		compliance: [
			{
				label: texts.outsideWindow,
				value: window
					? n(window.outside) +
						(window.unchecked
							? ` (${fill(texts.windowUnchecked, { count: n(window.unchecked) })})`
							: '')
					: texts.windowNotChecked,
				ok: window ? window.outside === 0 : undefined,
			},
			{
				label: texts.dialledTwice,
				value: n(compliance.dialledTwice),
				ok: compliance.dialledTwice === 0,
			},
			{
				label:
					texts.optOuts +
					(compliance.optOuts
						? ` (${texts.optOutsOnList}: ${n(compliance.optOutsOnList)}${compliance.optOutsUnknown ? `, ${texts.unknown}: ${n(compliance.optOutsUnknown)}` : ''})`
						: ''),
				value: n(compliance.optOuts),
				ok:
					compliance.optOutsOnList + compliance.optOutsUnknown === compliance.optOuts
						? compliance.optOutsUnknown
							? undefined
							: true
						: false,
			},
			{ label: texts.consentRate, value: formatPercent(language, compliance.consentRate) },
		],
		notes,
		table: {
			headers,
			rows,
			links: report.candidates.map((c) => c.link),
			outcomes: report.candidates.map((c) => texts.outcomes[c.row.outcome]),
			summaryColumn: headers.length - 2,
			transcriptColumn: headers.length - 1,
		},
	};
}
