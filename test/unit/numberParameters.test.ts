/** The one check of number parameters against their description, and how messages quote input. */
import type { INodeProperties } from 'n8n-workflow';

import { checkNumber, checkNumberOptions } from '../../nodes/shared/n8n/numberParameters';
import { quoted } from '../../nodes/shared/text/quoted';

const timeout: INodeProperties = {
	displayName: 'Timeout',
	name: 'timeout',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 300 },
	default: 30,
};
const retries: INodeProperties = {
	displayName: 'Retries',
	name: 'retries',
	type: 'number',
	typeOptions: { minValue: 0, numberPrecision: 0 },
	default: 5,
};

describe('checkNumber', () => {
	it.each([
		[30, 30],
		['30', 30],
		[' 1.5 ', 1.5],
		[300, 300],
	])('takes %p', (value, expected) => {
		expect(checkNumber(timeout, value)).toEqual({ ok: true, value: expected });
	});

	it.each([
		[NaN, 'NaN'],
		['abc', '"abc"'],
		['', '""'],
		[null, 'null'],
		[0, '0'],
		[301, '301'],
		[Infinity, 'Infinity'],
		[{ a: 1 }, '{"a":1}'],
	])('refuses %p, quoting it as %s', (value, shown) => {
		const checked = checkNumber(timeout, value);
		expect(checked).toMatchObject({
			ok: false,
			message: `"Timeout" must be a number from 1 to 300, not ${shown}`,
		});
	});

	it('wants whole numbers where the description has numberPrecision 0', () => {
		expect(checkNumber(retries, 2.5)).toMatchObject({
			ok: false,
			message: '"Retries" must be a whole number of 0 or more, not 2.5',
		});
		expect(checkNumber(retries, -1)).toMatchObject({ ok: false });
		expect(checkNumber(retries, 0)).toEqual({ ok: true, value: 0 });
	});

	it('checks only the number options of a collection that are set, and says where they are', () => {
		const options: INodeProperties = {
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			default: {},
			options: [timeout, retries],
		};
		expect(checkNumberOptions(options, { retries: '2', label: 'x' })).toEqual({
			ok: true,
			value: { retries: 2, label: 'x' },
		});
		expect(checkNumberOptions(options, { timeout: -1 })).toMatchObject({
			ok: false,
			hint: expect.stringMatching(
				/^Set Options → Timeout to a number from 1 to 300 \(default 30\)/,
			),
		});
	});
});

describe('quoted', () => {
	it('cuts a long input and says how long it was', () => {
		const text = quoted('9'.repeat(10_000_000));
		expect(text.length).toBeLessThan(100);
		expect(text).toBe(`"${'9'.repeat(59)}… (10,000,000 characters)`);
	});
});
