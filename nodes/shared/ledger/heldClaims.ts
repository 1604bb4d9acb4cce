/** The claims one run holds, released on every way out unless their dial request went out. */
import type { Claim } from './callLedger';

export class HeldClaims {
	private readonly claims: Claim[] = [];

	hold(claim: Claim): Claim {
		this.claims.push(claim);
		return claim;
	}

	/** Nobody was called on these: the next run may claim them at once. */
	async releaseUnsent(warn: (error: unknown) => void): Promise<void> {
		const unsent = this.claims.filter((claim) => claim.unsent);
		await Promise.all(unsent.map(async (claim) => await claim.release().catch(warn)));
	}
}

/**
 * Runs `work` with a holder for the claims it wins. However it ends (a result, a throw, n8n's
 * Stop), every held claim that was neither settled nor dialled is released, so no error leaves a
 * person claimed whom nobody called. A release that fails is only reported: that claim then
 * ages into "maybe called", the safe side.
 */
export async function withHeldClaims<T>(
	warn: (error: unknown) => void,
	work: (held: HeldClaims) => Promise<T>,
): Promise<T> {
	const held = new HeldClaims();
	try {
		return await work(held);
	} finally {
		await held.releaseUnsent(warn);
	}
}
