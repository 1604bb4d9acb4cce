/** Lint rules: n8n's own, with only the no-runtime-dependencies rule switched off */
import { configWithoutCloudSupport } from '@n8n/node-cli/eslint';

// n8n's own rules. The package ships the vendor SDKs as runtime dependencies (self-hosted n8n
// only, see README "Limits"), so that one rule is switched off and nothing else.
export default [
	...configWithoutCloudSupport,
	{
		files: ['package.json'],
		rules: { '@n8n/community-nodes/no-runtime-dependencies': 'off' },
	},
];
