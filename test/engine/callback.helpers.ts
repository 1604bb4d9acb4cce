/**
 * The callback tests' stand-in for the team's lookup (n8n's Google Sheets "Get Row(s)" with
 * Always Output Data on): it finds the caller's rows in a table by phone number, and can be made
 * slow or failing as a real lookup can. Node type `test.candidateLookup`.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';

import { loadPackage } from './harness';

export interface LookupBehaviour {
	rows: IDataObject[];
	/** Real milliseconds before it answers. */
	delayMs?: number;
	/** Throws instead of answering (a sheet that cannot be read). */
	fails?: boolean;
}

export const lookup: LookupBehaviour = { rows: [] };

const digits = (value: unknown) =>
	String(value ?? '')
		.replace(/\D/g, '')
		.slice(-9);

class CandidateLookup implements INodeType {
	description = {
		displayName: 'Candidate Lookup',
		name: 'candidateLookup',
		group: ['transform'],
		version: 1,
		description: 'Finds the caller in a table',
		defaults: { name: 'Lookup' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [],
	} as unknown as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		if (lookup.delayMs) await new Promise((resolve) => setTimeout(resolve, lookup.delayMs));
		if (lookup.fails) throw new Error('The sheet could not be read');
		const caller = digits(this.getInputData()[0]?.json.callerNumber);
		const found = lookup.rows.filter((row) => digits(row.phone) === caller);
		// Always Output Data: an empty item when nothing matched.
		return [
			found.length
				? found.map((json) => ({ json, pairedItem: { item: 0 } }))
				: [{ json: {}, pairedItem: { item: 0 } }],
		];
	}
}

/** Makes `test.candidateLookup` known to the engine of the harness. */
export function registerLookup(): void {
	loadPackage().nodeTypes['test.candidateLookup'] = new CandidateLookup();
}
