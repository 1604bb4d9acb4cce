/**
 * The campaign report's numbers from the results rows, free of n8n and of any rendering: the
 * funnel, reach, the pick-up heat map, outcomes, one chart per answer, cost and the compliance
 * line. The page and the PDF draw exactly these numbers.
 */
import type { CountryCode } from 'libphonenumber-js';
import { IANAZone } from 'luxon';

import { checkCallingWindow, resolveTimeZone } from '../../AgentCall/helpers/callingWindow';
import { lazyModule } from '../../shared/n8n/lazyModule';
import { candidateWindow } from '../../AgentCall/helpers/windowRules';
import type { WindowRules } from '../../AgentCall/helpers/windowRules';
import { OUTCOMES, WAYS, readCandidate } from './candidates';
import type { CandidateRow, Outcome, Way } from './candidates';
import {
	calendarDate,
	displayText,
	firstGiven,
	instant,
	isBlank,
	looseNumber,
	yesNo,
} from './values';

// About 80 modules and the phone metadata, loaded when a report first reads a number.
const phoneNumbers = lazyModule(
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	() => require('libphonenumber-js') as typeof import('libphonenumber-js'),
);

export const MUST_HAVE_CONDITIONS = [
	'yes',
	'no',
	'equals',
	'atLeast',
	'atMost',
	'onOrBefore',
	'given',
] as const;
export type MustHaveCondition = (typeof MUST_HAVE_CONDITIONS)[number];

/** An answer the recruiter requires, e.g. work_permit is yes, earliest_start_date on or before 2027-03-31. */
export interface MustHave {
	field: string;
	condition: MustHaveCondition;
	value?: string;
}

export interface ReportSettings {
	/** The answers to chart and list; empty: every answer the rows bring. */
	answers: string[];
	mustHaves: MustHave[];
	/** Region for national numbers ("0171 …"), to tell the candidate's country and time zone. */
	defaultRegion: string;
	/** The time zone of candidates whose zone neither a column nor the number tells. */
	defaultZone: string;
	/** The calling window the calls are checked against; undefined: not checked. */
	window?: WindowRules;
	/** A link to each transcript: this base and the conversation id, unless the row has its own. */
	transcriptLinkBase?: string;
}

export interface Count {
	key: string;
	count: number;
}

export type AnswerChart =
	| { kind: 'yesno'; yes: number; no: number; unknown: number }
	| { kind: 'choices'; counts: Count[]; unknown: number }
	| {
			kind: 'numbers';
			bins: Array<{ from: number; to: number; count: number }>;
			unknown: number;
			median: number;
	  }
	| { kind: 'dates'; counts: Count[]; unknown: number }
	| { kind: 'text'; answered: number; unknown: number };

export interface AnswerSummary {
	field: string;
	chart: AnswerChart;
}

export interface ReportCandidate {
	row: CandidateRow;
	answers: Record<string, string>;
	/** Whether the must-have answers are met; undefined when no must-haves are chosen. */
	meetsMustHaves: boolean | undefined;
	link: string;
}

export const FUNNEL_STAGES = [
	'candidates',
	'dialled',
	'reached',
	'consented',
	'completed',
	'interested',
	'mustHaves',
] as const;
export type FunnelStage = (typeof FUNNEL_STAGES)[number];

