/** The declared output fields of an operation or trigger, which `npm run docs` renders */

/**
 * One field an operation adds to its output items. Plain data, so that the node page's output
 * table is generated from it and a test can hold it against real output.
 */
export interface OutputField {
	name: string;
	/** As a reader of the item sees it, e.g. `string`, `number`, `string or null`, `object[]`. */
	type: string;
	description: string;
	/** A typical value, as it would be written in an expression or JSON. */
	example?: string;
	/** When the field is there; without it the field is in every output item. */
	when?: string;
}
