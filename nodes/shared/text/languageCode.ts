/** A language code as ElevenLabs takes it for an agent: ISO 639-1 (or -3), optionally a region: de, en, pt-br. */
const LANGUAGE_CODE = /^[a-z]{2,3}(-[A-Za-z]{2,4})?$/;

export function isLanguageCode(code: string): boolean {
	return LANGUAGE_CODE.test(code);
}

export const LANGUAGE_CODE_HINT =
	'Use an ISO 639-1 code as ElevenLabs takes it, e.g. de, en, fr or pt-br';
