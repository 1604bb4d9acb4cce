/** Build Recruiting Prompt: the pure parts (cleaning, helpers, template analysis, rendering). */
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';

import { CompiledSets } from '../../nodes/RecruitingPrompt/actions/templateSet';
import { COLLECTED_ANSWERS } from '../../nodes/RecruitingPrompt/helpers/answers';
import { thrownProblem } from './thrownProblem';
import { HELPERS, parseDate } from '../../nodes/RecruitingPrompt/helpers/handlebarsHelpers';
import {
	renderTexts,
	resolveLanguage,
	resolveLocale,
	resolveTimeZone,
	tidy,
} from '../../nodes/RecruitingPrompt/helpers/render';
import type { RenderInput } from '../../nodes/RecruitingPrompt/helpers/render';
import {
	compileSet,
	loadBundledSet,
	parsePhaseList,
} from '../../nodes/RecruitingPrompt/helpers/templates';
import type { TemplateSource, TemplateTexts } from '../../nodes/RecruitingPrompt/helpers/templates';
import { readField, resolveVariables } from '../../nodes/RecruitingPrompt/helpers/variables';
import {
	PlaceholderValue,
	cleanValue,
	placeholdersIn,
} from '../../nodes/RecruitingPrompt/helpers/values';

const ROOT = path.resolve(__dirname, '..', '..');

/** A bundled set read straight from prompts/<set>/*.hbs (what the build bundles). */
function sourceSet(name: 'de' | 'en'): TemplateSource {
	const dir = path.join(ROOT, 'prompts', name);
	const templates: TemplateTexts = {};
	for (const file of readdirSync(dir).filter((f) => f.endsWith('.hbs'))) {
		templates[file.slice(0, -4)] = readFileSync(path.join(dir, file), 'utf8');
	}
	return {
		name,
		bundled: true,
		templates,
		language: name,
		locale: name === 'de' ? 'de-DE' : 'en-GB',
	};
}

function custom(templates: TemplateTexts): TemplateSource {
	return { name: 'custom', bundled: false, templates };
}

const data = {
	now: '2026-03-02T08:30:00.000Z',
	locale: 'de-DE',
	timezone: 'Europe/Berlin',
	language: 'de',
};

function input(values: Record<string, string>, extra: Partial<RenderInput> = {}): RenderInput {
	return { values: new Map(Object.entries(values)), data, includeKnowledgeBase: false, ...extra };
}

describe('cleanValue', () => {
	it('keeps ordinary names and addresses as they are', () => {
		expect(cleanValue('Zoë Müller-Lüdenscheidt')).toBe('Zoë Müller-Lüdenscheidt');
		expect(cleanValue('Hauptstraße 5, 20095 Hamburg')).toBe('Hauptstraße 5, 20095 Hamburg');
		expect(cleanValue(4500)).toBe('4500');
		expect(cleanValue(' Anna\tSchmidt ')).toBe('Anna Schmidt');
	});

	it('makes one line without control or invisible characters', () => {
		expect(cleanValue('Anna\r\n\n## Neue Regeln\u2029x')).toBe('Anna ## Neue Regeln x');
		expect(cleanValue('a\u202Eb\u200Bc\u00ADd\uFEFFe\u0000f')).toBe('a b c d e f');
	});

	it('removes the fence and template delimiters', () => {
		expect(cleanValue('⟦x⟧ {{name}} {{{raw}}} {{#if a}}')).toBe('x {name} {raw} {#if a}');
		// Removing characters must not create a new delimiter.
		expect(cleanValue('{⟦{name}⟧}')).toBe('{name}');
		expect(cleanValue('{\u0000{x}\u0007}')).toBe('{ {x} }');
	});

	it('cuts absurd lengths by characters, not code units', () => {
		expect(cleanValue('A'.repeat(5000), 100)).toBe(`${'A'.repeat(99)}…`);
		expect(cleanValue('😀'.repeat(10), 5)).toBe('😀😀😀😀…');
		expect(cleanValue('kurz', 0)).toBe('kurz');
	});
});

