/**
 * Node parameters that the engine and the end-to-end tests both write. Kept free of n8n-core and
 * of the package build, so that either suite can import it.
 */
import type { INodeParameterResourceLocator } from 'n8n-workflow';

/**
 * A resource-locator value as the editor stores it: "By ID" unless another mode ('list' for
 * "From list", which is also how an expression typed into the picker is kept) is named.
 */
export function locator(value: string, mode: 'id' | 'list' = 'id'): INodeParameterResourceLocator {
	return { __rl: true, mode, value };
}
