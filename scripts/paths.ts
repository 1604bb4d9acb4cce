/** Paths of the repository that the developer scripts, tests and benchmarks share. */
import * as path from 'node:path';

/** The repository's root folder (this file is in `scripts/`). */
export const REPO_ROOT = path.resolve(__dirname, '..');