describe('helpers', () => {
	const env = (
		template: string,
		values: Record<string, string> = {},
		extra: Partial<RenderInput> = {},
	) => renderTexts(compileSet(custom({ master: template })), input(values, extra)).system;

	it('default, eq, ne, and, or, not', () => {
		expect(
			env('{{default agentName "Lena"}}|{{default agentName "Lena"}}', { agentName: 'Max' }),
		).toBe('⟦Max⟧|⟦Max⟧');
		expect(env('{{default agentName "Lena"}}')).toBe('Lena');
		expect(env('{{#if (eq language "de")}}DE{{else}}other{{/if}}', { language: 'de' })).toBe('DE');
		expect(env('{{#eq language "de"}}DE{{else}}other{{/eq}}', { language: 'en' })).toBe('other');
		expect(env('{{#ne language "de"}}not de{{/ne}}', { language: 'en' })).toBe('not de');
		expect(env('{{#if (eq years 5)}}five{{/if}}', { years: '5' })).toBe('five');
		expect(
			env('{{#if (and a b)}}both{{/if}}{{#if (or a b)}} one{{/if}}{{#if (not b)}} no b{{/if}}', {
				a: 'x',
			}),
		).toBe('one no b');
	});

	it('formatDate in the locale and zone of the render, with presets and overrides', () => {
		expect(env('{{formatDate @now "cccc, d. MMMM yyyy, HH:mm"}}')).toBe(
			'Montag, 2. März 2026, 09:30',
		);
		expect(env('{{formatDate @now "full"}} / {{formatDate @now "short"}}')).toBe(
			'Montag, 2. März 2026 / 2.3.2026',
		);
		expect(env('{{formatDate @now "time" zone="America/New_York" locale="en-US"}}')).toBe(
			'3:30 AM',
		);
		expect(env('{{formatDate start}}', { start: '1.4.2026' })).toBe('1. April 2026');
		expect(env('{{formatDate start "yyyy-MM-dd"}}', { start: '01.04.2026' })).toBe('2026-04-01');
		expect(env('{{formatDate start "d. MMMM"}}', { start: 'ab sofort' })).toBe('⟦ab sofort⟧');
	});

	it('formatDate refuses a zone that is not one, instead of printing the date unformatted', () => {
		const error = thrownProblem(() =>
			env('{{formatDate start "d. MMMM" zone="Mars/Base"}}', { start: '1.4.2026' }),
		);
		expect(error.message).toBe('"Mars/Base" in {{formatDate … zone=…}} is not a time zone');
		expect(error.hint).toContain('Europe/Berlin');
	});

	it('parses the date forms sheets and forms produce', () => {
		for (const text of [
			'2026-04-01',
			'1.4.2026',
			'01.04.2026',
			'01.04.26',
			'1 April 2026',
			'April 1, 2026',
			'2026-04-01 09:00',
			'Wed, 01 Apr 2026 09:00:00 +0200',
		]) {
			expect(parseDate(text, 'Europe/Berlin', 'de-DE')?.toISODate()).toBe('2026-04-01');
		}
		expect(parseDate('irgendwann', 'Europe/Berlin', 'de-DE')).toBeUndefined();
	});

	it('has no log helper (nothing writes to the n8n log from a template)', () => {
		expect(Object.keys(HELPERS)).not.toContain('log');
		expect(thrownProblem(() => compileSet(custom({ master: '{{log name}}' }))).message).toBe(
			'The template "master" uses the unknown helper "log" on line 1, column 1',
		);
	});
});

