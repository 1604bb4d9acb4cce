/**
 * The report as a PDF (A4) with pdfkit, in DejaVu Sans from the dejavu-fonts-ttf package, which
 * has every Latin, Greek and Cyrillic letter (ä ö ü ß, ı, ł …); characters beyond it print as an
 * empty box, never as a broken file. The charts are the page's, drawn as vectors; the candidate
 * table runs over as many pages as it needs, its heading repeated on each.
 */
import { CHART_COLOUR } from './svgCharts';
import type { BarChart, Figure, ReportView } from './reportView';

const FONT = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const FONT_BOLD = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');

const MARGIN = 40;
const INK = '#0f172a';
const MUTED = '#64748b';
const LINE = '#e2e8f0';
const PAGE_BOTTOM = 841.89 - MARGIN - 16;

type Doc = PDFKit.PDFDocument;

function ensureSpace(doc: Doc, height: number): void {
	if (doc.y + height > PAGE_BOTTOM) doc.addPage();
}

/** A section heading, kept on one page with the start of what follows it. */
function heading(doc: Doc, text: string, size = 14, keep = 110): void {
	ensureSpace(doc, size + keep);
	doc.moveDown(0.6).font('bold').fontSize(size).fillColor(INK).text(text, MARGIN, doc.y);
	doc.moveDown(0.3).font('regular');
}

function note(doc: Doc, text: string, x = MARGIN, width?: number): void {
	if (!text) return;
	doc
		.font('regular')
		.fontSize(8)
		.fillColor(MUTED)
		.text(text, x, doc.y + 2, { width });
}

/** Horizontal bars at (x, y); returns the height used. */
function bars(
	doc: Doc,
	list: Array<{ label: string; count: number; share?: string }>,
	x: number,
	y: number,
	width: number,
): number {
	const labelWidth = Math.round(width * 0.42);
	const barSpace = width - labelWidth - 60;
	const max = Math.max(1, ...list.map((b) => b.count));
	const row = 15;
	list.forEach((bar, i) => {
		const top = y + i * row;
		const length = Math.max(bar.count ? 1.5 : 0, (bar.count / max) * barSpace);
		doc.font('regular').fontSize(8).fillColor(INK);
		doc.text(bar.label, x, top + 2, {
			width: labelWidth - 6,
			align: 'right',
			lineBreak: false,
			ellipsis: true,
			height: 10,
		});
		doc.rect(x + labelWidth, top + 2, length, row - 5).fill(CHART_COLOUR);
		doc
			.fillColor(MUTED)
			.text(
				bar.share ? `${bar.count} · ${bar.share}` : String(bar.count),
				x + labelWidth + length + 4,
				top + 2,
				{
					lineBreak: false,
				},
			);
	});
	return list.length * row;
}

/** Vertical columns (a histogram, months); returns the height used. */
function columns(doc: Doc, list: BarChart['bars'], x: number, y: number, width: number): number {
	const height = 70;
	const max = Math.max(1, ...list.map((b) => b.count));
	const slot = width / Math.max(1, list.length);
	const columnWidth = Math.max(4, Math.min(30, slot - 6));
	doc
		.moveTo(x, y + height)
		.lineTo(x + width, y + height)
		.lineWidth(0.5)
		.strokeColor(LINE)
		.stroke();
	list.forEach((bar, i) => {
		const left = x + i * slot + (slot - columnWidth) / 2;
		const h = (bar.count / max) * (height - 14);
		doc.rect(left, y + height - h, columnWidth, h).fill(CHART_COLOUR);
		doc.font('regular').fontSize(7).fillColor(MUTED);
		doc.text(String(bar.count), left - 10, y + height - h - 9, {
			width: columnWidth + 20,
			align: 'center',
			lineBreak: false,
		});
		doc.fillColor(INK).text(bar.label, x + i * slot, y + height + 3, {
			width: slot,
			align: 'center',
			lineBreak: false,
			ellipsis: true,
			height: 9,
		});
	});
	return height + 14;
}

/** One titled chart in a column of the page; returns its bottom. */
function chart(doc: Doc, bar: BarChart, x: number, y: number, width: number): number {
	let top = y;
	if (bar.title) {
		doc
			.font('bold')
			.fontSize(9)
			.fillColor(INK)
			.text(bar.title, x, top, { width, lineBreak: false, ellipsis: true, height: 12 });
		top += 14;
	}
	if (bar.bars.length)
		top += bar.columns ? columns(doc, bar.bars, x, top, width) : bars(doc, bar.bars, x, top, width);
	if (bar.note) {
		doc
			.font('regular')
			.fontSize(7.5)
			.fillColor(MUTED)
			.text(bar.note, x, top + 2, { width });
		top = doc.y;
	}
	return top + 8;
}

