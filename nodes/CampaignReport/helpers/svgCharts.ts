/** The report's charts as inline SVG text: bars, columns and the weekday × hour heat map. */
import type { BarChart, ReportView } from './reportView';

/** Text for HTML and SVG: every markup character escaped, so a value never becomes markup. */
export function escapeHtml(value: string): string {
	return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export const CHART_COLOUR = '#0f766e';
const MUTED = '#64748b';
const GRID = '#e2e8f0';

function shorten(label: string, max: number): string {
	const chars = Array.from(label);
	return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : label;
}

/** Horizontal bars: label, bar, count (and a share when given). */
export function barsSvg(
	bars: Array<{ label: string; count: number; share?: string }>,
	width = 460,
): string {
	const labelWidth = Math.min(200, Math.round(width * 0.42));
	const rowHeight = 24;
	const max = Math.max(1, ...bars.map((b) => b.count));
	const barSpace = width - labelWidth - 90;
	const height = bars.length * rowHeight + 4;
	const rows = bars
		.map((bar, i) => {
			const y = i * rowHeight + 2;
			const length = Math.max(bar.count ? 2 : 0, Math.round((bar.count / max) * barSpace));
			const value = bar.share ? `${bar.count} · ${bar.share}` : String(bar.count);
			return (
				`<text x="${labelWidth - 8}" y="${y + 15}" text-anchor="end">${escapeHtml(shorten(bar.label, 30))}<title>${escapeHtml(bar.label)}</title></text>` +
				`<rect x="${labelWidth}" y="${y + 3}" width="${length}" height="${rowHeight - 8}" rx="3" fill="${CHART_COLOUR}"/>` +
				`<text x="${labelWidth + length + 6}" y="${y + 15}" fill="${MUTED}">${escapeHtml(value)}</text>`
			);
		})
		.join('');
	return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" font-size="12">${rows}</svg>`;
}

/** Vertical columns in order (a histogram, months), counts on top, labels below. */
export function columnsSvg(bars: BarChart['bars'], width = 460): string {
	const height = 150;
	const bottom = 120;
	const max = Math.max(1, ...bars.map((b) => b.count));
	const slot = width / Math.max(1, bars.length);
	const columnWidth = Math.max(6, Math.min(48, slot - 8));
	const columns = bars
		.map((bar, i) => {
			const x = i * slot + (slot - columnWidth) / 2;
			const h = Math.round((bar.count / max) * (bottom - 20));
			const centre = x + columnWidth / 2;
			return (
				`<rect x="${x.toFixed(1)}" y="${bottom - h}" width="${columnWidth.toFixed(1)}" height="${h}" rx="2" fill="${CHART_COLOUR}"/>` +
				`<text x="${centre.toFixed(1)}" y="${bottom - h - 4}" text-anchor="middle" fill="${MUTED}">${bar.count}</text>` +
				`<text x="${centre.toFixed(1)}" y="${bottom + 16}" text-anchor="middle">${escapeHtml(shorten(bar.label, Math.max(4, Math.floor(slot / 7))))}</text>`
			);
		})
		.join('');
	return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" font-size="11"><line x1="0" y1="${bottom}" x2="${width}" y2="${bottom}" stroke="${GRID}"/>${columns}</svg>`;
}

/** Seven rows (weekdays) of 24 hours; the darker, the more answered calls. */
export function heatMapSvg(heat: ReportView['heat']): string {
	const cell = 22;
	const left = 40;
	const top = 18;
	const width = left + 24 * cell + 4;
	const height = top + 7 * cell + 4;
	const parts: string[] = [];
	for (let hour = 0; hour < 24; hour += 3) {
		parts.push(
			`<text x="${left + hour * cell + 2}" y="12" fill="${MUTED}">${String(hour).padStart(2, '0')}</text>`,
		);
	}
	heat.cells.forEach((hours, day) => {
		const y = top + day * cell;
		parts.push(
			`<text x="${left - 6}" y="${y + 15}" text-anchor="end">${escapeHtml(heat.weekdays[day])}</text>`,
		);
		hours.forEach((count, hour) => {
			const x = left + hour * cell;
			const strength = heat.max ? count / heat.max : 0;
			const fill = count ? CHART_COLOUR : '#f1f5f9';
			const opacity = count ? (0.18 + 0.82 * strength).toFixed(2) : '1';
			parts.push(
				`<rect x="${x}" y="${y}" width="${cell - 2}" height="${cell - 2}" rx="2" fill="${fill}" fill-opacity="${opacity}"><title>${escapeHtml(`${heat.weekdays[day]} ${String(hour).padStart(2, '0')}:00: ${count}`)}</title></rect>`,
			);
			if (count)
				parts.push(
					`<text x="${x + (cell - 2) / 2}" y="${y + 15}" text-anchor="middle" font-size="10" fill="${strength > 0.5 ? '#fff' : '#0f172a'}">${count}</text>`,
				);
		});
	});
	return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" font-size="11">${parts.join('')}</svg>`;
}
