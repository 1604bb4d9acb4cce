/**
 * Build Recruiting Prompt with hostile templates and values through n8n's real engine: each
 * gives one clear error, before anything expands or renders.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { runNode } from './harness';
import type { RunResult } from './harness';

async function render(items: IDataObject[], parameters: INodeParameters = {}): Promise<RunResult> {
	return await runNode({ type: 'recruitingPrompt', name: 'Prompt', parameters }, { items });
}

const fromField: INodeParameters = { templateSet: 'custom', customSource: 'field', templatesField: 'templates' };

/** Under 1 KB of templates: p0 … p23, each including the next twice (2^23 copies of the last). */
function doublingTemplates(levels: number): Record<string, string> {
	const templates: Record<string, string> = { master: 'Rolle\n{{> p0}}' };
	for (let i = 0; i < levels; i++) templates[`p${i}`] = i === levels - 1 ? 'Text {{name}}' : `{{> p${i + 1}}}{{> p${i + 1}}}`;
	return templates;
}

describe('Build Recruiting Prompt: templates that would freeze n8n', () => {
	it('refuses exponential partials from an item field, naming the partial that multiplies', async () => {
		const templates = doublingTemplates(24);
		expect(JSON.stringify(templates).length).toBeLessThan(1024);
		const run = await render([{ name: 'Anna', templates }], fromField);
		expect(run.status).toBe('error');
		// The bound is work: the template text after expanding includes, 200,000 characters. p10
		// is the first level (from the bottom) whose expansion passes it.
		expect(run.error?.message).toBe(
			'The template "p10" multiplies its partials: it includes 2 × "p11", and expands to more than 200,000 characters of template text',
		);
		expect(run.error?.description).toContain('Include each partial once');
	});

	it('refuses a chain of 3,000 partials as too deep, not as a stack overflow', async () => {
		const templates: Record<string, string> = { master: '{{> p0}}' };
		for (let i = 0; i < 3000; i++) templates[`p${i}`] = i === 2999 ? 'Ende' : `{{> p${i + 1}}}`;
		const run = await render([{ name: 'Anna', templates }], fromField);
		expect(run.error?.message).toBe('The partials nest more than 32 levels deep: master → p0 → p1 → p2 → … → p29 → p30 → p31');
		expect(run.error?.description).not.toContain('missing');
	});
});
