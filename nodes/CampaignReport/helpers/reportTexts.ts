/** The campaign report's wording in German and English, and how it writes numbers and dates. */
import type { Outcome, Way } from './candidates';
import type { FunnelStage } from './aggregate';

export const REPORT_LANGUAGES = ['de', 'en'] as const;
export type ReportLanguage = (typeof REPORT_LANGUAGES)[number];

export interface ReportTexts {
	title: string;
	generated: string;
	candidatesCount: string;
	empty: string;
	funnelTitle: string;
	funnel: Record<FunnelStage, string>;
	reachTitle: string;
	byAttempt: string;
	attempt: string;
	byWay: string;
	ways: Record<Way, string>;
	heatTitle: string;
	heatHint: string;
	heatUnknown: string;
	weekdays: string[];
	outcomesTitle: string;
	outcomes: Record<Outcome, string>;
	callbacksTitle: string;
	noTime: string;
	answersTitle: string;
	yes: string;
	no: string;
	unknown: string;
	immediately: string;
	median: string;
	answered: string;
	freeText: string;
	costTitle: string;
	costTotal: string;
	costPerReached: string;
	costPerCompleted: string;
	minutes: string;
	costMissing: string;
	complianceTitle: string;
	outsideWindow: string;
	windowUnchecked: string;
	windowNotChecked: string;
	dialledTwice: string;
	optOuts: string;
	optOutsOnList: string;
	consentRate: string;
	gdprNote: string;
	tableTitle: string;
	filter: string;
	filterOutcome: string;
	all: string;
	shown: string;
	columns: {
		name: string;
		outcome: string;
		way: string;
		attempts: string;
		consent: string;
		interested: string;
		mustHaves: string;
		summary: string;
		transcript: string;
	};
	open: string;
	page: string;
	notesTitle: string;
	notes: Record<string, string>;
	sortHint: string;
}

const de: ReportTexts = {
	title: 'Kampagnenbericht',
	generated: 'Erstellt am {date}',
	candidatesCount: '{count} Kandidat:innen',
	empty: 'In diesem Datensatz sind keine Kandidat:innen.',
	funnelTitle: 'Trichter',
	funnel: {
		candidates: 'Kandidat:innen',
		dialled: 'angerufen',
		reached: 'erreicht',
		consented: 'eingewilligt',
		completed: 'Vorgespräch abgeschlossen',
		interested: 'interessiert',
		mustHaves: 'erfüllt die Muss-Kriterien',
	},
	reachTitle: 'Erreichbarkeit',
	byAttempt: 'Erreicht beim Versuch',
	attempt: 'Versuch',
	byWay: 'Erreicht über',
	ways: {
		first_call: 'ersten Anruf',
		retry: 'Wiederholung',
		callback: 'Rückruf',
		browser: 'Browser',
		unknown: 'unbekannt',
	},
	heatTitle: 'Wann Menschen abheben',
	heatHint: 'Angenommene Anrufe nach Wochentag und Stunde, in der Ortszeit der Kandidat:innen',
	heatUnknown: '{count} ohne Anrufzeit',
	weekdays: ['Mo', 'Di', 'Mi', 'Do', 'Fr', 'Sa', 'So'],
	outcomesTitle: 'Ergebnisse',
	outcomes: {
		completed: 'Vorgespräch abgeschlossen',
		incomplete: 'erreicht, nicht abgeschlossen',
		callback: 'Rückruf gewünscht',
		consent_declined: 'Einwilligung abgelehnt',
		opted_out: 'möchte keine Anrufe',
		wrong_person: 'falsche Person',
		voicemail: 'Mailbox',
		no_answer: 'nicht abgenommen',
		busy: 'besetzt',
		failed: 'fehlgeschlagen',
		pending: 'Ergebnis ausstehend',
		not_dialled: 'nicht angerufen',
		unknown: 'unbekannt',
	},
	callbacksTitle: 'Vereinbarte Rückrufe',
	noTime: 'ohne Zeit',
	answersTitle: 'Antworten',
	yes: 'ja',
	no: 'nein',
	unknown: 'unbekannt',
	immediately: 'sofort',
	median: 'Median',
	answered: 'beantwortet',
	freeText: 'Freitext: {count} Antworten, siehe Tabelle',
	costTitle: 'Kosten',
	costTotal: 'Gesamt',
	costPerReached: 'je erreichter Person',
	costPerCompleted: 'je abgeschlossenem Vorgespräch',
	minutes: 'Gesprächsminuten',
	costMissing: '{count} Zeilen mit unlesbaren Kosten',
	complianceTitle: 'Compliance',
	outsideWindow: 'Anrufe außerhalb des Anruffensters',
	windowUnchecked: '{count} ohne Anrufzeit nicht geprüft',
	windowNotChecked: 'nicht geprüft',
	dialledTwice: 'Personen doppelt angerufen',
	optOuts: 'Abmeldungen',
	optOutsOnList: 'davon auf der Sperrliste',
	consentRate: 'Einwilligungsquote',
	gdprNote:
		'Dieser Bericht unterstützt eine menschliche Entscheidung und trifft keine (Art. 22 DSGVO): Er ordnet niemanden in eine Rangfolge, die entscheidet, und lehnt niemanden automatisch ab. Jede Auswahl trifft ein Mensch, der die Gespräche kennt.',
	tableTitle: 'Kandidat:innen',
	filter: 'Filtern …',
	filterOutcome: 'Ergebnis',
	all: 'alle',
	shown: '{shown} von {total} angezeigt',
	columns: {
		name: 'Name',
		outcome: 'Ergebnis',
		way: 'Erreicht über',
		attempts: 'Versuche',
		consent: 'Einwilligung',
		interested: 'Interesse',
		mustHaves: 'Muss-Kriterien',
		summary: 'Zusammenfassung',
		transcript: 'Transkript',
	},
	open: 'öffnen',
	page: 'Seite {page} von {pages}',
	notesTitle: 'Hinweise zu den Daten',
	notes: {
		noName: '{count} Zeilen ohne Namen',
		unknownOutcome:
			'{count} Zeilen ohne erkennbares Ergebnis (Spalte status oder callResult fehlt)',
		costUnreadable: '{count} Kostenwerte sind keine Zahl',
		noWay: '{count} erreichte Personen ohne Angabe, wie sie erreicht wurden (Spalte reachedVia)',
		emptyRows: '{count} leere Zeilen übersprungen',
	},
	sortHint: 'Zum Sortieren auf eine Spaltenüberschrift klicken',
};

