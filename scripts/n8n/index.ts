/**
 * A real n8n 2.41.1 on Node 24 for end-to-end tests, the demo and benchmarks.
 *
 * - `runtime.ts`: `ensureRuntime()` installs Node 24 and n8n into a cache folder on first use.
 * - `packageInstall.ts`: `packPackage()` + `installPackage()` put the built package into an n8n
 *   user folder as n8n's Settings → Community nodes does.
 * - `instance.ts`: `N8nInstance` drives one n8n user folder (CLI, `n8n execute`, `n8n start`,
 *   `n8n worker`, `n8n webhook`); `restClient.ts` talks to its REST API as the editor does.
 * - `cluster.ts`: `N8nCluster`, n8n in queue mode (main, workers, webhook processor) on
 *   Postgres and Redis, with the environment of deploy/.
 */
export * from './executionResult';
export * from './instance';
export * from './n8nProcess';
export * from './packageInstall';
export * from './restClient';
export * from './runtime';
export { REPO_ROOT } from '../paths';
export * from './cluster';
