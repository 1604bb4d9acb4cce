/** Phone tests: any spelling becomes E.164; empty, service and extension numbers are refused */
import { parseCandidatePhone } from '../../nodes/AgentCall/helpers/phone';

describe('candidate phone numbers', () => {
	it.each([
		'0171 1234567',
		'+49 (171) 123-4567',
		'00491711234567',
		'+49 171 1234567',
		'0171/1234567',
	])('reads %s as +491711234567 with region DE', (raw) => {
		expect(parseCandidatePhone(raw, 'DE')).toMatchObject({
			ok: true,
			value: { e164: '+491711234567', country: 'DE', type: 'MOBILE' },
		});
	});

	it('accepts a landline and numbers of other countries when valid', () => {
		expect(parseCandidatePhone('030 12345678', 'DE')).toMatchObject({
			ok: true,
			value: { e164: '+493012345678', type: 'FIXED_LINE' },
		});
		expect(parseCandidatePhone('+43 660 1234567', 'DE')).toMatchObject({
			ok: true,
			value: { country: 'AT' },
		});
		expect(parseCandidatePhone('0044 20 7946 0958', 'DE')).toMatchObject({
			ok: true,
			value: { e164: '+442079460958', country: 'GB' },
		});
		expect(parseCandidatePhone('0660 1234567', 'AT')).toMatchObject({
			ok: true,
			value: { e164: '+436601234567' },
		});
	});

	it.each([
		['', /is empty/],
		['   ', /is empty/],
		['abc', /not a valid phone number/],
		['01234', /not a valid phone number/],
		['112', /not a valid phone number/],
		['11833', /not a valid phone number/],
		['0900 1234567', /premium-rate/],
		['0180 1234567', /shared-cost/],
		['0800 1234567', /toll-free/],
		['+1 900 555 0123', /premium-rate/],
		['0171 1234567 ext. 12', /extension/],
	])('rejects %j', (raw, message) => {
		const result = parseCandidatePhone(raw, 'DE');
		expect(result.ok).toBe(false);
		if (!result.ok) {
			expect(result.message).toMatch(message);
			expect(result.hint.length).toBeGreaterThan(10);
		}
	});

	it('rejects a default region that is not a country code', () => {
		expect(parseCandidatePhone('0171 1234567', 'Germany')).toMatchObject({
			ok: false,
			message: expect.stringContaining('not a two-letter'),
		});
	});

	it('restores the "+" a spreadsheet dropped, and reads numbers stored as numbers', () => {
		expect(parseCandidatePhone(491711234567, 'DE')).toMatchObject({
			ok: true,
			value: { e164: '+491711234567' },
		});
		expect(parseCandidatePhone('49 171 1234567', 'DE')).toMatchObject({
			ok: true,
			value: { e164: '+491711234567' },
		});
		// The leading 0 lost instead: still the national number.
		expect(parseCandidatePhone(1711234567, 'DE')).toMatchObject({
			ok: true,
			value: { e164: '+491711234567' },
		});
	});
});
