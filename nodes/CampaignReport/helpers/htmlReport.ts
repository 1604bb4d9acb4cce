/**
 * The report as one self-contained HTML page: inline CSS, inline SVG charts and a small inline
 * script that sorts and filters the candidate table. It loads nothing from anywhere, prints on
 * paper, and every value from the rows is escaped text.
 */
import { barsSvg, columnsSvg, escapeHtml, heatMapSvg } from './svgCharts';
import type { BarChart, Figure, ReportView } from './reportView';

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#0f172a;background:#f8fafc}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:26px;margin:0 0 4px}
h2{font-size:18px;margin:0 0 12px}
h3{font-size:14px;margin:0 0 8px;color:#334155}
.subtitle{color:#64748b;margin:0 0 20px}
section{background:#fff;border:1px solid #e2e8f0;border-radius:10px;padding:18px 20px;margin:0 0 18px;break-inside:avoid}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:18px}
.chart svg{max-width:100%;height:auto}
.note{color:#64748b;font-size:12px;margin:4px 0 0}
.figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(200px,1fr));gap:12px;margin:0;padding:0;list-style:none}
.figures li{border:1px solid #e2e8f0;border-radius:8px;padding:10px 12px}
.figures .value{display:block;font-size:20px;font-weight:600}
.figures .label{color:#475569;font-size:12px}
.ok .value{color:#047857}.warn .value{color:#b91c1c}
.gdpr{border-left:4px solid #0f766e;background:#f0fdfa;padding:10px 14px;margin:14px 0 0;border-radius:0 8px 8px 0}
.controls{display:flex;flex-wrap:wrap;gap:10px;align-items:center;margin:0 0 10px}
.controls input,.controls select{font:inherit;padding:6px 8px;border:1px solid #cbd5e1;border-radius:6px}
.controls input{min-width:240px}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{text-align:left;vertical-align:top;padding:6px 8px;border-bottom:1px solid #e2e8f0}
th{background:#f1f5f9;position:sticky;top:0;cursor:pointer;white-space:nowrap;user-select:none}
th[aria-sort=ascending]::after{content:" ▲"}th[aria-sort=descending]::after{content:" ▼"}
td.summary{min-width:260px;max-width:420px}
ul.plain{margin:0;padding-left:18px}
@media print{body{background:#fff}main{max-width:none;padding:0}.controls{display:none}section{border:0;padding:0 0 12px}th{position:static}a{color:inherit}}
`;

// Sorts by a clicked column (numbers as numbers) and filters by text and outcome, on the rows already in the page.
const SCRIPT = `(function(){
var table=document.getElementById('candidates');if(!table)return;
var body=table.tBodies[0],rows=Array.prototype.slice.call(body.rows);
var text=rows.map(function(r){return r.textContent.toLowerCase();});
var filter=document.getElementById('filter'),outcome=document.getElementById('outcome'),count=document.getElementById('shown');
var template=count.getAttribute('data-template');
var collator=new Intl.Collator(document.documentElement.lang,{numeric:true,sensitivity:'base'});
function apply(){var q=filter.value.trim().toLowerCase(),o=outcome.value,shown=0;
rows.forEach(function(r,i){var show=(!q||text[i].indexOf(q)>=0)&&(!o||r.getAttribute('data-outcome')===o);r.hidden=!show;if(show)shown++;});
count.textContent=template.replace('{shown}',shown).replace('{total}',rows.length);}
filter.addEventListener('input',apply);outcome.addEventListener('change',apply);
Array.prototype.forEach.call(table.tHead.rows[0].cells,function(th,col){th.addEventListener('click',function(){
var dir=th.getAttribute('aria-sort')==='ascending'?-1:1;
Array.prototype.forEach.call(table.tHead.rows[0].cells,function(c){c.removeAttribute('aria-sort');});
th.setAttribute('aria-sort',dir>0?'ascending':'descending');
var order=rows.map(function(r,i){return i;});
order.sort(function(a,b){return dir*collator.compare(rows[a].cells[col].textContent,rows[b].cells[col].textContent)||a-b;});
var fragment=document.createDocumentFragment();order.forEach(function(i){fragment.appendChild(rows[i]);});body.appendChild(fragment);});});
apply();})();`;

function chart(bar: BarChart): string {
	const svg = bar.bars.length ? (bar.columns ? columnsSvg(bar.bars) : barsSvg(bar.bars)) : '';
	const note = bar.note ? `<p class="note">${escapeHtml(bar.note)}</p>` : '';
	const title = bar.title ? `<h3>${escapeHtml(bar.title)}</h3>` : '';
	return `<div class="chart">${title}${svg}${note}</div>`;
}

function figures(list: Figure[]): string {
	return `<ul class="figures">${list
		.map(
			(f) =>
				`<li class="${f.ok === true ? 'ok' : f.ok === false ? 'warn' : ''}"><span class="value">${escapeHtml(f.value)}</span><span class="label">${escapeHtml(f.label)}</span></li>`,
		)
		.join('')}</ul>`;
}

function table(view: ReportView): string {
	const t = view.texts;
	const { headers, rows, links, outcomes, summaryColumn, transcriptColumn } = view.table;
	const choices = [...new Set(outcomes)]
		.map((o) => `<option value="${escapeHtml(o)}">${escapeHtml(o)}</option>`)
		.join('');
	const head = headers.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('');
	const body = rows
		.map((cells, r) => {
			const tds = cells
				.map((cell, c) => {
					if (c === transcriptColumn)
						return links[r]
							? `<td><a href="${escapeHtml(links[r])}" target="_blank" rel="noopener noreferrer">${escapeHtml(cell)}</a></td>`
							: '<td></td>';
					return c === summaryColumn
						? `<td class="summary">${escapeHtml(cell)}</td>`
						: `<td>${escapeHtml(cell)}</td>`;
				})
				.join('');
			return `<tr data-outcome="${escapeHtml(outcomes[r])}">${tds}</tr>`;
		})
		.join('\n');
	const template = escapeHtml(t.shown);
	return `<section><h2>${escapeHtml(t.tableTitle)}</h2>
<div class="controls"><input id="filter" type="search" placeholder="${escapeHtml(t.filter)}" aria-label="${escapeHtml(t.filter)}">
<label>${escapeHtml(t.filterOutcome)} <select id="outcome"><option value="">${escapeHtml(t.all)}</option>${choices}</select></label>
<span id="shown" class="note" data-template="${template}"></span><span class="note">${escapeHtml(t.sortHint)}</span></div>
<div class="table-wrap"><table id="candidates"><thead><tr>${head}</tr></thead><tbody>
${body}
</tbody></table></div></section>`;
}

/** The whole page. */
export function renderHtmlReport(view: ReportView): string {
	const t = view.texts;
	const sections: string[] = [];
	if (view.empty) {
		sections.push(`<section><p>${escapeHtml(t.empty)}</p></section>`);
	} else {
		sections.push(
			`<section><h2>${escapeHtml(t.funnelTitle)}</h2><div class="chart">${barsSvg(view.funnel, 640)}</div></section>`,
		);
		sections.push(
			`<section><h2>${escapeHtml(t.reachTitle)}</h2><div class="grid">${chart(view.byAttempt)}${chart(view.byWay)}</div>` +
				`<h3 style="margin-top:16px">${escapeHtml(t.heatTitle)}</h3><div class="chart">${heatMapSvg(view.heat)}</div>` +
				`<p class="note">${escapeHtml(t.heatHint)}${view.heat.note ? ` · ${escapeHtml(view.heat.note)}` : ''}</p></section>`,
		);
		const callbacks = view.callbacks.length
			? `<div><h3>${escapeHtml(t.callbacksTitle)}</h3><ul class="plain">${view.callbacks
					.map((c) => `<li>${escapeHtml(c.name)}: ${escapeHtml(c.time)}</li>`)
					.join('')}</ul></div>`
			: '';
		sections.push(
			`<section><h2>${escapeHtml(t.outcomesTitle)}</h2><div class="grid">${chart({ ...view.outcomes, title: '' })}${callbacks}</div></section>`,
		);
		if (view.answers.length)
			sections.push(
				`<section><h2>${escapeHtml(t.answersTitle)}</h2><div class="grid">${view.answers.map(chart).join('')}</div></section>`,
			);
		sections.push(
			`<section><h2>${escapeHtml(t.costTitle)}</h2>${figures(view.cost)}</section>`,
			`<section><h2>${escapeHtml(t.complianceTitle)}</h2>${figures(view.compliance)}<p class="gdpr">${escapeHtml(t.gdprNote)}</p></section>`,
		);
		sections.push(table(view));
	}
	if (view.notes.length)
		sections.push(
			`<section><h2>${escapeHtml(t.notesTitle)}</h2><ul class="plain">${view.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul></section>`,
		);
	if (view.empty) sections.push(`<section><p class="gdpr">${escapeHtml(t.gdprNote)}</p></section>`);
	return `<!DOCTYPE html>
<html lang="${view.language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><meta name="referrer" content="no-referrer">
<title>${escapeHtml(view.title)}</title><style>${STYLE}</style></head>
<body><main><h1>${escapeHtml(view.title)}</h1><p class="subtitle">${escapeHtml(view.subtitle)}</p>
${sections.join('\n')}
</main><script>${SCRIPT}</script></body></html>`;
}
