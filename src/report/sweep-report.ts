/**
 * A sweep's report: one figure per varied parameter, each a panel per metric (metric against the parameter's
 * value; a dot per run coloured by seed, a line through the mean at each value), written as figures/<name>.vl.json
 * and .svg, and report.html with the counts, the failed runs and their errors, and the figures. Built from the
 * sweep's table alone (points.csv's rows), so it is the same whichever way the runs ran.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { baseSpec, type Figure } from './vl.js';
import { renderSvg } from './render.js';
import { esc } from './html.js';

export interface SweepReportRow {
  point: string;
  seed: number;
  params: Record<string, unknown>;
  status: string;
  run: string;
  error?: string;
  metrics: Record<string, number | string | boolean | null>;
}

export interface SweepReportInput {
  name: string;
  varied: string[];
  metrics: string[];
  rows: SweepReportRow[];
}

/** Most metric panels per figure: the first that vary across runs, in table order. */
export const MAX_PANELS = 12;

/** Numeric metrics that take more than one value over the finished runs (constant ones say nothing about a parameter). */
function plottedMetrics(t: SweepReportInput): string[] {
  const done = t.rows.filter((r) => r.status === 'done');
  return t.metrics
    .filter((m) => {
      const vals = done.map((r) => r.metrics[m]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
      return vals.length === done.length && new Set(vals).size > 1;
    })
    .slice(0, MAX_PANELS);
}

const slug = (s: string) => s.replace(/[^A-Za-z0-9_-]+/g, '_');

const UNITS: Record<string, string> = { ms: 'ms', mv: 'mV', hz: 'Hz' };

/**
 * An axis title a reader can take in: the parameter's own name with its unit (from the name's suffix, the house
 * convention `tau_m_ms`), then where it lives. `populations.exc.params.tau_m_ms` -> ["tau_m (ms)", "populations.exc.params"].
 */
export function axisTitle(path: string): string | string[] {
  const dot = path.lastIndexOf('.');
  const leaf = path.slice(dot + 1);
  const m = /^(.+)_(ms|mv|hz)$/i.exec(leaf);
  const named = m ? `${m[1]} (${UNITS[m[2].toLowerCase()]})` : leaf;
  return dot < 0 ? named : [named, path.slice(0, dot)];
}

/** The figures: one per varied path (per seed when only seeds vary). */
export function sweepFigures(t: SweepReportInput): Figure[] {
  const metrics = plottedMetrics(t);
  if (metrics.length === 0) return [];
  const axes = t.varied.length > 0 ? t.varied : ['seed'];
  const done = t.rows.filter((r) => r.status === 'done');
  return axes.map((path) => {
    const xOf = (r: SweepReportRow) => (path === 'seed' && t.varied.length === 0 ? r.seed : r.params[path]);
    const numeric = done.every((r) => typeof xOf(r) === 'number');
    const values = done.flatMap((r) =>
      metrics.map((m) => ({ x: numeric ? xOf(r) : JSON.stringify(xOf(r)), metric: m, value: r.metrics[m], seed: String(r.seed), point: r.point })),
    );
    const x = { field: 'x', type: numeric ? 'quantitative' : 'ordinal', title: axisTitle(path), scale: numeric ? { zero: false } : undefined };
    const spec = {
      ...baseSpec(
        `Metrics against ${path}`,
        `Each dot is one run (colour: seed); the line joins the mean over seeds${t.varied.length > 1 ? ' and the other varied parameters' : ''} at each value of ${path}. One panel per metric that varies across the runs${metrics.length === MAX_PANELS ? ` (the first ${MAX_PANELS})` : ''}.`,
        values,
      ),
      columns: 3,
      facet: { field: 'metric', type: 'nominal', title: null, sort: metrics, header: { labelLimit: 260, labelFontSize: 11 } },
      resolve: { scale: { y: 'independent' } },
      spec: {
        width: 220,
        height: 150,
        layer: [
          {
            mark: { type: 'line' },
            encoding: {
              x,
              y: { field: 'value', aggregate: 'mean', type: 'quantitative', title: null },
              stroke: { datum: 'mean over the runs at each value', type: 'nominal', title: null, scale: { range: ['#888'] }, legend: { symbolType: 'stroke', labelLimit: 300 } },
            },
          },
          {
            mark: { type: 'point', filled: true, size: 36, opacity: 0.8 },
            encoding: {
              x,
              y: { field: 'value', type: 'quantitative', title: null, scale: { zero: false } },
              color: { field: 'seed', type: 'nominal', title: 'run with seed' },
              tooltip: [{ field: 'point' }, { field: 'seed' }, { field: 'value', type: 'quantitative' }],
            },
          },
        ],
      },
    };
    return { name: `metrics-vs-${slug(path)}`, spec };
  });
}

const CSS = `body{font:15px/1.5 -apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:#222;max-width:980px;margin:0 auto;padding:24px 32px}
h2{font-size:19px;margin:28px 0 8px;border-bottom:1px solid #e5e7eb}code{font:12.5px ui-monospace,Menlo,monospace}
table{border-collapse:collapse;font-size:14px}td,th{padding:2px 10px;text-align:left;border-bottom:1px solid #eee}
figure{margin:20px 0 28px}.svg svg{max-width:100%;height:auto}figcaption{font-size:14px}.dim{color:#777}`;

function page(t: SweepReportInput, figures: { name: string; title: string; caption: string; svg: string }[]): string {
  const count = (s: string) => t.rows.filter((r) => r.status === s).length;
  const failed = t.rows.filter((r) => r.status === 'failed');
  const failedHtml =
    failed.length === 0
      ? ''
      : `<h2>Failed runs</h2><table><tr><th>run</th><th>error</th></tr>${failed.map((r) => `<tr><td><code>${esc(r.run)}</code></td><td>${esc(r.error ?? '')}</td></tr>`).join('')}</table>`;
  const figs = figures
    .map((f, k) => `<figure><div class="svg">${f.svg}</div><figcaption><b>Figure ${k + 1}. ${esc(f.title)}.</b> ${esc(f.caption)} <a href="figures/${esc(f.name)}.vl.json">Vega-Lite spec with data</a></figcaption></figure>`)
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(t.name)}: chronoprop sweep</title><style>${CSS}</style></head><body>
<h1>${esc(t.name)}</h1>
<p>${t.rows.length} runs: ${count('done')} done, ${count('failed')} failed${count('pending') ? `, ${count('pending')} pending` : ''}. Varied: ${t.varied.length ? t.varied.map((v) => `<code>${esc(v)}</code>`).join(', ') : 'seeds only'}. Every run's parameters and metrics: <a href="points.csv">points.csv</a>, <a href="sweep.json">sweep.json</a>; each run's own report: <code>runs/&lt;point&gt;-s&lt;seed&gt;/report.html</code>.</p>
${failedHtml}
<h2>Figures</h2>
${figs || '<p class="dim">No metric varies across the finished runs.</p>'}
</body></html>
`;
}

/** Writes figures/ and report.html into the sweep folder `dir`; returns the figures' names. */
export async function writeSweepReport(dir: string, t: SweepReportInput): Promise<string[]> {
  const figDir = join(dir, 'figures');
  mkdirSync(figDir, { recursive: true });
  const rendered = [];
  for (const f of sweepFigures(t)) {
    writeFileSync(join(figDir, `${f.name}.vl.json`), JSON.stringify(f.spec) + '\n');
    const svg = await renderSvg(f.spec, f.name);
    writeFileSync(join(figDir, `${f.name}.svg`), svg);
    rendered.push({ name: f.name, title: String(f.spec.title), caption: String(f.spec.description), svg });
  }
  const path = join(dir, 'report.html');
  writeFileSync(`${path}.tmp-${process.pid}`, page(t, rendered));
  renameSync(`${path}.tmp-${process.pid}`, path);
  return rendered.map((f) => f.name);
}