describe('template analysis', () => {
	const variables = (templates: TemplateTexts) =>
		Object.fromEntries(
			[...compileSet(custom(templates)).variables].map(([name, use]) => [name, use.required]),
		);

	it('tells required from optional variables', () => {
		expect(
			variables({
				master: [
					'{{name}}',
					'{{#if address}}{{address}}{{else}}{{city}}{{/if}}',
					'{{#unless email}}keine{{else}}{{email}}{{/unless}}',
					'{{default agentName "Lena"}}',
					'{{#if (and a b)}}{{a}}{{b}}{{/if}}',
					'{{#if (eq lang "de")}}{{lang}}{{/if}}',
					'{{#if (or x y)}}{{x}}{{/if}}',
					'{{formatDate start "d.M."}}',
					'{{@root.company}}',
				].join('\n'),
			}),
		).toEqual({
			name: true,
			address: false,
			city: true,
			email: false,
			agentName: false,
			a: false,
			b: false,
			lang: false,
			x: true,
			y: false,
			start: true,
			company: true,
		});
	});

	it('follows partials, and knows which variables the knowledge base uses', () => {
		const set = compileSet(
			custom({
				master: '{{> phases}}',
				'phase-a': '{{name}}',
				knowledgeBase: '{{company}}',
				firstMessage: 'Hi {{name}}',
			}),
		);
		expect(set.variables.get('name')).toEqual({
			required: true,
			templates: ['phase-a', 'firstMessage'],
			inKnowledgeBase: false,
			inVoicemailMessage: false,
		});
		expect(set.variables.get('company')).toEqual({
			required: true,
			templates: ['knowledgeBase'],
			inKnowledgeBase: true,
			inVoicemailMessage: false,
		});
	});

	it('refuses nested fields, circular partials and partials by expression', () => {
		expect(thrownProblem(() => compileSet(custom({ master: '{{a.b}}' }))).message).toBe(
			'The template "master" uses "a.b" on line 1, a field inside a variable',
		);
		expect(
			thrownProblem(() => compileSet(custom({ master: '{{> p}}', p: 'x {{> q}}', q: '{{> p}}' })))
				.message,
		).toBe('The template "p" includes itself (master → p → q → p)');
		expect(
			thrownProblem(() => compileSet(custom({ master: '{{> (lookup . "x")}}' }))).message,
		).toBe('The template "master" includes a partial by expression on line 1');
	});

	it('refuses chosen phases that the master does not include, bad names and twice-listed phases', () => {
		expect(
			thrownProblem(() => compileSet(custom({ master: 'x', 'phase-a': 'a' }), ['a'])).message,
		).toBe('Phases were chosen, but the master template does not include them');
		expect(thrownProblem(() => compileSet(custom({ master: 'x', 'phase a': 'a' }))).message).toBe(
			'The template name "phase a" is not allowed',
		);
		expect(
			thrownProblem(() =>
				compileSet(custom({ master: '{{> phases}}', 'phase-a': 'a' }), ['a', 'a']),
			).message,
		).toBe('The phase "a" is listed twice in Phases');
	});

	it('reads phase lists written by hand', () => {
		expect(parsePhaseList(' greeting, salary ,\nclosing;optOut ')).toEqual([
			'greeting',
			'salary',
			'closing',
			'optOut',
		]);
		expect(parsePhaseList('')).toBeUndefined();
		expect(parsePhaseList(['a', ' b '])).toEqual(['a', 'b']);
	});
});

