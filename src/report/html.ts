/**
 * The report page: one self-contained HTML file (no scripts, no network) with the pass criteria first (an experiment's
 * metrics.pass: criterion -> { value, threshold, ok }), the run summary from run.json, the results (metrics, then
 * the figures as inline SVG with captions), the experiment's settings (collapsed), the list
 * of data files with how to open them, and the resolved scenario (collapsed). A rate-mode run (the rate-coded
 * twin) shows rates and none of the spiking-only fields; the page names only files that are in the folder.
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

/** A run of the rate-coded twin (`--mode rate`): it has rates, no spikes and no synaptic events. */
export function isRateRun(run: Partial<RecordedRun>): boolean {
  return run.scenario?.mode === 'rate' || (run.metrics as { mode?: unknown } | undefined)?.mode === 'rate';
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
    ...(isRateRun(run)
      ? [['model', 'rate-coded twin (no spikes)'] as [string, string]]
      : ([['spikes', num(c?.spikes)], ['synaptic events', num(c?.synaptic_events) + rate]] as [string, string][])),
    ['build', t ? `${num(t.build_s, 3)} s` : '–'],
    ['simulate', t ? `${num(t.simulate_s, 3)} s` : '–'],
    ['total', t ? `${num(t.total_s, 3)} s` : '–'],
    ...(p?.cpu ? [['CPU', esc(p.cpu)] as [string, string]] : []),
  ]);
  return `<div class="cols"><table class="kv">${left}</table><table class="kv">${right}</table></div>`;
}

/**
 * The Populations table: a row per population of the scenario or of the run's metrics, its name, model and size, then
 * `cells` (the cells after those three, for the stats of the population named, if any) under `columns`.
 */
function populationGrid<S extends { neurons?: number }>(run: Partial<RecordedRun>, columns: string, cells: (name: string, s: S | undefined) => string): string {
  const stats = ((run.metrics ?? {}) as { populations?: Record<string, S> }).populations ?? {};
  const names = [...new Set([...(run.scenario?.populations ?? []).map((p) => p.name), ...Object.keys(stats)])];
  if (names.length === 0) return '';
  const body = names
    .map((n) => {
      const spec = run.scenario?.populations.find((p) => p.name === n);
      const s = stats[n];
      return `<tr><th>${esc(n)}</th><td>${esc(spec?.model ?? '–')}</td><td>${num(spec?.size ?? s?.neurons)}</td>${cells(n, s)}</tr>`;
    })
    .join('');
  return `<h2>Populations</h2><table class="grid"><thead><tr><th>population</th><th>model</th><th>neurons</th>${columns}</tr></thead><tbody>${body}</tbody></table>`;
}

function populationTable(run: Partial<RecordedRun>, data: RunData): string {
  if (isRateRun(run)) {
    return populationGrid<{ neurons?: number; rate_hz?: number; final_rate_hz?: number }>(
      run,
      '<th>mean rate (Hz)</th><th>rate at the end (Hz)</th>',
      (_, s) => `<td>${num(s?.rate_hz, 3)}</td><td>${num(s?.final_rate_hz, 3)}</td>`,
    );
  }
  return populationGrid<PopulationStats>(
    run,
    '<th>spikes</th><th>rate (Hz)</th><th>CV of ISI</th><th>synchrony χ</th>',
    (n, s) => {
      const recorded = data.populations.some((p) => p.name === n);
      return `<td>${recorded || s ? num(s?.spikes) : 'not recorded'}</td><td>${num(s?.rate_hz, 3)}</td><td>${num(s?.cv_isi, 3)}</td><td>${num(s?.synchrony_chi, 3)}</td>`;
    },
  );
}

interface Criterion {
  value: unknown;
  threshold: unknown;
  ok: unknown;
}

function isCriterion(c: unknown): c is Criterion {
  return c !== null && typeof c === 'object' && 'value' in c && 'threshold' in c && typeof (c as Criterion).ok === 'boolean';
}

/** metrics.pass when every entry is { value, threshold, ok }, else null (then it is shown with the other metrics). */
function passCriteria(run: Partial<RecordedRun>): [string, Criterion][] | null {
  const pass = (run.metrics as { pass?: unknown } | undefined)?.pass;
  if (pass === null || typeof pass !== 'object' || Array.isArray(pass)) return null;
  const entries = Object.entries(pass);
  return entries.length > 0 && entries.every(([, c]) => isCriterion(c)) ? (entries as [string, Criterion][]) : null;
}

/** The pass criteria as a table: criterion, measured value, threshold, met or not (a failed one is a result). */
function passTable(run: Partial<RecordedRun>): string {
  const entries = passCriteria(run);
  if (!entries) return '';
  const met = entries.filter(([, c]) => c.ok).length;
  const body = entries
    .map(([name, c]) => `<tr><th>${esc(name)}</th><td>${num(c.value)}</td><td>${esc(c.threshold)}</td><td class="${c.ok ? 'ok' : 'fail'}">${c.ok ? 'met' : 'not met'}</td></tr>`)
    .join('');
  return `<h2>Pass criteria</h2><p class="dim">${met} of ${entries.length} met (from run.json <code>metrics.pass</code>).</p><table class="grid pass"><thead><tr><th>criterion</th><th>measured</th><th>threshold</th><th>result</th></tr></thead><tbody>${body}</tbody></table>`;
}

function otherMetrics(run: Partial<RecordedRun>): string {
  const rest = { ...(run.metrics ?? {}) } as Record<string, unknown>;
  if (passCriteria(run)) delete rest.pass; // shown at the top (passTable)
  delete rest.populations;
  delete rest.settings; // shown after the results (settingsSection)
  delete rest.mode; // in the line under the title
  const out: [string, string][] = [];
  flatten(rest, '', out);
  return out.length === 0 ? '' : `<h2>Metrics</h2><table class="kv">${rows(out)}</table>`;
}

