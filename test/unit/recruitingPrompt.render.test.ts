/** Build Recruiting Prompt: what the render does once per execution instead of per candidate. */
import { CompiledSets } from '../../nodes/RecruitingPrompt/actions/templateSet';
import { renderTexts } from '../../nodes/RecruitingPrompt/helpers/render';
import type { RenderInput } from '../../nodes/RecruitingPrompt/helpers/render';
import { compileSet } from '../../nodes/RecruitingPrompt/helpers/templates';
import type { TemplateTexts } from '../../nodes/RecruitingPrompt/helpers/templates';
import { cleanValue } from '../../nodes/RecruitingPrompt/helpers/values';

const data = {
	now: '2026-03-02T08:30:00.000Z',
	locale: 'de-DE',
	timezone: 'Europe/Berlin',
	language: 'de',
};

const custom = (templates: TemplateTexts) =>
	compileSet({ name: 'custom', bundled: false, templates });

function input(values: Record<string, string>, extra: Partial<RenderInput> = {}): RenderInput {
	return { values: new Map(Object.entries(values)), data, includeKnowledgeBase: false, ...extra };
}

describe('knowledge base once per job', () => {
	const set = () =>
		custom({
			master: 'S {{name}}',
			knowledgeBase:
				'K {{company}}{{#if jobLocation}} in {{jobLocation}}{{/if}}, {{formatDate @now "d.M.yyyy"}}',
		});

	it('renders the same text for every candidate of a job, and another for another job', () => {
		const compiled = set();
		const anna = renderTexts(compiled, input({ name: 'Anna', company: 'ACME' }));
		const jonas = renderTexts(compiled, input({ name: 'Jonas', company: 'ACME' }));
		expect(anna.knowledgeBase).toBe('K ⟦ACME⟧, 2.3.2026');
		expect(jonas.knowledgeBase).toBe(anna.knowledgeBase);
		expect(jonas.system).toBe('S ⟦Jonas⟧');
		expect(
			renderTexts(compiled, input({ name: 'Olga', company: 'ACME', jobLocation: 'Kiel' }))
				.knowledgeBase,
		).toBe('K ⟦ACME⟧ in ⟦Kiel⟧, 2.3.2026');
		expect(renderTexts(compiled, input({ name: 'Olga', company: 'Beta' })).knowledgeBase).toBe(
			'K ⟦Beta⟧, 2.3.2026',
		);
		// The candidate's time zone and locale change the dates, so they are part of what is the same.
		const later = input(
			{ name: 'Sven', company: 'ACME' },
			{ data: { ...data, timezone: 'Pacific/Kiritimati' } },
		);
		expect(renderTexts(compiled, later).knowledgeBase).toBe('K ⟦ACME⟧, 2.3.2026');
		const tonga = input(
			{ name: 'Sven', company: 'ACME' },
			{ data: { ...data, now: '2026-03-02T23:30:00.000Z', timezone: 'Pacific/Kiritimati' } },
		);
		expect(renderTexts(compiled, tonga).knowledgeBase).toBe('K ⟦ACME⟧, 3.3.2026');
	});

	it('renders per candidate a knowledge base that reads the whole context', () => {
		const compiled = custom({ master: 'S', knowledgeBase: 'K {{lookup this "name"}}' });
		expect(renderTexts(compiled, input({ name: 'Anna' })).knowledgeBase).toBe('K ⟦Anna⟧');
		expect(renderTexts(compiled, input({ name: 'Jonas' })).knowledgeBase).toBe('K ⟦Jonas⟧');
	});

	it('keeps a candidate field the knowledge base prints in what makes it the same', () => {
		const compiled = custom({ master: 'S', knowledgeBase: 'K {{name}}' });
		expect(renderTexts(compiled, input({ name: 'Anna' })).knowledgeBase).toBe('K ⟦Anna⟧');
		expect(renderTexts(compiled, input({ name: 'Jonas' })).knowledgeBase).toBe('K ⟦Jonas⟧');
		expect(
			renderTexts(compiled, input({ name: 'Jonas' }, { placeholders: new Set(['name']) }))
				.knowledgeBase,
		).toBe('K ⟦{{name}}⟧');
	});
});

describe('cleanValue in one pass', () => {
	it('returns a clean value as it is, and cleans everything else as before', () => {
		for (const clean of [
			'Anna Schmidt',
			'Mehmet Yılmaz',
			'Hauptstraße 5, 20095 Hamburg',
			'48.000 bis 56.000 Euro',
			'{a} {b}',
		]) {
			expect(cleanValue(clean)).toBe(clean);
		}
		expect(cleanValue('Anna  Schmidt')).toBe('Anna Schmidt');
		expect(cleanValue(' Anna')).toBe('Anna');
		expect(cleanValue('Anna\u00a0Schmidt')).toBe('Anna Schmidt');
		expect(cleanValue('An\u00adna')).toBe('An na');
		expect(cleanValue('Zoe\u0308')).toBe('Zoë');
		expect(cleanValue('{{x}}')).toBe('{x}');
		expect(cleanValue('abcdef', 4)).toBe('abc…');
	});
});

describe('custom sets compiled once per execution', () => {
	it('returns the same compiled set for the same custom templates read again for another item', () => {
		const sets = new CompiledSets();
		const read = () => {
			const own = { master: 'S {{name}}\n{{> phases}}', 'phase-a': 'A', 'phase-b': 'B' };
			return {
				name: 'custom',
				bundled: false,
				templates: { ...own },
				cacheKey: `custom\u0000none\u0000${JSON.stringify(own)}`,
			};
		};
		const first = sets.get(read(), 'b, a');
		expect(sets.get(read(), 'b, a')).toBe(first);
		expect(sets.get(read(), 'a')).not.toBe(first);
		expect(renderTexts(first, input({ name: 'Anna' })).system).toBe('S ⟦Anna⟧\nB\n\nA');
	});
});
