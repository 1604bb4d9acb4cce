/**
 * End-to-end tests: the packed package inside a real n8n 2.41.1 on Node 24 (npm run test:e2e).
 * The first run installs n8n into ~/.cache (minutes); globalSetup does that once, with progress.
 */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.jest.json' }] },
	globalSetup: '<rootDir>/test/e2e/globalSetup.ts',
	// Every test file runs its own n8n processes: several at once only slow each other down.
	maxWorkers: 1,
	// n8n CLI commands take seconds each, `n8n start` tens of seconds on a small machine.
	testTimeout: 240000,
	slowTestThreshold: 60,
};
