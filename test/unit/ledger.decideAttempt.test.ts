/** Attempt tests: an unknown outcome or silent claim is never dialled again; budget and pause */
import { STALE_CLAIM_MS, decideAttempt } from '../../nodes/shared/ledger/decideAttempt';
import type { Attempt } from '../../nodes/shared/ledger/types';

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 11, 2, 10);
const policy = { maxAttempts: 3, hoursBetweenAttempts: 4 };

function attempt(n: number, over: Partial<Attempt> = {}): Attempt {
	return {
		scope: 'agent\ncampaign',
		person: 'p',
		attempt: n,
		callKey: 'k',
		claimId: `c${n}`,
		executionId: 'e-other',
		claimedAt: NOW - 5 * HOUR,
		updatedAt: NOW - 5 * HOUR,
		outcome: 'initiated',
		maskedNumber: '+49171•••',
		...over,
	};
}

test('nobody called yet: claim the first attempt', () => {
	expect(decideAttempt([], policy, NOW, 'e1')).toEqual({ kind: 'claim', attempt: 1 });
});

test('another execution is dialling right now: wait for it; a claim that went silent is checked in the history', () => {
	const fresh = attempt(1, { outcome: 'claimed', updatedAt: NOW - 1000 });
	expect(decideAttempt([fresh], policy, NOW, 'e1')).toEqual({ kind: 'wait', last: fresh });
	const silent = attempt(1, { outcome: 'claimed', updatedAt: NOW - STALE_CLAIM_MS });
	// Its claimant died: whether it dialled is the vendor's history's to say, not a guess.
	expect(decideAttempt([silent], policy, NOW, 'e1')).toEqual({ kind: 'checkStale', last: silent });
	expect(decideAttempt([silent], policy, NOW, silent.executionId)).toEqual({
		kind: 'checkStale',
		last: silent,
	});
});

test('an unknown outcome is never dialled again: the same execution is told, others skip', () => {
	const unknown = attempt(1, { outcome: 'unknown', executionId: 'e1' });
	expect(decideAttempt([unknown], policy, NOW, 'e1')).toEqual({
		kind: 'ownUnknown',
		last: unknown,
	});
	expect(decideAttempt([unknown], policy, NOW, 'e2', 'not_reached')).toEqual({
		kind: 'skip',
		status: 'already_called',
		last: unknown,
	});
});

test('after a placed call the vendor is asked whether it reached the person', () => {
	const placed = attempt(1);
	expect(decideAttempt([placed], policy, NOW, 'e1')).toEqual({ kind: 'checkReach', last: placed });
	expect(decideAttempt([placed], policy, NOW, 'e1', 'reached')).toEqual({
		kind: 'skip',
		status: 'already_called',
		last: placed,
	});
	expect(decideAttempt([placed], policy, NOW, 'e1', 'not_reached')).toEqual({
		kind: 'claim',
		attempt: 2,
	});
});

test('inside the pause: too soon when the call did not reach them, already called when nobody knows', () => {
	const recent = attempt(1, { claimedAt: NOW - HOUR });
	expect(decideAttempt([recent], policy, NOW, 'e1', 'not_reached')).toEqual({
		kind: 'skip',
		status: 'too_soon',
		last: recent,
		nextAttemptAfter: NOW + 3 * HOUR,
	});
	expect(decideAttempt([recent], policy, NOW, 'e1', 'unknown')).toEqual({
		kind: 'skip',
		status: 'already_called',
		last: recent,
	});
});

test('the budget: the last allowed attempt used up means exhausted, even after the pause', () => {
	const three = [attempt(1), attempt(2), attempt(3)];
	expect(decideAttempt(three, policy, NOW, 'e1', 'not_reached')).toEqual({
		kind: 'skip',
		status: 'attempts_exhausted',
		last: three[2],
	});
	expect(decideAttempt(three.slice(0, 2), policy, NOW, 'e1', 'not_reached')).toEqual({
		kind: 'claim',
		attempt: 3,
	});
});

test('an unknown reach is already called, also after the pause: only "not reached" allows another attempt', () => {
	const two = [attempt(1), attempt(2)];
	expect(decideAttempt(two, policy, NOW, 'e1', 'unknown')).toEqual({
		kind: 'skip',
		status: 'already_called',
		last: two[1],
	});
	const noPause = { ...policy, hoursBetweenAttempts: 0 };
	expect(decideAttempt([attempt(1)], noPause, NOW, 'e1', 'unknown')).toMatchObject({
		kind: 'skip',
		status: 'already_called',
	});
});

test('the pause counts from the call’s start as the vendor reports it, when that is after the claim', () => {
	const batch = attempt(1, { claimedAt: NOW - 5 * HOUR });
	const startedAt = NOW - HOUR;
	expect(decideAttempt([batch], policy, NOW, 'e1', 'not_reached', startedAt)).toEqual({
		kind: 'skip',
		status: 'too_soon',
		last: batch,
		nextAttemptAfter: startedAt + 4 * HOUR,
	});
	expect(decideAttempt([batch], policy, NOW, 'e1', 'not_reached', NOW - 9 * HOUR)).toEqual({
		kind: 'claim',
		attempt: 2,
	});
});
