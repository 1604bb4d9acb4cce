/**
 * Pictures of the example workflows as they look in the n8n editor: headless Debian Chromium
 * (playwright-core) logs into a running n8n, opens `/workflow/<id>`, waits for the canvas and
 * saves `docs/images/workflow-<name>.png` (name: the file name in workflows/ without `.json`).
 *
 * The e2e suite (test/e2e/workflows.test.ts) calls `takeWorkflowScreenshots()` with its n8n.
 * `npx tsx scripts/screenshots.ts` does the same on its own: a fresh n8n with the package (dist/
 * must be built), the sandbox credentials, stand-in credentials for Google, Typeform and SMTP
 * (so that the canvas shows no "credentials missing" warnings) and every example workflow.
 */
import { mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import type { Page } from 'playwright-core';

import { N8N_CREDENTIAL_IDS, n8nCredentialsForUrl } from '../sandbox';
import { launchChromium } from './chromium';
import { DEFAULT_OWNER, N8nInstance, packPackage } from './n8n';
import type { CredentialImport, OwnerAccount, WorkflowJson } from './n8n';
import { REPO_ROOT } from './paths';
import { formatDuration, progress } from './process';

export const IMAGES_DIR = path.join(REPO_ROOT, 'docs', 'images');

export interface ScreenshotTarget {
	/** Workflow id in n8n. */
	id: string;
	/** File name part: docs/images/workflow-<name>.png. */
	name: string;
	/** Nodes the canvas must show before the picture is taken. */
	nodeCount: number;
}

export interface ScreenshotOptions {
	baseUrl: string;
	owner?: OwnerAccount;
	targets: ScreenshotTarget[];
	outDir?: string;
	/** Browser viewport; the canvas fits the workflow into it. */
	viewport?: { width: number; height: number };
}

/** Logs into n8n's sign-in page. */
async function logIn(page: Page, baseUrl: string, owner: OwnerAccount): Promise<void> {
	await page.goto(`${baseUrl}/signin`);
	await page
		.locator('input[name="emailOrLdapLoginId"], input[type="email"]')
		.first()
		.fill(owner.email);
	await page.locator('input[name="password"], input[type="password"]').first().fill(owner.password);
	await page.locator('button[type="submit"], [data-test-id="form-submit-button"]').first().click();
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: 60_000 });
}

/** Opens each workflow, waits until its nodes are on the canvas, and saves the picture. Returns the files. */
export async function takeWorkflowScreenshots(options: ScreenshotOptions): Promise<string[]> {
	const outDir = options.outDir ?? IMAGES_DIR;
	await mkdir(outDir, { recursive: true });
	const browser = await launchChromium();
	const files: string[] = [];
	try {
		const context = await browser.newContext({
			viewport: options.viewport ?? { width: 1600, height: 1000 },
			deviceScaleFactor: 1,
			locale: 'en-US',
		});
		const page = await context.newPage();
		await logIn(page, options.baseUrl, options.owner ?? DEFAULT_OWNER);
		for (const target of options.targets) {
			await page.goto(`${options.baseUrl}/workflow/${target.id}`);
			const nodes = page.locator('.vue-flow__node');
			// Runs in the page (a string, as this file is compiled without the DOM types).
			await page.waitForFunction(
				`document.querySelectorAll('.vue-flow__node').length >= ${target.nodeCount}`,
				undefined,
				{
					timeout: 60_000,
				},
			);
			// Close whatever the editor pops up over the canvas (tips, banners).
			await page.keyboard.press('Escape');
			// The canvas fits the view after the nodes are measured; let that and the fonts settle.
			await page.evaluate('document.fonts.ready.then(() => true)');
			await page.waitForTimeout(1500);
			if ((await nodes.count()) < target.nodeCount)
				throw new Error(`Workflow ${target.id}: the canvas shows fewer nodes than expected`);
			const file = path.join(outDir, `workflow-${target.name}.png`);
			await page.screenshot({ path: file });
			files.push(file);
		}
		await context.close();
	} finally {
		await browser.close();
	}
	return files;
}

/**
 * Stand-ins for the accounts the examples need besides ElevenLabs, with the ids the workflow
 * files reference, so that the editor shows the credentials as set. They reach nothing.
 */
export function standInCredentials(): CredentialImport[] {
	return [
		{
			id: 'googleSheetsAccount',
			name: 'Google Sheets account',
			type: 'googleSheetsOAuth2Api',
			data: { clientId: 'stand-in', clientSecret: 'stand-in' },
		},
		{
			id: 'googleSheetsTrigger',
			name: 'Google Sheets Trigger account',
			type: 'googleSheetsTriggerOAuth2Api',
			data: { clientId: 'stand-in', clientSecret: 'stand-in' },
		},
		{
			id: 'typeformAccount',
			name: 'Typeform account',
			type: 'typeformApi',
			data: { accessToken: 'stand-in' },
		},
		{
			id: 'smtpAccount',
			name: 'SMTP account',
			type: 'smtp',
			data: { host: '127.0.0.1', port: 2525, secure: false, user: '', password: '' },
		},
		{
			id: 'reportBasicAuth',
			name: 'Campaign report login',
			type: 'httpBasicAuth',
			data: { user: 'stand-in', password: 'stand-in' },
		},
	];
}

/** The screenshot targets of workflow files: one per file, named after it. */
export function targetsFor(
	files: Array<{ file: string; workflow: WorkflowJson }>,
): ScreenshotTarget[] {
	return files.map(({ file, workflow }) => ({
		id: workflow.id,
		name: path.basename(file, '.json'),
		nodeCount: workflow.nodes.length,
	}));
}

async function main(): Promise<void> {
	const started = Date.now();
	const { exampleWorkflowFiles, readWorkflow } = await import('./demo');
	const files = await Promise.all(
		(await exampleWorkflowFiles()).map(async (file) => ({
			file,
			workflow: await readWorkflow(file),
		})),
	);
	const n8n = await N8nInstance.create({
		tarball: await packPackage(),
		label: 'screenshots',
		env: { NODE_ENV: 'production' },
	});
	try {
		await n8n.importCredentials([
			...n8nCredentialsForUrl('http://127.0.0.1:8790'),
			...standInCredentials(),
		]);
		await n8n.importWorkflows(files.map(({ workflow }) => workflow));
		const baseUrl = await n8n.start();
		await n8n.setupOwner();
		const saved = await takeWorkflowScreenshots({ baseUrl, targets: targetsFor(files) });
		for (const file of saved) progress(`screenshots: ${path.relative(REPO_ROOT, file)}`);
		progress(
			`screenshots: ${saved.length} pictures in ${formatDuration(Date.now() - started)} (credential ids ${Object.values(N8N_CREDENTIAL_IDS).join(', ')})`,
		);
	} finally {
		await n8n.dispose();
	}
}

if (require.main === module) {
	main().catch((error: unknown) => {
		process.stderr.write(
			`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
		);
		process.exit(1);
	});
}