/** Charts two to a row. */
function chartGrid(doc: Doc, list: BarChart[]): void {
	const width = (doc.page.width - 2 * MARGIN - 20) / 2;
	for (let i = 0; i < list.length; i += 2) {
		const pair = list.slice(i, i + 2);
		const tallest = Math.max(
			...pair.map((c) => 30 + (c.columns ? 84 : c.bars.length * 15) + (c.note ? 12 : 0)),
		);
		ensureSpace(doc, tallest);
		const y = doc.y;
		const bottoms = pair.map((c, j) => chart(doc, c, MARGIN + j * (width + 20), y, width));
		doc.x = MARGIN;
		doc.y = Math.max(...bottoms);
	}
}

function heatMap(doc: Doc, heat: ReportView['heat']): void {
	const cell = 19.5;
	const left = MARGIN + 28;
	ensureSpace(doc, 12 + 7 * cell + 20);
	const top = doc.y + 10;
	doc.font('regular').fontSize(7).fillColor(MUTED);
	for (let hour = 0; hour < 24; hour += 3)
		doc.text(String(hour).padStart(2, '0'), left + hour * cell, top - 9, { lineBreak: false });
	heat.cells.forEach((hours, day) => {
		const y = top + day * cell;
		doc
			.font('regular')
			.fontSize(8)
			.fillColor(INK)
			.text(heat.weekdays[day], MARGIN, y + 5, { lineBreak: false });
		hours.forEach((count, hour) => {
			const x = left + hour * cell;
			const strength = heat.max ? count / heat.max : 0;
			if (count)
				doc
					.rect(x, y, cell - 2, cell - 2)
					.fillOpacity(0.18 + 0.82 * strength)
					.fill(CHART_COLOUR);
			else
				doc
					.rect(x, y, cell - 2, cell - 2)
					.fillOpacity(1)
					.fill('#f1f5f9');
			doc.fillOpacity(1);
			if (count)
				doc
					.fontSize(7)
					.fillColor(strength > 0.5 ? '#ffffff' : INK)
					.text(String(count), x, y + 5.5, {
						width: cell - 2,
						align: 'center',
						lineBreak: false,
					});
		});
	});
	doc.x = MARGIN;
	doc.y = top + 7 * cell + 2;
}

function figures(doc: Doc, list: Figure[]): void {
	const width = (doc.page.width - 2 * MARGIN) / 2;
	for (let i = 0; i < list.length; i += 2) {
		ensureSpace(doc, 34);
		const y = doc.y;
		list.slice(i, i + 2).forEach((f, j) => {
			const x = MARGIN + j * width;
			const colour = f.ok === true ? '#047857' : f.ok === false ? '#b91c1c' : INK;
			doc
				.font('bold')
				.fontSize(12)
				.fillColor(colour)
				.text(f.value, x, y, { width: width - 10 });
			doc
				.font('regular')
				.fontSize(8)
				.fillColor(MUTED)
				.text(f.label, x, doc.y, { width: width - 10 });
		});
		doc.x = MARGIN;
		doc.y = y + 34;
	}
}

/** Which table columns fit on A4: name, outcome, consent, interest, must-haves, three answers, summary. */
function pdfColumns(view: ReportView): number[] {
	const { headers, summaryColumn } = view.table;
	const mustHaves = headers.includes(view.texts.columns.mustHaves);
	const fixed = [0, 1, 4, 5, ...(mustHaves ? [6] : [])];
	const firstAnswer = mustHaves ? 7 : 6;
	const answers: number[] = [];
	for (let c = firstAnswer; c < summaryColumn && answers.length < 3; c++) answers.push(c);
	return [...fixed, ...answers, summaryColumn];
}

function table(doc: Doc, view: ReportView): void {
	const chosen = pdfColumns(view);
	const total = doc.page.width - 2 * MARGIN;
	const weights = chosen.map((c) =>
		c === view.table.summaryColumn ? 3 : c === 0 ? 1.6 : c === 1 ? 1.5 : 1,
	);
	const unit = total / weights.reduce((a, b) => a + b, 0);
	const widths = weights.map((w) => w * unit);
	const rowHeight = 22;
	const header = () => {
		const y = doc.y;
		doc.rect(MARGIN, y, total, 16).fill('#f1f5f9');
		let x = MARGIN;
		chosen.forEach((c, i) => {
			doc
				.font('bold')
				.fontSize(7.5)
				.fillColor(INK)
				.text(view.table.headers[c], x + 3, y + 4, {
					width: widths[i] - 6,
					lineBreak: false,
					ellipsis: true,
					height: 10,
				});
			x += widths[i];
		});
		doc.y = y + 18;
	};
	heading(doc, view.texts.tableTitle);
	header();
	view.table.rows.forEach((cells) => {
		if (doc.y + rowHeight > PAGE_BOTTOM) {
			doc.addPage();
			header();
		}
		const y = doc.y;
		let x = MARGIN;
		chosen.forEach((c, i) => {
			doc
				.font('regular')
				.fontSize(7.5)
				.fillColor(INK)
				.text(cells[c], x + 3, y + 2, {
					width: widths[i] - 6,
					height: rowHeight - 4,
					ellipsis: true,
				});
			x += widths[i];
		});
		doc
			.moveTo(MARGIN, y + rowHeight)
			.lineTo(MARGIN + total, y + rowHeight)
			.lineWidth(0.4)
			.strokeColor(LINE)
			.stroke();
		doc.x = MARGIN;
		doc.y = y + rowHeight + 1;
	});
}

