/** Test helper: the ProblemError a piece of work throws, failing the test otherwise */
import { ProblemError } from '../../nodes/shared/n8n/problems';

/** The ProblemError that `work` throws; fails the test when it throws nothing or something else. */
export function thrownProblem(work: () => unknown): ProblemError {
	let caught: unknown;
	try {
		work();
	} catch (error) {
		caught = error;
	}
	expect(caught).toBeInstanceOf(ProblemError);
	return caught as ProblemError;
}
