/** The pacing clock that the items of one execution share, dialled side by side or one after another. */
import { reserveDialSlot } from '../../nodes/AgentCall/helpers/pacing';

describe('reserveDialSlot', () => {
	it('gives items that ask at the same moment turns one interval apart', () => {
		const clock: { lastDialAt?: number } = {};
		// 20 calls per minute: one every 3 s.
		expect([0, 0, 0].map(() => reserveDialSlot(clock, 1_000, 20))).toEqual([0, 3_000, 6_000]);
		expect(clock.lastDialAt).toBe(7_000);
	});

	it('waits nothing once the interval since the last turn has passed', () => {
		const clock = { lastDialAt: 1_000 };
		expect(reserveDialSlot(clock, 5_000, 20)).toBe(0);
		expect(clock.lastDialAt).toBe(5_000);
	});

	it('does not pace at 0 calls per minute', () => {
		const clock = { lastDialAt: 1_000 };
		expect(reserveDialSlot(clock, 1_000, 0)).toBe(0);
	});
});