export interface CampaignReport {
	candidates: ReportCandidate[];
	/** Rows without any field (skipped). */
	emptyRows: number;
	/** The rows' own language when one dominates ('de' / 'en'), else undefined. */
	language: string | undefined;
	funnel: Array<{ stage: FunnelStage; count: number }>;
	reach: {
		byAttempt: Count[];
		byWay: Array<{ key: Way; count: number }>;
		/** [weekday 1–7][hour 0–23]: answered calls in the candidates' local time. */
		heat: number[][];
		/** Reached candidates whose call time no column gives. */
		heatUnknown: number;
	};
	outcomes: Array<{ key: Outcome; count: number }>;
	callbacks: Array<{ name: string; time: string }>;
	answers: AnswerSummary[];
	cost: {
		total: number;
		withCost: number;
		unreadable: number;
		perReached: number | undefined;
		perCompleted: number | undefined;
		minutes: number;
	};
	compliance: {
		/** Calls checked against the window, and those outside it; undefined when not checked. */
		window: { checked: number; outside: number; unchecked: number } | undefined;
		dialledTwice: number;
		optOuts: number;
		optOutsOnList: number;
		optOutsUnknown: number;
		consentRate: number | undefined;
	};
	/** Data problems the reader should see: key and count ("noName", 3). */
	notes: Count[];
}

/** Answers that steer the funnel and outcomes, not answers to chart. */
const CONTROL_ANSWERS = new Set([
	'consent_given',
	'still_interested',
	'opt_out',
	'application_withdrawn',
	'callback_requested',
	'callback_time',
	'reached_other_person',
	'identity_confirmed',
	'address_confirmed',
	'address_correction',
]);
/** Columns the results examples write for answers (sheet and demo), charted when present. */
const ANSWER_COLUMNS = [
	'earliestStart',
	'availability',
	'salary',
	'salaryExpectation',
	'noticePeriod',
	'yearsOfExperience',
	'workPermit',
	'shiftWork',
	'drivingLicence',
];
const IMMEDIATELY = /^(sofort|ab sofort|immediately|asap|now|jetzt|jederzeit|any ?time)$/i;
const MAX_CHOICES = 8;

function answerValue(json: Record<string, unknown>, field: string): unknown {
	return firstGiven(json, [field]);
}

/** The answers to show: the chosen ones, or every answer any row brings, in first-seen order. */
function answerFields(rows: Array<Record<string, unknown>>, chosen: string[]): string[] {
	if (chosen.length) return chosen;
	const fields = new Set<string>();
	for (const json of rows) {
		const collected = json.dataCollection;
		if (collected && typeof collected === 'object' && !Array.isArray(collected)) {
			for (const key of Object.keys(collected)) if (!CONTROL_ANSWERS.has(key)) fields.add(key);
		}
		for (const column of ANSWER_COLUMNS) if (Object.hasOwn(json, column)) fields.add(column);
	}
	return [...fields];
}

