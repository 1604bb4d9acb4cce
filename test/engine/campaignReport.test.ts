/**
 * Campaign Report in n8n's real execution engine: the report of the demo's results as a page and
 * as a PDF, in German and English; the PDF's text read back with pdftotext (poppler-utils).
 */
import type { IBinaryData, INodeParameters } from 'n8n-workflow';

import { outputFields as pageFields } from '../../nodes/CampaignReport/actions/report/page.operation';
import { outputFields as pdfFields } from '../../nodes/CampaignReport/actions/report/pdf.operation';
import { pdfText } from '../../scripts/pdfTools';
import { DEMO_RESULTS } from '../fixtures/demoResults';
import { declarationGaps, NO_GAPS } from '../outputFields';
import { runError, runNode } from './harness';

const NODE = 'Campaign Report';

async function runReport(
	parameters: INodeParameters,
	items: object[] = DEMO_RESULTS,
	onError?: 'continueRegularOutput',
) {
	return await runNode(
		{
			type: 'campaignReport',
			name: NODE,
			parameters: { resource: 'report', ...parameters },
			onError,
		},
		{ items: items as never },
	);
}

const DEMO_FUNNEL = {
	candidates: 7,
	dialled: 7,
	reached: 4,
	consented: 1,
	completed: 1,
	interested: 1,
	mustHaves: 1,
};
const MUST_HAVES = {
	rule: [{ field: 'availability', condition: 'onOrBefore', value: '31.03.2027' }],
};

describe('Campaign Report: the demo results as a page', () => {
	it.each([
		['de', 'Kampagnenbericht', 'Vorgespräch abgeschlossen', 'Rückruf gewünscht'],
		['en', 'Campaign report', 'screen completed', 'call-back requested'],
	])('renders one self-contained page in %s', async (language, title, completed, callback) => {
		const result = await runReport({ operation: 'page', language, mustHaves: MUST_HAVES });
		expect(result.status).toBe('success');
		const [item] = result.output(NODE);
		expect(result.output(NODE)).toHaveLength(1);
		expect(item.pairedItem).toEqual(DEMO_RESULTS.map((_, i) => ({ item: i })));
		expect(item.json).toMatchObject({
			language,
			funnel: DEMO_FUNNEL,
			outcomes: {
				completed: 1,
				callback: 1,
				consent_declined: 1,
				opted_out: 1,
				voicemail: 1,
				busy: 1,
				no_answer: 1,
			},
			cost: { total: 5070, withCost: 5 },
		});
		expect(declarationGaps(item.json, pageFields)).toEqual(NO_GAPS);
		const html = item.json.html as string;
		expect(html).toContain(`<html lang="${language}">`);
		expect(html).toContain(`<title>${title}</title>`);
		for (const text of [completed, callback, 'Mehmet Yılmaz', 'morgen ab 17 Uhr', 'Art. 22'])
			expect(html).toContain(text);
		// Nothing is loaded from anywhere: no src, no stylesheet link, no URL in CSS.
		expect(html).not.toMatch(/\ssrc=|<link\b|url\(|@import/i);
		expect(html.match(/<script>/g)).toHaveLength(1);
	});

	it('takes the language from the rows, and German when they do not say', async () => {
		const english = DEMO_RESULTS.map((row) => ({ ...row, language: 'en' }));
		const fromRows = await runReport({ operation: 'page' }, english);
		expect(fromRows.json(NODE)[0].language).toBe('en');
		const mixed = DEMO_RESULTS.map((row, i) => ({ ...row, language: i % 2 ? 'en' : 'fr' }));
		expect((await runReport({ operation: 'page' }, mixed)).json(NODE)[0].language).toBe('de');
	});

	it('escapes every value: a name with markup stays text', async () => {
		const hostile = [
			{
				...DEMO_RESULTS[0],
				name: '<img src=x onerror=alert(1)>"\'&',
				summary: '</script><script>alert(2)</script>',
			},
			{ ...DEMO_RESULTS[1], transcriptUrl: 'javascript:alert(3)' },
		];
		const html = (await runReport({ operation: 'page' }, hostile)).json(NODE)[0].html as string;
		expect(html).toContain('&#60;img src=x onerror=alert(1)&#62;&#34;&#39;&#38;');
		expect(html).not.toContain('<img');
		expect(html).not.toContain('alert(2)</script>');
		expect(html).not.toContain('javascript:');
	});

	it('says what to change for a default time zone that does not exist', async () => {
		const result = await runReport({ operation: 'page', options: { timeZone: 'Berlin' } });
		const error = runError(result);
		expect(error.message).toBe('"Berlin" is not a time zone');
		expect(error.description).toContain('Europe/Berlin');
		const continued = await runReport(
			{ operation: 'page', options: { timeZone: 'Berlin' } },
			DEMO_RESULTS,
			'continueRegularOutput',
		);
		expect(continued.json(NODE)).toEqual([
			expect.objectContaining({ error: '"Berlin" is not a time zone' }),
		]);
	});
});

describe('Campaign Report: the demo results as a PDF', () => {
	it.each([
		['de', 'Kampagnenbericht', 'Trichter', 'erreicht'],
		['en', 'Campaign report', 'Funnel', 'reached'],
	])(
		'creates a PDF in %s with the funnel and the names right',
		async (language, title, funnel, reached) => {
			const result = await runReport({
				operation: 'pdf',
				language,
				mustHaves: MUST_HAVES,
				binaryPropertyName: 'report',
			});
			expect(result.status).toBe('success');
			const [item] = result.output(NODE);
			expect(declarationGaps(item.json, pdfFields)).toEqual(NO_GAPS);
			const binary = item.binary?.report as IBinaryData;
			expect(binary).toMatchObject({ mimeType: 'application/pdf', fileExtension: 'pdf' });
			expect(binary.fileName).toBe(`${title.replace(' ', '_')}.pdf`);
			expect(item.json).toMatchObject({ funnel: DEMO_FUNNEL });
			const text = await pdfText(Buffer.from(binary.data, 'base64'));
			expect(text).toContain(title);
			expect(text).toContain(funnel);
			expect(text).toMatch(new RegExp(`${reached}\\s+4 · 57 %`));
			for (const name of ['Mehmet Yılmaz', 'Anna Schmidt', 'Marie Keller'])
				expect(text).toContain(name);
			expect(text).toContain(language === 'de' ? 'Einwilligung abgelehnt' : 'declined consent');
			expect(text).toContain('Art. 22');
		},
	);
});