/**
 * The experiment's settings, after the results and collapsed: as it resolved them (metrics.settings, defaults
 * filled in) where it reports them, else as the scenario gave them.
 */
function settingsSection(run: Partial<RecordedRun>): string {
  const resolved = (run.metrics as { settings?: unknown } | undefined)?.settings;
  const given = run.scenario?.settings;
  const settings = resolved ?? given;
  if (settings === null || typeof settings !== 'object' || Object.keys(settings).length === 0) return '';
  const out: [string, string][] = [];
  flatten(settings, '', out);
  const which = resolved !== undefined ? 'as the experiment resolved them, defaults filled in' : 'as given in the scenario';
  return `<details class="settings"><summary>Settings of experiment ${esc(run.scenario?.experiment ?? '')} (${out.length}, ${which})</summary><table class="kv">${rows(out)}</table></details>`;
}

function figureHtml(f: RenderedFigure, k: number): string {
  return (
    `<figure id="fig-${esc(f.name)}"><div class="svg">${f.svg}</div><figcaption><b>Figure ${k + 1}. ${esc(f.title)}.</b> ${esc(f.caption)} ` +
    `<span class="files"><a href="figures/${esc(f.name)}.svg">SVG</a> · <a href="figures/${esc(f.name)}.vl.json">Vega-Lite spec with data</a></span></figcaption></figure>`
  );
}

function pythonSnippet(files: { path: string }[]): string {
  const has = (re: RegExp) => files.find((f) => re.test(f.path));
  const lines = ["run = json.load(open('run.json'))"];
  const pops = files.filter((f) => /^spikes\/[^/]+\.csv$/.test(f.path)).map((f) => f.path.slice(7, -4));
  const h5 = files.some((f) => f.path === 'spikes.h5') && pops.length > 0;
  if (h5) lines.push(`spk = h5py.File('spikes.h5')['spikes/${pops[0]}']; ids, t_ms = spk['node_ids'][:], spk['timestamps'][:]`);
  const state = has(/^state\/.+\.npy$/);
  if (state) lines.push(`st = np.load('${state.path}'); st['t_ms'], st['neuron'][0]  # then st['<variable>']: (times, neurons)`);
  const series = has(/\.series\.npy$/);
  if (series) lines.push(`ws = np.load('${series.path}'); ws['t_ms'], ws['weight_mv']  # (snapshots,), (snapshots, synapses)`);
  // A table no line above reads (an experiment's own, or a rate-mode run's rates), with its column names.
  const table = has(/^(?!spikes\/|state\/|weights\/.+\.series)[^]*\.csv$/);
  if (table && !h5 && !state) lines.push(`tab = np.genfromtxt('${table.path}', delimiter=',', names=True, dtype=None, encoding='utf-8')  # tab['<column>']`);
  const figure = has(/^figures\/.+\.vl\.json$/);
  if (figure) lines.push(`import altair as alt; chart = alt.Chart.from_dict(json.load(open('${figure.path}')))`);
  const imports = ['json', ...(h5 ? ['h5py'] : []), ...(lines.length > 1 ? ['numpy as np'] : [])];
  return [`import ${imports.join(', ')}`, ...lines].join('\n');
}

function filesSection(files: { path: string; bytes: number }[]): string {
  const data = files.filter((f) => !f.path.startsWith('figures/') && f.path !== 'report.html');
  const list = data.map((f) => `<li><a href="${esc(f.path)}">${esc(f.path)}</a> <span class="dim">${bytes(f.bytes)}</span></li>`).join('');
  const csv = data.some((f) => f.path.endsWith('.csv'));
  const npy = data.some((f) => f.path.endsWith('.npy'));
  const h5 = data.some((f) => f.path === 'spikes.h5');
  const kinds = [
    csv && npy ? 'Tables come as CSV and as NumPy <code>.npy</code> (structured arrays with the same column names)' : csv ? 'Tables come as CSV' : npy ? 'Tables come as NumPy <code>.npy</code>' : '',
    h5 ? 'spikes also as a SONATA HDF5 file (<code>spikes.h5</code>)' : '',
  ].filter((k) => k !== '');
  const intro = kinds.length > 0 ? `${kinds.join('; ')}. ` : '';
  return `<h2>Data files</h2><p>${intro}From Python, in this folder:</p><pre>${esc(pythonSnippet(files))}</pre><ul class="files">${list}</ul>`;
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
table.pass td:nth-child(2){text-align:right}table.pass td:nth-child(3){text-align:left}td.ok{color:#1a7f37;font-weight:600}td.fail{color:#c62828;font-weight:600}
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
<p class="meta">chronoprop ${esc(run.version ?? '?')} · experiment ${esc(run.scenario?.experiment ?? 'network')}${isRateRun(run) ? ' · rate-coded twin (<code>--mode rate</code>)' : ''} · seed ${num(run.seed)}</p>
${notes.map((n) => `<p class="note">${esc(n)}</p>`).join('\n')}
${passTable(run)}
<h2>Run</h2>${runTables(run, data)}
${populationTable(run, data)}
${otherMetrics(run)}
<h2>Figures</h2>
${figureList}
${settingsSection(run)}
${filesSection(files)}
<details><summary>Resolved scenario (as run, defaults filled in)</summary><pre>${esc(JSON.stringify(run.scenario ?? null, null, 2))}</pre></details>
</main></body></html>
`;
}
