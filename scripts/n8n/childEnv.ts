/** The environment for the child processes of the n8n runtime (npm, node-gyp, n8n). */
import * as path from 'node:path';

/**
 * The calling process's environment, cleaned for a child. Without the variables `npm run`
 * exports (a nested npm would take the repo as its prefix), without NODE_OPTIONS (loaders of the
 * calling tool), without jest's NODE_ENV=test and JEST_* (n8n then logs nothing, so `execute`
 * prints no result), and with Node 24 first on PATH, so that anything n8n spawns with `node`
 * gets Node 24 too.
 */
export function childEnv(
	/** The n8n runtime's Node 24 binary (`N8nRuntime.node`) goes first on PATH. */
	runtime?: { node: string },
	extra: Record<string, string> = {},
): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	const npmRunVariable =
		/^npm_(package_|lifecycle_|command$|execpath$|node_execpath$|config_(local_prefix|prefix|global_prefix|call|node_gyp|nodedir)$)/i;
	for (const [key, value] of Object.entries(process.env)) {
		if (npmRunVariable.test(key) || /^(NODE_OPTIONS|NODE_ENV|JEST_.*)$/.test(key)) continue;
		env[key] = value;
	}
	if (runtime) env.PATH = `${path.dirname(runtime.node)}${path.delimiter}${process.env.PATH ?? ''}`;
	return { ...env, ...extra };
}