/** Round bin edges for a histogram of about six bins. */
function histogram(values: number[]): Array<{ from: number; to: number; count: number }> {
	const min = Math.min(...values);
	const max = Math.max(...values);
	if (min === max) return [{ from: min, to: max, count: values.length }];
	const raw = (max - min) / 6;
	const magnitude = 10 ** Math.floor(Math.log10(raw));
	const step = [1, 2, 2.5, 5, 10].map((f) => f * magnitude).find((s) => s >= raw) ?? raw;
	const start = Math.floor(min / step) * step;
	const count = Math.max(1, Math.floor((max - start) / step) + 1);
	const bins = Array.from({ length: count }, (_, i) => ({
		from: start + i * step,
		to: start + (i + 1) * step,
		count: 0,
	}));
	for (const value of values) bins[Math.min(count - 1, Math.floor((value - start) / step))].count++;
	return bins;
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function topCounts(values: string[]): Count[] {
	const counts = new Map<string, number>();
	for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
	const sorted = [...counts].map(([key, count]) => ({ key, count }));
	sorted.sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
	if (sorted.length <= MAX_CHOICES) return sorted;
	const rest = sorted.slice(MAX_CHOICES - 1).reduce((sum, c) => sum + c.count, 0);
	return [...sorted.slice(0, MAX_CHOICES - 1), { key: '…', count: rest }];
}

/** One answer's chart from the values of the candidates who talked (blank ones are unknown). */
export function answerChart(raw: unknown[]): AnswerChart {
	const given = raw.filter((value) => !isBlank(value));
	const unknownBlank = raw.length - given.length;
	if (!given.length) return { kind: 'text', answered: 0, unknown: unknownBlank };
	const flags = given.map(yesNo);
	if (flags.every((flag) => flag !== undefined)) {
		const yes = flags.filter((flag) => flag).length;
		return { kind: 'yesno', yes, no: given.length - yes, unknown: unknownBlank };
	}
	const texts = given.map((value) => displayText(value, 80));
	const dates = given.map(calendarDate);
	const dated = dates.filter((date) => date !== undefined);
	if (dated.length >= given.length * 0.6) {
		const months = dated.map((date) => date.toFormat('yyyy-MM'));
		const immediately = texts.filter((t) => IMMEDIATELY.test(t)).length;
		const counts = topCounts(months).sort((a, b) => a.key.localeCompare(b.key));
		if (immediately) counts.unshift({ key: 'immediately', count: immediately });
		return {
			kind: 'dates',
			counts,
			unknown: unknownBlank + given.length - dated.length - immediately,
		};
	}
	const numbers = given.map(looseNumber).filter((n) => n !== undefined);
	if (numbers.length >= given.length * 0.6) {
		return {
			kind: 'numbers',
			bins: histogram(numbers),
			median: median(numbers),
			unknown: unknownBlank + given.length - numbers.length,
		};
	}
	const distinct = new Set(texts.map((t) => t.toLowerCase()));
	const averageLength = texts.reduce((sum, t) => sum + t.length, 0) / texts.length;
	if (distinct.size <= Math.max(MAX_CHOICES, given.length / 3) && averageLength <= 40) {
		return { kind: 'choices', counts: topCounts(texts), unknown: unknownBlank };
	}
	return { kind: 'text', answered: given.length, unknown: unknownBlank };
}

/** Whether one answer meets a must-have; undefined when the answer does not say. */
export function meetsMustHave(value: unknown, rule: MustHave): boolean | undefined {
	if (rule.condition === 'given') return !isBlank(value);
	if (isBlank(value)) return undefined;
	switch (rule.condition) {
		case 'yes':
		case 'no': {
			const flag = yesNo(value);
			return flag === undefined ? undefined : flag === (rule.condition === 'yes');
		}
		case 'equals':
			return (
				displayText(value).toLowerCase() ===
				String(rule.value ?? '')
					.trim()
					.toLowerCase()
			);
		case 'atLeast':
		case 'atMost': {
			const number = looseNumber(value);
			const limit = looseNumber(rule.value);
			if (number === undefined || limit === undefined) return undefined;
			return rule.condition === 'atLeast' ? number >= limit : number <= limit;
		}
		case 'onOrBefore': {
			if (IMMEDIATELY.test(displayText(value))) return true;
			const date = calendarDate(value);
			const limit = calendarDate(rule.value);
			if (!date || !limit) return undefined;
			return date.startOf('day') <= limit.startOf('day');
		}
	}
}

interface Located {
	zone: string;
	country: string | undefined;
	/** Digits of the number in E.164, the person's key for "dialled twice". */
	e164: string | undefined;
}

/** The candidate's time zone (column, else the number's country, else the default) and number. */
function locate(row: CandidateRow, settings: ReportSettings, now: Date): Located {
	let country: string | undefined;
	let e164: string | undefined;
	if (row.phone) {
		const parsed = phoneNumbers().parsePhoneNumberFromString(
			row.phone,
			settings.defaultRegion as CountryCode,
		);
		if (parsed?.isPossible()) {
			country = parsed.country;
			e164 = parsed.number;
		}
	}
	if (row.timezone && IANAZone.isValidZone(row.timezone))
		return { zone: row.timezone, country, e164 };
	if (!country) return { zone: settings.defaultZone, country, e164 };
	let zone = countryZones.get(country);
	if (zone === undefined) {
		const fromNumber = resolveTimeZone(undefined, country, now);
		// '' for a country of several zones: each report's default stands in for it.
		zone = fromNumber.ok ? fromNumber.value : '';
		countryZones.set(country, zone);
	}
	return { zone: zone || settings.defaultZone, country, e164 };
}

/** A country's one time zone, worked out once (luxon's zone arithmetic is slow in bulk). */
const countryZones = new Map<string, string>();

/** Only web links: a `javascript:` or `data:` link from a row would run in the reader's browser. */
function webLink(url: string): string {
	return /^https?:\/\/[^\s]+$/i.test(url) ? url : '';
}

function ratio(part: number, whole: number): number | undefined {
	return whole > 0 ? part / whole : undefined;
}

/** The report of a set of results rows. */
export function aggregate(
	rows: Array<Record<string, unknown>>,
	settings: ReportSettings,
	now: Date = new Date(),
): CampaignReport {
	const notes = new Map<string, number>();
	const note = (key: string, by = 1) => notes.set(key, (notes.get(key) ?? 0) + by);
	const used: Array<Record<string, unknown>> = [];
	let emptyRows = 0;
	for (const json of rows) {
		if (!json || typeof json !== 'object' || Object.keys(json).length === 0) emptyRows++;
		else used.push(json);
	}
	const fields = answerFields(used, settings.answers);
	const base = settings.transcriptLinkBase?.trim() ?? '';

	const candidates: ReportCandidate[] = used.map((json, index) => {
		const row = readCandidate(json, index);
		const answers: Record<string, string> = {};
		for (const field of fields) answers[field] = displayText(answerValue(json, field), 200);
		let meetsMustHaves: boolean | undefined;
		if (settings.mustHaves.length) {
			// Judged only for those the funnel's step before it holds: interested after a completed screen.
			meetsMustHaves =
				row.completed && row.interested === true
					? settings.mustHaves.every(
							(rule) => meetsMustHave(answerValue(json, rule.field), rule) === true,
						)
					: undefined;
		}
		const link = webLink(
			row.transcriptUrl ||
				(base && row.conversationId ? `${base}${encodeURIComponent(row.conversationId)}` : ''),
		);
		return { row, answers, meetsMustHaves, link };
	});
	const all = candidates.map((c) => c.row);

	// Funnel: each stage is a subset of the one before.
	const dialled = all.filter((r) => r.dialled);
	const reached = dialled.filter((r) => r.reached);
	const consented = reached.filter((r) => r.consent === true);
	const completed = consented.filter((r) => r.completed);
	const interested = completed.filter((r) => r.interested === true);
	const funnel: CampaignReport['funnel'] = [
		{ stage: 'candidates', count: all.length },
		{ stage: 'dialled', count: dialled.length },
		{ stage: 'reached', count: reached.length },
		{ stage: 'consented', count: consented.length },
		{ stage: 'completed', count: completed.length },
		{ stage: 'interested', count: interested.length },
	];
	if (settings.mustHaves.length) {
		funnel.push({
			stage: 'mustHaves',
			count: candidates.filter((c) => c.meetsMustHaves === true).length,
		});
	}

	// Reach: on which attempt, by which way, and when people pick up.
	const attemptCounts = new Map<string, number>();
	for (const row of reached) {
		const key =
			row.attempts === undefined || row.attempts < 1
				? 'unknown'
				: row.attempts >= 4
					? '4+'
					: String(row.attempts);
		attemptCounts.set(key, (attemptCounts.get(key) ?? 0) + 1);
	}
	const byAttempt = ['1', '2', '3', '4+', 'unknown']
		.filter((key) => attemptCounts.has(key) || key !== 'unknown')
		.map((key) => ({ key, count: attemptCounts.get(key) ?? 0 }));
	const byWay = WAYS.map((key) => ({
		key,
		count: reached.filter((row) => (row.way ?? 'unknown') === key).length,
	}));
	const heat = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
	let heatUnknown = 0;
	const located = new Map<CandidateRow, Located>();
	const place = (row: CandidateRow) => {
		let found = located.get(row);
		if (!found) located.set(row, (found = locate(row, settings, now)));
		return found;
	};
	for (const row of reached) {
		const time = instant(row.calledAt);
		if (!time) {
			heatUnknown++;
			continue;
		}
		const local = time.setZone(place(row).zone);
		heat[local.weekday - 1][local.hour]++;
	}

	const outcomes = OUTCOMES.map((key) => ({
		key,
		count: all.filter((row) => row.outcome === key).length,
	})).filter((entry) => entry.count > 0);
	const callbacks = all
		.filter((row) => row.outcome === 'callback')
		.map((row) => ({ name: row.name, time: row.callbackTime }));

	// Answers of the candidates who talked.
	const talked = candidates.filter((c) => c.row.reached);
	const answers = fields.map((field) => ({
		field,
		chart: answerChart(talked.map((c) => (c.answers[field] === '' ? undefined : c.answers[field]))),
	}));

	const withCost = all.filter((row) => row.cost !== undefined);
	const total = withCost.reduce((sum, row) => sum + (row.cost ?? 0), 0);
	const seconds = all.reduce((sum, row) => sum + (row.durationSecs ?? 0), 0);

	// Compliance: every known call time against the window; one person in two dialled rows.
	let window: CampaignReport['compliance']['window'];
	if (settings.window) {
		window = { checked: 0, outside: 0, unchecked: 0 };
		const windows = new Map<string, ReturnType<typeof candidateWindow>>();
		for (const row of dialled) {
			const time = instant(row.calledAt);
			const where = place(row);
			const country = where.country ?? settings.defaultRegion;
			const key = `${where.zone}|${country}`;
			let rules = windows.get(key);
			if (!rules) {
				rules = candidateWindow(settings.window, { timezoneField: where.zone, country }, now);
				windows.set(key, rules);
			}
			if (!time || !rules.ok) {
				window.unchecked++;
				continue;
			}
			window.checked++;
			if (!checkCallingWindow(rules.value, time.toJSDate()).open) window.outside++;
		}
	}
	const perPerson = new Map<string, number>();
	for (const row of dialled) {
		const person = place(row).e164 ?? (row.id ? `id:${row.id}` : undefined);
		if (!person) continue;
		const key = `${person}#${row.attempts ?? ''}`;
		perPerson.set(key, (perPerson.get(key) ?? 0) + 1);
	}
	const dialledTwice = [...perPerson.values()].filter((n) => n > 1).length;
	const optOuts = all.filter((row) => row.optOut || row.notDialledReason === 'do_not_call');

	for (const row of all) {
		if (!row.name) note('noName');
		if (row.outcome === 'unknown') note('unknownOutcome');
		if (row.costUnreadable) note('costUnreadable');
		if (row.reached && row.way === undefined) note('noWay');
	}

	const languages = new Map<string, number>();
	for (const row of all)
		if (row.language) languages.set(row.language, (languages.get(row.language) ?? 0) + 1);
	const top = [...languages].sort((a, b) => b[1] - a[1])[0];

	return {
		candidates,
		emptyRows,
		language: top && top[1] > all.length / 2 ? top[0] : undefined,
		funnel,
		reach: { byAttempt, byWay, heat, heatUnknown },
		outcomes,
		callbacks,
		answers,
		cost: {
			total,
			withCost: withCost.length,
			unreadable: all.filter((row) => row.costUnreadable).length,
			perReached: ratio(total, reached.length),
			perCompleted: ratio(total, completed.length),
			minutes: seconds / 60,
		},
		compliance: {
			window,
			dialledTwice,
			optOuts: optOuts.length,
			optOutsOnList: optOuts.filter((row) => row.doNotCall === true).length,
			optOutsUnknown: optOuts.filter((row) => row.doNotCall === undefined).length,
			consentRate: ratio(consented.length, reached.length),
		},
		notes: [...notes].filter(([, count]) => count > 0).map(([key, count]) => ({ key, count })),
	};
}
