/** Whether Intl (and so Luxon) takes a locale; "xx-💥-@@" would fail every date with "Incorrect locale information". */
export function isLocale(locale: string): boolean {
	try {
		return Intl.getCanonicalLocales(locale).length === 1;
	} catch {
		return false;
	}
}
