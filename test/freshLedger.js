// After every test: the embedded call ledger of this test file's n8n folder is emptied, so that
// each test calls its candidates afresh (the ledger itself is what the tests of it check).
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const LEDGER = join(process.env.N8N_USER_FOLDER, '.n8n', 'storage', 'n8n-nodes-voice-recruiting.agentCall', 'call-ledger.sqlite');

afterEach(() => {
	if (!existsSync(LEDGER)) return;
	const { DatabaseSync } = require('node:sqlite');
	const db = new DatabaseSync(LEDGER);
	db.exec('PRAGMA busy_timeout = 10000');
	for (const table of ['voice_recruiting_call_attempts', 'voice_recruiting_call_keys', 'voice_recruiting_do_not_call']) {
		db.exec(`DELETE FROM ${table}`);
	}
	db.close();
});
