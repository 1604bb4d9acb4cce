/** Unit and engine tests. The engine tests load the built package from dist/, as n8n does. */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['<rootDir>/test/unit/**/*.test.ts', '<rootDir>/test/sandbox/**/*.test.ts', '<rootDir>/test/engine/**/*.test.ts', '<rootDir>/test/deploy/**/*.test.ts', '<rootDir>/test/ledger/**/*.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.jest.json' }] },
	setupFiles: ['<rootDir>/test/setup.js'],
	setupFilesAfterEnv: ['<rootDir>/test/freshLedger.js'],
	testTimeout: 60000,
};