const en: ReportTexts = {
	title: 'Campaign report',
	generated: 'Generated on {date}',
	candidatesCount: '{count} candidates',
	empty: 'There are no candidates in this set.',
	funnelTitle: 'Funnel',
	funnel: {
		candidates: 'candidates',
		dialled: 'dialled',
		reached: 'reached',
		consented: 'consented',
		completed: 'screen completed',
		interested: 'interested',
		mustHaves: 'meet the must-haves',
	},
	reachTitle: 'Reach',
	byAttempt: 'Reached on attempt',
	attempt: 'attempt',
	byWay: 'Reached by',
	ways: {
		first_call: 'first call',
		retry: 'retry',
		callback: 'call-back',
		browser: 'browser',
		unknown: 'unknown',
	},
	heatTitle: 'When people pick up',
	heatHint: "Answered calls by weekday and hour, in the candidates' local time",
	heatUnknown: '{count} without a call time',
	weekdays: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
	outcomesTitle: 'Outcomes',
	outcomes: {
		completed: 'screen completed',
		incomplete: 'reached, not completed',
		callback: 'call-back requested',
		consent_declined: 'declined consent',
		opted_out: 'opted out',
		wrong_person: 'wrong person',
		voicemail: 'voicemail',
		no_answer: 'no answer',
		busy: 'busy',
		failed: 'failed',
		pending: 'result pending',
		not_dialled: 'not dialled',
		unknown: 'unknown',
	},
	callbacksTitle: 'Agreed call-backs',
	noTime: 'no time',
	answersTitle: 'Answers',
	yes: 'yes',
	no: 'no',
	unknown: 'unknown',
	immediately: 'immediately',
	median: 'median',
	answered: 'answered',
	freeText: 'Free text: {count} answers, see the table',
	costTitle: 'Cost',
	costTotal: 'Total',
	costPerReached: 'per reached candidate',
	costPerCompleted: 'per completed screen',
	minutes: 'call minutes',
	costMissing: '{count} rows with an unreadable cost',
	complianceTitle: 'Compliance',
	outsideWindow: 'calls outside the calling window',
	windowUnchecked: '{count} without a call time not checked',
	windowNotChecked: 'not checked',
	dialledTwice: 'people dialled twice',
	optOuts: 'opt-outs',
	optOutsOnList: 'of them on the do-not-call list',
	consentRate: 'consent rate',
	gdprNote:
		'This report supports a human decision and makes none (GDPR Art. 22): it ranks nobody in an order that decides and rejects nobody automatically. Every selection is made by a person who knows the conversations.',
	tableTitle: 'Candidates',
	filter: 'Filter …',
	filterOutcome: 'Outcome',
	all: 'all',
	shown: '{shown} of {total} shown',
	columns: {
		name: 'Name',
		outcome: 'Outcome',
		way: 'Reached by',
		attempts: 'Attempts',
		consent: 'Consent',
		interested: 'Interested',
		mustHaves: 'Must-haves',
		summary: 'Summary',
		transcript: 'Transcript',
	},
	open: 'open',
	page: 'Page {page} of {pages}',
	notesTitle: 'About the data',
	notes: {
		noName: '{count} rows without a name',
		unknownOutcome: '{count} rows without a recognisable outcome (no status or callResult column)',
		costUnreadable: '{count} cost values are not a number',
		noWay: '{count} reached people without a way of reach (column reachedVia)',
		emptyRows: '{count} empty rows skipped',
	},
	sortHint: 'Click a column heading to sort',
};

export const REPORT_TEXTS: Record<ReportLanguage, ReportTexts> = { de, en };

export function isReportLanguage(value: string): value is ReportLanguage {
	return (REPORT_LANGUAGES as readonly string[]).includes(value);
}

/** "{count} rows" with its values filled in. */
export function fill(template: string, values: Record<string, string | number>): string {
	return template.replace(/\{(\w+)\}/g, (all, key: string) =>
		Object.hasOwn(values, key) ? String(values[key]) : all,
	);
}

/** Numbers as the language writes them: 1.234,5 in German, 1,234.5 in English. */
export function formatNumber(language: ReportLanguage, value: number, digits = 0): string {
	return value.toLocaleString(language === 'de' ? 'de-DE' : 'en-GB', {
		minimumFractionDigits: digits,
		maximumFractionDigits: digits,
	});
}

export function formatPercent(language: ReportLanguage, value: number | undefined): string {
	if (value === undefined) return REPORT_TEXTS[language].unknown;
	return `${formatNumber(language, value * 100, 0)} %`;
}
