// Libraries loaded on first use: n8n requires every node of every community package at start-up.

/**
 * A library that only some runs of a node need (holiday calendars, phone metadata, Handlebars),
 * loaded the first time it is asked for and kept: n8n loads every node of every community
 * package when it starts, on every worker, and a top-level import would make all of them pay.
 */
export function lazyModule<T>(load: () => T): () => T {
	let loaded: T | undefined;
	return () => (loaded ??= load());
}

/** Handlebars, for the prompt templates and the interview page; each use creates its own env. */
export const handlebars = lazyModule(
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	() => require('handlebars') as typeof import('handlebars'),
);