/** The PDF file's bytes. */
export async function renderPdfReport(view: ReportView): Promise<Buffer> {
	// pdfkit loads on first use only, so that n8n's start-up does not pay for it.
	const { default: PDFDocument } = await import('pdfkit');
	const t = view.texts;
	const doc = new PDFDocument({
		size: 'A4',
		margin: MARGIN,
		bufferPages: true,
		info: { Title: view.title, Subject: view.subtitle, Producer: 'n8n-nodes-voice-recruiting' },
		lang: view.language,
	});
	const chunks: Buffer[] = [];
	const done = new Promise<Buffer>((resolve, reject) => {
		doc.on('data', (chunk: Buffer) => chunks.push(chunk));
		doc.on('end', () => resolve(Buffer.concat(chunks)));
		doc.on('error', reject);
	});
	doc.registerFont('regular', FONT);
	doc.registerFont('bold', FONT_BOLD);

	doc.font('bold').fontSize(20).fillColor(INK).text(view.title);
	doc.font('regular').fontSize(9).fillColor(MUTED).text(view.subtitle);
	const width = doc.page.width - 2 * MARGIN;
	if (view.empty) {
		heading(doc, t.empty, 12);
	} else {
		heading(doc, t.funnelTitle);
		doc.y += bars(doc, view.funnel, MARGIN, doc.y, width) + 4;

		heading(doc, t.reachTitle);
		chartGrid(doc, [view.byAttempt, view.byWay]);
		doc
			.font('bold')
			.fontSize(9)
			.fillColor(INK)
			.text(t.heatTitle, MARGIN, doc.y + 4);
		heatMap(doc, view.heat);
		note(doc, [t.heatHint, view.heat.note].filter(Boolean).join(' · '), MARGIN, width);

		heading(doc, t.outcomesTitle);
		doc.y += bars(doc, view.outcomes.bars, MARGIN, doc.y, width * 0.75) + 6;
		if (view.callbacks.length) {
			doc.font('bold').fontSize(9).fillColor(INK).text(t.callbacksTitle, MARGIN, doc.y);
			for (const c of view.callbacks) {
				ensureSpace(doc, 12);
				doc
					.font('regular')
					.fontSize(8)
					.fillColor(INK)
					.text(`${c.name}: ${c.time}`, MARGIN + 8, doc.y, { width: width - 8 });
			}
		}
		if (view.answers.length) {
			heading(doc, t.answersTitle);
			chartGrid(doc, view.answers);
		}
		heading(doc, t.costTitle);
		figures(doc, view.cost);
		heading(doc, t.complianceTitle);
		figures(doc, view.compliance);
		ensureSpace(doc, 50);
		const top = doc.y;
		doc
			.font('regular')
			.fontSize(8.5)
			.fillColor(INK)
			.text(t.gdprNote, MARGIN + 10, top + 4, { width: width - 14 });
		doc.rect(MARGIN, top, 3, doc.y - top + 4).fill(CHART_COLOUR);
		doc.x = MARGIN;
		doc.y += 8;
	}
	if (view.notes.length) {
		heading(doc, t.notesTitle, 11);
		for (const line of view.notes)
			doc.font('regular').fontSize(8).fillColor(INK).text(`• ${line}`, MARGIN, doc.y, { width });
	}
	if (!view.empty) {
		doc.addPage();
		table(doc, view);
	}

	const range = doc.bufferedPageRange();
	for (let i = range.start; i < range.start + range.count; i++) {
		doc.switchToPage(i);
		// The footer sits in the bottom margin, where pdfkit would otherwise start a new page.
		doc.page.margins.bottom = 0;
		doc.font('regular').fontSize(7.5).fillColor(MUTED);
		const footer = `${view.title} · ${t.page.replace('{page}', String(i + 1)).replace('{pages}', String(range.count))}`;
		doc.text(footer, MARGIN, doc.page.height - MARGIN + 8, {
			width,
			align: 'center',
			lineBreak: false,
			height: 10,
		});
	}
	doc.end();
	return await done;
}
