/** One vendor endpoint as a named function: its SDK call and the words of its errors together. */
import type { INode, NodeApiError } from 'n8n-workflow';

import { attempt, vendorApiError } from './errors';
import type { Attempt, FailureContext, Vendor, VendorFailure } from './errors';

/** What the node was doing, for the message, and its hints (by vendor code, by HTTP status). */
export type Purpose = Omit<FailureContext, 'itemIndex'>;

/** Where a request is made, for its error: the node, the item, and the caller's purpose. */
export interface At {
	node: INode;
	itemIndex?: number;
	/**
	 * The caller's own words, when the request serves a purpose its message must name ("read
	 * the cancelled campaign"): they replace the endpoint's.
	 */
	purpose?: Purpose;
}

export interface Connection<C> {
	client: C;
	/** The secrets of the credential, kept out of every message. */
	secrets: string[];
}

export interface Endpoint<C, A extends unknown[], T> {
	/** Sends the request; a failure becomes our NodeApiError (what failed, what to do, item). */
	(connection: Connection<C>, at: At, ...args: A): Promise<T>;
	/** Sends it and keeps a failure as plain, redacted values, for a caller that decides by it. */
	attempt(connection: Connection<C>, ...args: A): Promise<Attempt<T>>;
	/** The error the request raises for this failure, for a caller that decided by `attempt`. */
	error(at: At, failure: VendorFailure, ...args: A): NodeApiError;
}

export interface EndpointSpec<C, A extends unknown[], T> {
	/** The one SDK call of the endpoint. */
	send: (client: C, ...args: A) => Promise<T>;
	/** What the node was doing, in the words of a message ("ElevenLabs refused to …"). */
	context: (...args: NoInfer<A>) => Purpose;
}

/** The endpoint factory of one vendor: its name in messages, and how its SDK errors are read. */
export function endpointsOf<C>(
	vendor: Vendor,
	readFailure: (error: unknown, secrets: string[]) => VendorFailure,
) {
	return function endpoint<A extends unknown[], T>(spec: EndpointSpec<C, A, T>): Endpoint<C, A, T> {
		const tryIt = async (connection: Connection<C>, ...args: A): Promise<Attempt<T>> =>
			await attempt(
				() => spec.send(connection.client, ...args),
				(error) => readFailure(error, connection.secrets),
			);
		const error = (at: At, failure: VendorFailure, ...args: A): NodeApiError =>
			vendorApiError(at.node, vendor, failure, {
				...(at.purpose ?? spec.context(...args)),
				itemIndex: at.itemIndex,
			});
		const send = async (connection: Connection<C>, at: At, ...args: A): Promise<T> => {
			const answer = await tryIt(connection, ...args);
			if (answer.ok) return answer.value;
			throw error(at, answer.failure, ...args);
		};
		return Object.assign(send, { attempt: tryIt, error });
	};
}
