/** The bundled texts (announcement, follow-up) in German and English, and what a text costs in segments. */

import { lazyModule } from '../../shared/n8n/lazyModule';
import { problem } from '../../shared/n8n/problems';
import type { Checked } from '../../shared/n8n/problems';

// Loaded when a text is first measured: every other run of the node does without it.
const smsSegments = lazyModule(
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	() => require('sms-segments-calculator') as typeof import('sms-segments-calculator'),
);

export type TextKind = 'announcement' | 'followUp' | 'custom';
export type TextLanguage = 'de' | 'en';

/** The values a bundled text prints; each kind names the ones it needs. */
export interface TextValues {
	company?: string;
	/** When the call comes, as it reads in a sentence: "heute zwischen 10 und 11 Uhr". */
	callTime?: string;
	/** The browser interview's page (Fetch WebRTC Token's page). */
	interviewLink?: string;
	/** The number a candidate calls back (the agent's number). */
	callbackNumber?: string;
	/** A custom text, sent as it is. */
	text?: string;
}

type Slot = Exclude<keyof TextValues, 'text'>;

/**
 * GSM-7 only (no typographic quotes, dashes or ellipses, which switch a text to UCS-2 and 70
 * characters a segment); German umlauts and ß are GSM-7. One segment (160 characters) with a
 * company name of about 25 characters and, in the follow-up, a link of about 40; longer values
 * make two.
 */
const TEXTS: Record<TextLanguage, Record<Exclude<TextKind, 'custom'>, string>> = {
	de: {
		announcement:
			'{company}: Unsere KI-Assistentin ruft Sie {callTime} wegen Ihrer Bewerbung an. Keine Anrufe/SMS mehr? STOPP',
		followUp:
			'{company}: Wir haben Sie nicht erreicht. Gespräch im Browser: {interviewLink} Rückruf: {callbackNumber} Abmelden: STOPP',
	},
	en: {
		announcement:
			'{company}: Our AI assistant will call you {callTime} about your application. No more calls/texts? Reply STOP',
		followUp:
			'{company}: We missed you. Talk to us in your browser: {interviewLink} Call back: {callbackNumber} Opt out: STOP',
	},
};

const SLOT_LABELS: Record<Slot, string> = {
	company: 'Company',
	callTime: 'Call Time',
	interviewLink: 'Interview Link',
	callbackNumber: 'Callback Number',
};

/** The bundled text of a kind and language, with its {slots} as they are (for docs and tests). */
export function bundledText(kind: Exclude<TextKind, 'custom'>, language: TextLanguage): string {
	return TEXTS[language][kind];
}

/** One line of text: a value with a line break or tabs would break the text's layout. */
const oneLine = (value: string) => value.replace(/\s+/g, ' ').trim();

/** The text to send: a bundled one with every slot filled, or the custom text; a missing value is a problem. */
export function composeText(
	kind: TextKind,
	language: TextLanguage,
	values: TextValues,
): Checked<string> {
	if (kind === 'custom') {
		const text = values.text?.trim() ?? '';
		if (!text) return problem('The text is empty', 'Type the text to send under Text.');
		return { ok: true, value: text };
	}
	const template = TEXTS[language][kind];
	const slots = [...template.matchAll(/\{(\w+)\}/g)].map((match) => match[1] as Slot);
	const missing = slots.filter((slot) => !values[slot]?.trim());
	if (missing.length) {
		const names = missing.map((slot) => SLOT_LABELS[slot]);
		return problem(
			`The ${kind === 'announcement' ? 'announcement' : 'follow-up'} needs ${names.join(' and ')}`,
			`Fill in ${names.join(' and ')} (or map them from the item), so that the text reads complete. Nothing was sent.`,
		);
	}
	return {
		ok: true,
		value: template.replace(/\{(\w+)\}/g, (_, slot: Slot) => oneLine(values[slot]!)),
	};
}

/** How the text travels: GSM-7 (160 characters a segment) or UCS-2 (70), and how many segments. */
export function textSegments(text: string): { encoding: string; segments: number } {
	const message = new (smsSegments().SegmentedMessage)(text);
	return { encoding: message.encodingName, segments: message.segmentsCount };
}
