/**
 * The report page: one self-contained HTML file (no scripts, no network) with the run summary from run.json, the
 * figures as inline SVG with captions, the list of data files with how to open them, and the resolved scenario.
 */
import type { RecordedRun } from './run-json.js';
import type { PopulationStats } from '../analysis/spike-stats.js';
import type { RunData } from './read-run.js';

export interface RenderedFigure {
  name: string;
  title: string;
  caption: string;
  svg: string;
}

export interface PageInput {
  data: RunData;
  figures: RenderedFigure[];
  /** Relative path and size in bytes of each file in the folder. */
  files: { path: string; bytes: number }[];
  notes: string[];
}

export function esc(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function num(x: unknown, digits = 4): string {
  if (typeof x !== 'number') return x === null || x === undefined ? '–' : esc(x);
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x)) return x.toLocaleString('en-US');
  return Number(x.toPrecision(digits)).toString();
}

function bytes(n: number): string {
  return n < 1024 ? `${n} B` : n < 1048576 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1048576).toFixed(1)} MiB`;
}

function rows(pairs: [string, string][]): string {
  return pairs.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${v}</td></tr>`).join('');
}

/** Metrics other than the per-population table, flattened to dotted keys. */
function flatten(obj: unknown, prefix: string, out: [string, string][]): void {
  if (obj !== null && typeof obj === 'object' && !Array.isArray(obj)) {
    for (const [k, v] of Object.entries(obj)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (Array.isArray(obj)) {
    out.push([prefix, obj.length <= 8 && obj.every((v) => typeof v !== 'object') ? obj.map((v) => num(v)).join(', ') : `[${obj.length} values]`]);
  } else {
    out.push([prefix, num(obj)]);
  }
}

function runTables(run: Partial<RecordedRun>, data: RunData): string {
  const p = run.provenance;
  const t = run.timing;
  const c = run.counts;
  const commit = p?.git_commit ? `<code>${esc(p.git_commit.slice(0, 12))}</code>${p.git_dirty ? ' (uncommitted changes)' : ''}` : '–';
  const left = rows([
    ['seed', num(run.seed)],
    ['chronoprop', esc(run.version ?? '–')],
    ['git commit', commit],
    ['scenario SHA-256', run.scenario_sha256 ? `<code title="${esc(run.scenario_sha256)}">${esc(run.scenario_sha256.slice(0, 16))}…</code>` : '–'],
    ['random numbers', esc(run.rng ?? '–')],
    ['started', esc(p?.started_at ?? '–')],
    ['Node.js', `${esc(p?.node ?? '–')} on ${esc(p?.platform ?? '–')}`],
    ...(p?.command ? [['command', `<code>chronoprop ${esc(p.command.join(' '))}</code>`] as [string, string]] : []),
  ]);
  const rate = t && c && t.simulate_s > 0 ? ` (${num(c.synaptic_events / t.simulate_s / 1e6, 3)} M/s)` : '';
  const right = rows([
    ['simulated', `${num(data.durationMs)} ms`],
    ['spikes', num(c?.spikes)],
    ['synaptic events', num(c?.synaptic_events) + rate],
    ['build', t ? `${num(t.build_s, 3)} s` : '–'],
    ['simulate', t ? `${num(t.simulate_s, 3)} s` : '–'],
    ['total', t ? `${num(t.total_s, 3)} s` : '–'],
    ...(p?.cpu ? [['CPU', esc(p.cpu)] as [string, string]] : []),
  ]);
  return `<div class="cols"><table class="kv">${left}</table><table class="kv">${right}</table></div>`;
}

function populationTable(run: Partial<RecordedRun>, data: RunData): string {
  const stats = ((run.metrics ?? {}) as { populations?: Record<string, PopulationStats> }).populations ?? {};
  const names = [...new Set([...(run.scenario?.populations ?? []).map((p) => p.name), ...Object.keys(stats)])];
  if (names.length === 0) return '';
  const body = names
    .map((n) => {
      const spec = run.scenario?.populations.find((p) => p.name === n);
      const s = stats[n];
      const recorded = data.populations.some((p) => p.name === n);
      return `<tr><th>${esc(n)}</th><td>${esc(spec?.model ?? '–')}</td><td>${num(spec?.size ?? s?.neurons)}</td><td>${recorded || s ? num(s?.spikes) : 'not recorded'}</td><td>${num(s?.rate_hz, 3)}</td><td>${num(s?.cv_isi, 3)}</td><td>${num(s?.synchrony_chi, 3)}</td></tr>`;
    })
    .join('');
  return `<h2>Populations</h2><table class="grid"><thead><tr><th>population</th><th>model</th><th>neurons</th><th>spikes</th><th>rate (Hz)</th><th>CV of ISI</th><th>synchrony χ</th></tr></thead><tbody>${body}</tbody></table>`;
}

function otherMetrics(run: Partial<RecordedRun>): string {
  const rest = { ...(run.metrics ?? {}) } as Record<string, unknown>;
  delete rest.populations;
  const out: [string, string][] = [];
  flatten(rest, '', out);
  return out.length === 0 ? '' : `<h2>Metrics</h2><table class="kv">${rows(out)}</table>`;
}

function figureHtml(f: RenderedFigure, k: number): string {
  return (
    `<figure id="fig-${esc(f.name)}"><div class="svg">${f.svg}</div><figcaption><b>Figure ${k + 1}. ${esc(f.title)}.</b> ${esc(f.caption)} ` +
    `<span class="files"><a href="figures/${esc(f.name)}.svg">SVG</a> · <a href="figures/${esc(f.name)}.vl.json">Vega-Lite spec with data</a></span></figcaption></figure>`
  );
}

function pythonSnippet(files: { path: string }[]): string {
  const lines = ['import json, h5py, numpy as np', "run = json.load(open('run.json'))"];
  const pops = files.filter((f) => /^spikes\/[^/]+\.csv$/.test(f.path)).map((f) => f.path.slice(7, -4));
  if (files.some((f) => f.path === 'spikes.h5') && pops.length > 0) {
    lines.push(`spk = h5py.File('spikes.h5')['spikes/${pops[0]}']; ids, t_ms = spk['node_ids'][:], spk['timestamps'][:]`);
  }
  const state = files.find((f) => /^state\/.+\.npy$/.test(f.path));
  if (state) lines.push(`st = np.load('${state.path}'); st['t_ms'], st['neuron'][0]  # then st['<variable>']: (times, neurons)`);
  const series = files.find((f) => /\.series\.npy$/.test(f.path));
  if (series) lines.push(`ws = np.load('${series.path}'); ws['t_ms'], ws['weight_mv']  # (snapshots,), (snapshots, synapses)`);
  const figure = files.find((f) => /^figures\/.+\.vl\.json$/.test(f.path));
  if (figure) lines.push(`import altair as alt; chart = alt.Chart.from_dict(json.load(open('${figure.path}')))`);
  return lines.join('\n');
}

function filesSection(files: { path: string; bytes: number }[]): string {
  const data = files.filter((f) => !f.path.startsWith('figures/') && f.path !== 'report.html');
  const list = data.map((f) => `<li><a href="${esc(f.path)}">${esc(f.path)}</a> <span class="dim">${bytes(f.bytes)}</span></li>`).join('');
  return (
    `<h2>Data files</h2><p>Tables come as CSV and as NumPy <code>.npy</code> (structured arrays with the same column names); ` +
    `spikes also as a SONATA HDF5 file. From Python, in this folder:</p><pre>${esc(pythonSnippet(files))}</pre><ul class="files">${list}</ul>`
  );
}

const CSS = `
body{font:15px/1.5 -apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:#222;margin:0;background:#f6f7f9}
main{max-width:980px;margin:0 auto;padding:24px 32px 48px;background:#fff;min-height:100vh;box-shadow:0 0 0 1px #e5e7eb}
h1{font-size:28px;margin:8px 0 4px}h2{font-size:19px;margin:32px 0 10px;padding-bottom:4px;border-bottom:1px solid #e5e7eb}
.desc{color:#444;margin:0 0 6px}.dim,.meta{color:#777;font-size:13px}
code,pre{font:12.5px/1.45 ui-monospace,Menlo,Consolas,monospace}pre{background:#f3f4f6;padding:10px 12px;overflow-x:auto;border-radius:4px}
table{border-collapse:collapse;font-size:14px}th,td{padding:3px 10px;text-align:left;vertical-align:top}
table.kv th{color:#555;font-weight:normal;white-space:nowrap}.cols{display:flex;gap:32px;flex-wrap:wrap}
table.grid{width:100%}table.grid thead th{border-bottom:2px solid #ddd;font-weight:600}table.grid td,table.grid tbody th{border-bottom:1px solid #eee}
table.grid td{text-align:right;font-variant-numeric:tabular-nums}table.grid td:nth-child(2){text-align:left}
figure{margin:24px 0 32px}.svg svg{max-width:100%;height:auto}figcaption{font-size:14px;color:#333;margin-top:4px}
.files a{font-size:13px}ul.files{columns:2;padding-left:18px;font-size:14px}details{margin-top:24px}
.note{background:#fff8e1;border-left:3px solid #f0b400;padding:6px 10px;font-size:14px}
`;

export function reportHtml({ data, figures, files, notes }: PageInput): string {
  const { run } = data;
  const name = run.name ?? run.scenario?.name ?? 'run';
  const figureList = figures.length > 0 ? figures.map(figureHtml).join('\n') : '<p class="dim">Nothing was recorded that can be drawn.</p>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(name)} — chronoprop report</title><style>${CSS}</style></head>
<body><main>
<h1>${esc(name)}</h1>
${run.scenario?.description ? `<p class="desc">${esc(run.scenario.description)}</p>` : ''}
<p class="meta">chronoprop ${esc(run.version ?? '?')} · experiment ${esc(run.scenario?.experiment ?? 'network')} · seed ${num(run.seed)}</p>
${notes.map((n) => `<p class="note">${esc(n)}</p>`).join('\n')}
<h2>Run</h2>${runTables(run, data)}
${populationTable(run, data)}
${otherMetrics(run)}
<h2>Figures</h2>
${figureList}
${filesSection(files)}
<details><summary>Resolved scenario (as run, defaults filled in)</summary><pre>${esc(JSON.stringify(run.scenario ?? null, null, 2))}</pre></details>
</main></body></html>
`;
}
