/** Checks of locale and time-zone names, as Intl and Luxon take them. */
import { IANAZone } from 'luxon';

/** Whether Intl (and so Luxon) takes a locale; "xx-💥-@@" would fail every date with "Incorrect locale information". */
export function isLocale(locale: string): boolean {
	try {
		return Intl.getCanonicalLocales(locale).length === 1;
	} catch {
		return false;
	}
}

const zones = new Map<string, boolean>();

/** Whether a name is an IANA time zone (cached: Luxon's check builds an Intl formatter each time). */
export function isZone(name: string): boolean {
	let valid = zones.get(name);
	if (valid === undefined) {
		valid = IANAZone.isValidZone(name);
		if (zones.size >= 1000) zones.clear();
		zones.set(name, valid);
	}
	return valid;
}