describe('rendering', () => {
	it('fences values in the system prompt and knowledge base, not in the spoken first message', () => {
		const set = compileSet(
			custom({ master: 'S {{name}}', firstMessage: 'F {{name}}', knowledgeBase: 'K {{company}}' }),
		);
		expect(renderTexts(set, input({ name: 'Anna', company: 'ACME' }))).toEqual({
			system: 'S ⟦Anna⟧',
			firstMessage: 'F Anna',
			knowledgeBase: 'K ⟦ACME⟧',
		});
	});

	it('leaves candidate fields as ElevenLabs placeholders when asked (what Publish puts on the agent)', () => {
		const set = compileSet(
			custom({
				master:
					'Mit {{name}}{{#if address}}, {{address}}{{/if}}, {{formatDate start "d.M.yyyy"}}, für {{company}}',
				firstMessage: 'Spreche ich mit {{name}}?',
			}),
		);
		const texts = renderTexts(
			set,
			input(
				{ company: 'ACME', start: '2026-04-01' },
				{ placeholders: new Set(['name', 'address']) },
			),
		);
		expect(texts.system).toBe('Mit ⟦{{name}}⟧, ⟦{{address}}⟧, 1.4.2026, für ⟦ACME⟧');
		expect(texts.firstMessage).toBe('Spreche ich mit {{name}}?');
		expect(placeholdersIn(texts.system)).toEqual(['name', 'address']);
		// Today's date, too, is ElevenLabs' to fill in on the agent's own prompt.
		const dated = compileSet(custom({ master: 'Heute ist {{formatDate @now "full"}}.' }));
		const now = new PlaceholderValue('system__time_utc', true);
		expect(renderTexts(dated, input({}, { data: { ...data, now } })).system).toBe(
			'Heute ist ⟦{{system__time_utc}}⟧.',
		);
	});

	it('places the knowledge base where the master says, or at the end', () => {
		const placed = compileSet(
			custom({
				master: 'A\n{{#if @knowledgeBase}}\n--\n{{@knowledgeBase}}\n--\n{{/if}}\nB',
				knowledgeBase: 'KB',
			}),
		);
		expect(renderTexts(placed, input({}, { includeKnowledgeBase: true })).system).toBe(
			'A\n--\nKB\n--\nB',
		);
		expect(renderTexts(placed, input({})).system).toBe('A\nB');
		const appended = compileSet(custom({ master: 'A', knowledgeBase: 'KB' }));
		expect(renderTexts(appended, input({}, { includeKnowledgeBase: true })).system).toBe('A\n\nKB');
	});

	it('tidies blank lines and trailing spaces', () => {
		expect(tidy('  a  \n\n\n\nb\t\n')).toBe('a\n\nb');
	});

	it('chooses language, locale and time zone', () => {
		const set = compileSet(custom({ master: 'x' }));
		const de = compileSet(sourceSet('de'));
		expect(resolveLanguage('', de, 'en')).toBe('de');
		expect(resolveLanguage('', set, 'EN')).toBe('en');
		expect(resolveLanguage('', set, 'Deutsch')).toBe('de');
		expect(resolveLanguage('pt-br', de, undefined)).toBe('pt-br');
		expect(thrownProblem(() => resolveLanguage('German', set, undefined)).message).toBe(
			'"German" is not a language code',
		);
		expect(resolveLocale('', de, 'de')).toBe('de-DE');
		expect(resolveLocale('', set, 'fr')).toBe('fr-FR');
		expect(resolveLocale('de-AT', de, 'de')).toBe('de-AT');
		expect(resolveTimeZone('America/New_York', 'Europe/Vienna', 'Europe/Berlin')).toBe(
			'America/New_York',
		);
		expect(resolveTimeZone(undefined, 'Europe/Vienna', 'Europe/Berlin')).toBe('Europe/Vienna');
		expect(resolveTimeZone(undefined, '', 'Europe/Zurich')).toBe('Europe/Zurich');
		expect(thrownProblem(() => resolveTimeZone('CET+1', '', 'Europe/Berlin')).message).toBe(
			'"CET+1" (the item’s time zone field) is not a time zone',
		);
	});
});

describe('variables', () => {
	const used = compileSet(
		custom({
			master: '{{name}} {{jobTitle}} {{#if salaryRange}}{{salaryRange}}{{/if}} {{agentName}}',
		}),
	).variables;
	const sources = { fieldNames: {}, extra: {}, defaults: {}, readItemFields: true };

	it('takes extra variables first, then the item, then defaults', () => {
		const { values, dynamicVariables } = resolveVariables(
			{
				'Full Name': 'Anna',
				name: 'ignored',
				jobTitle: 'Pflege',
				agentName: 'Item',
				phone: 491711234567,
				'Odd Key': 'x',
			},
			used,
			{
				...sources,
				fieldNames: { name: 'Full Name' },
				extra: { agentName: 'Extra' },
				defaults: { jobTitle: 'Default', salaryRange: 'ca. 50k' },
			},
			0,
		);
		expect(Object.fromEntries(values)).toEqual({
			name: 'Anna',
			phone: '491711234567',
			jobTitle: 'Pflege',
			agentName: 'Extra',
			salaryRange: 'ca. 50k',
		});
		expect(dynamicVariables).toEqual(Object.fromEntries(values));
	});

	it('reads dot paths and only reads other fields when allowed', () => {
		expect(readField({ contact: { email: 'a@b.de' } }, 'contact.email')).toBe('a@b.de');
		expect(readField({ 'contact.email': 'flat' }, 'contact.email')).toBe('flat');
		expect(readField({ contact: null }, 'contact.email')).toBeUndefined();
		const error = thrownProblem(() =>
			resolveVariables(
				{ name: 'A', jobTitle: 'J', agentName: 'X' },
				used,
				{ ...sources, readItemFields: false },
				4,
			),
		);
		expect(error.message).toBe('Missing template variable in item 4: agentName');
		expect(error.hint).toContain('agentName (no item field is read for it; used in master)');
	});

	it('lists every missing variable at once, candidate fields first', () => {
		const error = thrownProblem(() =>
			resolveVariables({ jobTitle: '', agentName: { x: 1 } }, used, sources, 2),
		);
		expect(error.message).toBe('Missing template variables in item 2: name, jobTitle');
		expect(error.hint).toContain(
			'Also: agentName is an object (from item field "agentName"): templates take text or numbers.',
		);
	});

	it('turns no item field of an unused kind into an error, and no unusable name into a dynamic variable', () => {
		const { dynamicVariables } = resolveVariables(
			{ name: 'A', jobTitle: 'J', agentName: 'X', address: { street: 'Weg 1' } },
			compileSet(custom({ master: '{{name}} {{jobTitle}} {{agentName}} {{[Full Name]}}' }))
				.variables,
			{ ...sources, defaults: { 'Full Name': 'Anna' } },
			0,
		);
		expect(dynamicVariables).toEqual({ name: 'A', jobTitle: 'J', agentName: 'X' });
	});
});

