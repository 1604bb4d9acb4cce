/**
 * Calling Days as a no-code user may give them through an expression or a sheet: the editor's
 * list of numbers (1 = Monday … 7 = Sunday), a comma list ("1,2,3"), day names in English or
 * German, full or short ("Mon, Tue", "Montag", "Mo"), or ranges ("1-5", "Mon-Fri"). Anything
 * else is a setup error that names what was not a day, never a window that silently never opens.
 */
import { problem } from '../../shared/n8n/problems';
import type { Checked } from '../../shared/n8n/problems';
import { quoted } from '../../shared/text/quoted';
import type { Weekday } from './callingWindow';

const NAMES: Array<[Weekday, string[]]> = [
	[1, ['monday', 'mon', 'mo', 'montag']],
	[2, ['tuesday', 'tue', 'tues', 'tu', 'di', 'dienstag']],
	[3, ['wednesday', 'wed', 'we', 'mi', 'mittwoch']],
	[4, ['thursday', 'thu', 'thur', 'thurs', 'th', 'do', 'donnerstag']],
	[5, ['friday', 'fri', 'fr', 'freitag']],
	[6, ['saturday', 'sat', 'sa', 'samstag', 'sonnabend']],
	[7, ['sunday', 'sun', 'su', 'so', 'sonntag']],
];
const BY_NAME = new Map(NAMES.flatMap(([day, names]) => names.map((name) => [name, day] as const)));

const HINT =
	'Choose the days in the list, or give 1 (Monday) to 7 (Sunday) or day names, e.g. [1, 2, 3, 4, 5], "1-5", "Mon, Wed, Fri" or "Montag-Freitag".';

function oneDay(entry: unknown): Weekday | undefined {
	if (typeof entry === 'number')
		return Number.isInteger(entry) && entry >= 1 && entry <= 7 ? (entry as Weekday) : undefined;
	if (typeof entry !== 'string') return undefined;
	const word = entry.trim().toLowerCase().replace(/\.$/, '');
	if (/^\d+$/.test(word)) return oneDay(Number(word));
	return BY_NAME.get(word);
}

/** The weekdays a Calling Days value stands for, each once, Monday first. */
export function parseCallingDays(value: unknown): Checked<Weekday[]> {
	// "Mon - Fri, Sun" → ["Mon-Fri", "Sun"]: a range stays one entry.
	const listed = (text: string) => text.replace(/\s*[-–]\s*/g, '-').split(/[,;\s]+/);
	const entries = Array.isArray(value)
		? value
		: typeof value === 'string' || typeof value === 'number'
			? listed(String(value))
			: undefined;
	if (!entries)
		return problem(`"Calling Days" must be a list of weekdays, not ${quoted(value)}`, HINT);
	const days = new Set<Weekday>();
	const wrong: unknown[] = [];
	for (const entry of entries) {
		if (typeof entry === 'string' && entry.trim() === '') continue;
		const range =
			typeof entry === 'string' ? /^([^-]+)-([^-]+)$/.exec(listed(entry).join('')) : null;
		if (range) {
			const from = oneDay(range[1]);
			const to = oneDay(range[2]);
			if (from === undefined || to === undefined || to < from) wrong.push(entry);
			else for (let day = from; day <= to; day++) days.add(day as Weekday);
			continue;
		}
		const day = oneDay(entry);
		if (day === undefined) wrong.push(entry);
		else days.add(day);
	}
	if (wrong.length) {
		const shown = wrong.slice(0, 5).map((entry) => quoted(entry, 20));
		return problem(
			`"Calling Days" has ${shown.join(', ')}${wrong.length > 5 ? ', …' : ''}, which ${wrong.length > 1 ? 'are not weekdays' : 'is not a weekday'}`,
			HINT,
		);
	}
	return { ok: true, value: [...days].sort((a, b) => a - b) };
}
