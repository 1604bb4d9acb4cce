/** Holds real output items to their operation's declared output fields (the node page's table) */
import type { OutputField } from '../nodes/shared/n8n/outputFields';

export interface DeclarationGaps {
	/** Keys the output has that no field declares. */
	undeclared: string[];
	/** Fields declared as always there that the output lacks. */
	missing: string[];
}

export const NO_GAPS: DeclarationGaps = { undeclared: [], missing: [] };

/** What one output item and the declarations disagree on; `inputKeys` are the item's own fields. */
export function declarationGaps(
	output: object,
	fields: OutputField[],
	inputKeys: string[] = [],
): DeclarationGaps {
	const declared = new Set(fields.map((field) => field.name));
	return {
		undeclared: Object.keys(output).filter((key) => !declared.has(key) && !inputKeys.includes(key)),
		missing: fields
			.filter((field) => field.when === undefined && !Object.hasOwn(output, field.name))
			.map((field) => field.name),
	};
}

/** The declared fields that none of the outputs has: a declaration no run shows to be true. */
export function neverProduced(outputs: object[], fields: OutputField[]): string[] {
	return fields
		.map((field) => field.name)
		.filter((name) => !outputs.some((output) => Object.hasOwn(output, name)));
}