describe('bundled sets', () => {
	it('load from the build output once per process, and say clearly when they are missing', () => {
		const error = thrownProblem(() =>
			loadBundledSet('de', path.join(ROOT, 'test', 'no-such-folder')),
		);
		expect(error.message).toBe(
			'The bundled template set "de" is missing from this installation of the package',
		);
		expect(error.hint).toContain('prompts/de.json');
	});

	it('German and English have the same templates, phases and variables', () => {
		const de = compileSet(sourceSet('de'));
		const en = compileSet(sourceSet('en'));
		expect(Object.keys(sourceSet('en').templates).sort()).toEqual(
			Object.keys(sourceSet('de').templates).sort(),
		);
		expect(en.phases).toEqual(de.phases);
		const summary = (set: typeof de) =>
			Object.fromEntries(
				[...set.variables].map(([name, use]) => [name, [use.required, use.inKnowledgeBase]]),
			);
		expect(summary(en)).toEqual(summary(de));
		expect(
			[...de.variables]
				.filter(([, use]) => use.required)
				.map(([name]) => name)
				.sort(),
		).toEqual(['company', 'jobTitle', 'name']);
	});

	it('the knowledge base uses company and job data only (it is the same for every candidate)', () => {
		for (const set of ['de', 'en'] as const) {
			const compiled = compileSet(sourceSet(set));
			const inKnowledgeBase = [...compiled.variables]
				.filter(([, use]) => use.templates.includes('knowledgeBase'))
				.map(([name]) => name);
			for (const candidateField of [
				'name',
				'phone',
				'email',
				'address',
				'recruiterName',
				'candidateId',
				'timezone',
			]) {
				expect(inKnowledgeBase).not.toContain(candidateField);
			}
		}
	});

	it.each(['de', 'en'] as const)(
		'%s renders with every variable given, without a stray {{ and with every answer named',
		(name) => {
			const set = compileSet(sourceSet(name));
			const values = Object.fromEntries(
				[...set.variables.keys()].map((variable) => [variable, `Wert von ${variable}`]),
			);
			values.startDate = '2026-05-01';
			const texts = renderTexts(set, {
				...input(values, { includeKnowledgeBase: true }),
				data: { ...data, locale: name === 'de' ? 'de-DE' : 'en-GB', language: name },
			});
			for (const text of Object.values(texts)) {
				expect(text).not.toMatch(/\{\{|\}\}/);
				expect(text).not.toMatch(/\n\s*\n\s*\n/);
			}
			for (const answer of COLLECTED_ANSWERS) expect(texts.system).toContain(`\`${answer.id}\``);
			expect(texts.system).toContain(name === 'de' ? '1. Mai 2026' : '1 May 2026');
			expect(texts.system).toContain('⟦Wert von contactPhone⟧');
			expect(texts.system.endsWith(texts.knowledgeBase)).toBe(true);
		},
	);
});

describe('compiled once per execution', () => {
	it('returns the same compiled set for the same templates and phases', () => {
		const sets = new CompiledSets();
		const source = { ...sourceSet('de'), cacheKey: 'de' };
		const first = sets.get(source, '');
		expect(sets.get(source, '')).toBe(first);
		expect(sets.get(source, 'greeting, closing')).not.toBe(first);
		expect(sets.get(source, 'greeting,closing')).toBe(sets.get(source, 'greeting, closing'));
	});
});
