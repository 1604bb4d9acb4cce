/**
 * A PDF read as a person would: its text (pdftotext) and its pages as PNG pictures (pdftoppm),
 * from Debian's poppler-utils, installed with apt when missing. For the report's tests, the demo
 * and the documentation pictures.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import { aptInstall } from './debianPackages';
import { runChecked } from './process';

async function ensurePoppler(): Promise<void> {
	if (existsSync('/usr/bin/pdftotext') && existsSync('/usr/bin/pdftoppm')) return;
	await aptInstall(['poppler-utils'], 'pdftotext and pdftoppm are missing');
}

async function withPdfFile<T>(pdf: Buffer, use: (file: string) => Promise<T>): Promise<T> {
	const dir = await mkdtemp(path.join(tmpdir(), 'pdf-'));
	try {
		const file = path.join(dir, 'document.pdf');
		await writeFile(file, pdf);
		return await use(file);
	} finally {
		await rm(dir, { recursive: true, force: true });
	}
}

/** The PDF's text, laid out as on the page. */
export async function pdfText(pdf: Buffer): Promise<string> {
	await ensurePoppler();
	return await withPdfFile(pdf, async (file) => {
		return (await runChecked('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'])).stdout;
	});
}

/** Pages `first`…`last` as PNG files `<prefix>-<n>.png` at `dpi`; returns their paths. */
export async function pdfPages(
	pdf: Buffer,
	prefix: string,
	options: { first?: number; last?: number; dpi?: number } = {},
): Promise<string[]> {
	await ensurePoppler();
	return await withPdfFile(pdf, async (file) => {
		const args = ['-png', '-r', String(options.dpi ?? 80)];
		if (options.first) args.push('-f', String(options.first));
		if (options.last) args.push('-l', String(options.last));
		await runChecked('pdftoppm', [...args, file, prefix]);
		const base = path.basename(prefix);
		return (await readdir(path.dirname(prefix)))
			.filter((name) => name.startsWith(`${base}-`) && name.endsWith('.png'))
			.sort()
			.map((name) => path.join(path.dirname(prefix), name));
	});
}
