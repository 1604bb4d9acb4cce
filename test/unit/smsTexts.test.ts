/** The bundled texts (GSM-7, one segment with realistic values), their slots, and the opt-out words. */
import { bundledText, composeText, textSegments } from '../../nodes/AgentCall/helpers/smsTexts';
import { optOutKeyword } from '../../nodes/TwilioSmsTrigger/helpers/optOut';

const VALUES = {
	company: 'Klinikum Nord Hamburg GmbH',
	callTime: 'heute zwischen 10 und 11 Uhr',
	interviewLink: 'https://n8n.example.de/webhook/interview',
	callbackNumber: '+49 30 12345670',
};

describe('bundled texts', () => {
	it.each([
		['announcement', 'de'],
		['announcement', 'en'],
		['followUp', 'de'],
		['followUp', 'en'],
	] as const)(
		'%s (%s) is GSM-7 and fits one segment with a 26-character company name',
		(kind, language) => {
			const text = composeText(kind, language, VALUES);
			if (!text.ok) throw new Error(text.message);
			expect(text.value).not.toMatch(/\{\w+\}/);
			expect(textSegments(text.value)).toEqual({ encoding: 'GSM-7', segments: 1 });
			expect(text.value.length).toBeLessThanOrEqual(160);
			expect(text.value).toContain(VALUES.company);
		},
	);

	it('the follow-up carries the link and the callback number; both texts tell how to opt out', () => {
		expect(bundledText('followUp', 'de')).toContain('{interviewLink}');
		expect(bundledText('followUp', 'de')).toContain('{callbackNumber}');
		expect(bundledText('announcement', 'de')).toContain('STOPP');
		expect(bundledText('announcement', 'en')).toContain('STOP');
	});

	it('names every missing value, and keeps values on one line', () => {
		expect(composeText('followUp', 'de', { company: 'X' })).toEqual({
			ok: false,
			message: 'The follow-up needs Interview Link and Callback Number',
			hint: expect.stringContaining('Nothing was sent'),
		});
		const text = composeText('announcement', 'en', { ...VALUES, company: 'A\nB\tC' });
		expect(text.ok && text.value.startsWith('A B C:')).toBe(true);
	});

	it('a typographic quote makes a text UCS-2, 70 characters a segment', () => {
		expect(textSegments('„Hallo“')).toEqual({ encoding: 'UCS-2', segments: 1 });
		expect(textSegments('„'.padEnd(71, 'a')).segments).toBe(2);
	});
});

describe('opt-out words', () => {
	it.each(['STOP', 'stop', ' Stopp! ', 'STOPP.', 'unsubscribe', 'Quit', 'END'])(
		'%s opts out',
		(body) => {
			expect(optOutKeyword(body)).toBeDefined();
		},
	);

	it.each(['Stop calling me at 9', 'Bitte morgen anrufen', 'STOPPEN', 'START', ''])(
		'%s is a message for the workflow',
		(body) => {
			expect(optOutKeyword(body)).toBeUndefined();
		},
	);
});
