/** Node parameters read once per execution unless they hold an expression. */
import type { IExecuteFunctions, INodeParameters } from 'n8n-workflow';

import { ItemParameters } from '../../nodes/shared/n8n/itemParameters';

/** A stand-in for n8n's context: "resolves" an expression to its text plus the item index, and counts reads. */
function context(parameters: INodeParameters) {
	const reads: string[] = [];
	const resolve = (value: unknown, i: number): unknown => {
		if (typeof value === 'string') return value.startsWith('=') ? `${value.slice(1)}#${i}` : value;
		if (Array.isArray(value)) return value.map((entry) => resolve(entry, i));
		if (value && typeof value === 'object')
			return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, i)]));
		return value;
	};
	const ctx = {
		getNode: () => ({ parameters }),
		getNodeParameter: (name: string, i: number, fallback?: unknown) => {
			reads.push(`${name}@${i}`);
			const raw = name
				.split('.')
				.reduce<unknown>(
					(at, part) => (at as Record<string, unknown> | undefined)?.[part],
					parameters,
				);
			return raw === undefined ? fallback : resolve(raw, i);
		},
	} as unknown as IExecuteFunctions;
	return { ctx, reads };
}

describe('ItemParameters', () => {
	it('reads a parameter without expressions once, and one with an expression or not saved for every item', () => {
		const { ctx, reads } = context({
			templateSet: 'de',
			phases: '',
			partials: {},
			options: { maxValueLength: 200 },
			extraVariables: { variable: [{ name: 'jobLocation', value: '={{ $json.city }}' }] },
		});
		const parameters = new ItemParameters(ctx);
		for (const i of [0, 1, 2]) {
			expect(parameters.getNodeParameter('templateSet', i, 'de')).toBe('de');
			expect(parameters.getNodeParameter('options', i, {})).toEqual({ maxValueLength: 200 });
			expect(parameters.getNodeParameter('phases', i, '')).toBe('');
			expect(parameters.getNodeParameter('extraVariables.variable', i, [])).toEqual([
				{ name: 'jobLocation', value: `{{ $json.city }}#${i}` },
			]);
			expect(parameters.getNodeParameter('partials.partial', i, [])).toEqual([]);
			// Not saved: n8n's default for it could be an expression.
			expect(parameters.getNodeParameter('defaults.variable', i, [])).toEqual([]);
		}
		expect(reads).toEqual([
			'templateSet@0',
			'options@0',
			'phases@0',
			'extraVariables.variable@0',
			'partials.partial@0',
			'defaults.variable@0',
			'extraVariables.variable@1',
			'defaults.variable@1',
			'extraVariables.variable@2',
			'defaults.variable@2',
		]);
	});
});
