/**
 * The tables, the conclusions and the figure of the accuracy-against-cost comparison (scripts/peer/accuracy.ts),
 * from its results alone, so that the page can be written again from a saved results.json.
 *
 * Conclusions are read off the measured curves by log-log interpolation between neighbouring dt (no
 * extrapolation: beyond the measured range a bound is stated instead, e.g. "< 0.001 ms").
 */
import type { Machine } from '../perf/report.js';
import { fmt as fmt3, markdown } from '../perf/report.js';
import { baseSpec, CONFIG, type VlSpec } from '../../src/report/vl.js';
import { logLogAt, type Point, type TrainErrors } from './accuracy-stats.js';
import { INPUT_GRID_MS, SINGLE_NEURON, type SingleCase } from './accuracy-cases.js';

export interface CaseRow {
  simulator: string;
  /** 'chronoprop', or the Brian2 target. */
  target: string;
  dt_ms: number | null;
  dir: string;
  /** Simulate CPU time of every repetition, and their median. */
  cpu_runs_s: number[];
  cpu_s: number;
  /**
   * Brian2: compile (cpp_standalone) or the 0 ms run that compiles or loads code (cython); chronoprop: its JIT
   * warm-up, the untimed first run's CPU minus the timed run's (median over processes). Not in cpu_s.
   */
  compile_s: number | null;
  /** Chronoprop: the first run's CPU in a fresh process, JIT warm-up included (median over processes). */
  first_cpu_s?: number | null;
  spikes?: number;
  /** Single neuron: against chronoprop (chronoprop's own row: against the numpy oracle). */
  errors?: TrainErrors;
  errors_vs_oracle?: TrainErrors;
  /** CUBA: first spike that differs from the exact run by more than the tolerance (null: none did). */
  first_diff_ms?: number | null;
  stats?: Record<string, { rate_hz: number; cv_isi: number | null }>;
}

export interface AccuracyRun {
  machine: Machine;
  brian2: string;
  reps: number;
  smoke: boolean;
  single: { case: SingleCase; rows: CaseRow[]; oracle: { neurons: number; grid_ms: number; errors: TrainErrors } };
  cuba: { duration_ms: number; rows: CaseRow[] };
  wall_s: number;
  /** Set when the page was made with --collect from an earlier invocation's run folders: which runs were absent. */
  collected?: { from: string; missing: string[] };
  /** CPU time of the generator and every child it waited for (/proc/self/stat; null elsewhere). */
  total_cpu_s: number | null;
}

/** Three significant figures; below 0.001 in exponent form (an exact simulator's errors are about 1e-13 ms). */
export function fmt(x: number | null | undefined): string {
  if (typeof x === 'number' && x !== 0 && Math.abs(x) < 1e-3) return x.toExponential(1);
  return fmt3(x);
}

/** Floor for plotting an error of 0 on a log axis. */
const ERROR_FLOOR_MS = 1e-15;

/** A value read off a decreasing curve: y at x, or a bound when x lies beyond the measured points. */
export interface Reading {
  rel: '=' | '<' | '>';
  y: number;
}

/** y(x) on a curve that decreases with x (cost -> error, error -> cost, cost -> dt), or a bound past its ends. */
export function readDecreasing(points: readonly Point[], x: number): Reading {
  const p = [...points].sort((a, b) => a[0] - b[0]);
  if (x < p[0][0]) return { rel: '>', y: p[0][1] };
  if (x > p[p.length - 1][0]) return { rel: '<', y: p[p.length - 1][1] };
  return { rel: '=', y: logLogAt(p, x)! };
}

const show = (r: Reading, unit = '') => `${r.rel === '=' ? '' : `${r.rel} `}${fmt(r.y)}${unit}`;
const spread = (xs: number[]) => (xs.length > 1 ? `${fmt(Math.min(...xs))}-${fmt(Math.max(...xs))}` : '-');
const brianTargets = (rows: CaseRow[]) => [...new Set(rows.filter((r) => r.target !== 'chronoprop').map((r) => r.target))];

function costColumns(r: CaseRow, ours: number): string[] {
  return [r.simulator, r.dt_ms === null ? 'exact' : String(r.dt_ms), fmt(r.cpu_s), spread(r.cpu_runs_s),
    r.target === 'chronoprop' ? '1' : fmt(r.cpu_s / ours), r.compile_s === null ? '-' : fmt(r.compile_s)];
}

export function singleTable(a: AccuracyRun): string {
  const ours = a.single.rows[0].cpu_s;
  const header = ['simulator', 'dt ms', 'simulate CPU s', 'range', 'CPU / chronoprop', 'compile s', 'spikes',
    'mean abs err ms', 'median abs err ms', 'max abs err ms', 'mean signed err ms', 'missed / extra'];
  const rows = a.single.rows.map((r) => {
    const e = r.errors!;
    return [...costColumns(r, ours), String(r.spikes), fmt(e.mean_abs_ms), fmt(e.median_abs_ms), fmt(e.max_abs_ms),
      fmt(e.mean_signed_ms), `${e.missed} / ${e.extra}`];
  });
  return markdown(header, rows, header.map((_, k) => k > 0));
}

/** Brian2 against the oracle directly, on its neurons: a check that the reference does not rest on chronoprop. */
function oracleLine(a: AccuracyRun): string {
  const parts = a.single.rows.filter((r) => r.errors_vs_oracle).map((r) => {
    const e = r.errors_vs_oracle!;
    return `${r.simulator} dt ${r.dt_ms}: ${fmt(e.mean_abs_ms)} (${e.missed} / ${e.extra})`;
  });
  return `Brian2's mean abs error against the numpy oracle itself, on its ${a.single.oracle.neurons} neurons (missed / extra): ${parts.join('; ')}.`;
}

function rel(x: number | null | undefined, ref: number | null | undefined): string {
  if (x === null || x === undefined || ref === null || ref === undefined || ref === 0) return '-';
  const d = (100 * (x - ref)) / ref;
  return `${d >= 0 ? '+' : ''}${d.toFixed(1)}%`;
}

export function cubaTable(a: AccuracyRun): string {
  const rows0 = a.cuba.rows;
  const ours = rows0[0];
  const pops = Object.keys(ours.stats ?? {});
  const header = ['simulator', 'dt ms', 'simulate CPU s', 'range', 'CPU / chronoprop', 'compile s', 'spikes',
    'first spike off by > 0.01 ms, at ms', ...pops.flatMap((p) => [`${p} rate Hz`, `${p} ISI CV`])];
  const rows = rows0.map((r) => [
    ...costColumns(r, ours.cpu_s),
    String(r.spikes),
    r.target === 'chronoprop' ? '(reference)' : r.first_diff_ms === null ? `none in ${a.cuba.duration_ms}` : fmt(r.first_diff_ms),
    ...pops.flatMap((p) => {
      const s = r.stats![p];
      const o = ours.stats![p];
      return r.target === 'chronoprop'
        ? [fmt(s.rate_hz), fmt(s.cv_isi)]
        : [`${fmt(s.rate_hz)} (${rel(s.rate_hz, o.rate_hz)})`, `${fmt(s.cv_isi)} (${rel(s.cv_isi, o.cv_isi)})`];
    }),
  ]);
  return markdown(header, rows, header.map((_, k) => k > 0));
}

export interface TargetReading {
  target: string;
  /** dt at which this target's simulate CPU time equals chronoprop's. */
  dt_equal: Reading;
  /** Its mean |error| at chronoprop's cost (single neuron only). */
  error_at_equal_cost?: Reading;
  /** Its CPU time at a mean |error| of `at_error_ms` (single neuron only). */
  cost_at_error?: Reading;
}

const own = (rows: CaseRow[], t: string) => rows.filter((r) => r.target === t);

export function readings(rows: CaseRow[], atErrorMs: number | null): TargetReading[] {
  const ours = rows[0].cpu_s;
  return brianTargets(rows).map((t) => {
    const rs = own(rows, t);
    const out: TargetReading = { target: t, dt_equal: readDecreasing(rs.map((r) => [r.cpu_s, r.dt_ms!]), ours) };
    if (atErrorMs !== null) {
      const ok = rs.filter((r) => r.errors && r.errors.mean_abs_ms > 0);
      out.error_at_equal_cost = readDecreasing(ok.map((r) => [r.cpu_s, r.errors!.mean_abs_ms]), ours);
      out.cost_at_error = readDecreasing(ok.map((r) => [r.errors!.mean_abs_ms, r.cpu_s]), atErrorMs);
    }
    return out;
  });
}

/**
 * Whether chronoprop, at CPU time `ours`, is cheaper than a target whose cost at the required error is `c`: a bound
 * decides only when it is on the right side ("> 2 s" against 1 s is yes; "< 2 s" against 1 s is unknown).
 */
export function cheaperAt(c: Reading, ours: number): 'yes' | 'no' | 'undetermined' {
  if (c.rel === '=') return ours < c.y ? 'yes' : 'no';
  if (c.rel === '>') return ours <= c.y ? 'yes' : 'undetermined';
  return ours >= c.y ? 'no' : 'undetermined';
}

/** The single-neuron bar of issue 19: at a mean spike-time error of `atErrorMs`, chronoprop is cheaper than every target. */
export function singleConclusions(a: AccuracyRun, atErrorMs = 0.01): string[] {
  const ours = a.single.rows[0].cpu_s;
  const fresh = firstRunLine(a.single.rows[0]);
  const rs = readings(a.single.rows, atErrorMs);
  const lines = rs.map((r) => {
    const c = r.cost_at_error!;
    const v = cheaperAt(c, ours);
    const ratio = c.rel === '=' ? fmt(ours / c.y) : `${c.rel === '>' ? '<' : '>'} ${fmt(ours / c.y)}`;
    return `- Brian2 ${r.target}: costs what chronoprop costs (${fmt(ours)} CPU s) at dt ${show(r.dt_equal, ' ms')}, where its mean `
      + `spike-time error is ${show(r.error_at_equal_cost!, ' ms')}; reaching a mean error of ${atErrorMs} ms costs it `
      + `${show(c, ' CPU s')} (chronoprop / Brian2 = ${ratio}): chronoprop cheaper there: **${v}**.`;
  });
  // Chronoprop is cheaper than a target wherever the target's error at chronoprop's cost is larger than required.
  const worst = rs.map((r) => r.error_at_equal_cost!).reduce((m, x) => (x.y < m.y ? x : m));
  const verdicts = rs.map((r) => cheaperAt(r.cost_at_error!, ours));
  const met = verdicts.every((v) => v === 'yes') ? 'met' : verdicts.includes('no') ? 'not met' : 'undetermined (outside the measured range)';
  const below = worst.rel === '=' ? `${fmt(worst.y)} ms` : `a value ${worst.rel} ${fmt(worst.y)} ms (outside the measured range)`;
  lines.push(`- Chronoprop is cheaper than every Brian2 target only for a required mean spike-time error below ${below}, `
    + 'the smallest of the errors at equal cost above; for any looser requirement at least one Brian2 target is cheaper.');
  lines.push(`- **Bar of issue 19** (at a spike-time error of ${atErrorMs} ms on the single-neuron case, chronoprop cheaper than every target): **${met}**.`);
  if (fresh) lines.push(fresh);
  return lines;
}

/** What chronoprop's first run costs in a fresh process (JIT warm-up included), where it was measured. */
function firstRunLine(r: CaseRow): string | null {
  if (r.first_cpu_s === undefined || r.first_cpu_s === null) return null;
  return `- In a fresh process chronoprop's first run costs ${fmt(r.first_cpu_s)} CPU s (median): the timed run plus ${fmt(r.compile_s ?? 0)} s of JIT warm-up, which, like Brian2's compilation, is paid once per process and shown apart.`;
}

export function cubaConclusions(a: AccuracyRun): string[] {
  const ours = a.cuba.rows[0].cpu_s;
  const fresh = firstRunLine(a.cuba.rows[0]);
  return [...readings(a.cuba.rows, null).map((r) =>
    `- Brian2 ${r.target}: costs what chronoprop costs (${fmt(ours)} CPU s) at dt ${show(r.dt_equal, ' ms')}.`), ...(fresh ? [fresh] : [])];
}

/** Two panels: single-neuron error against CPU time; CUBA time to the first differing spike against CPU time. */
export function accuracyFigure(a: AccuracyRun): VlSpec {
  const pt = (r: CaseRow, y: number) => ({ simulator: r.simulator, dt: r.dt_ms === null ? 'exact' : `dt ${r.dt_ms}`, cpu_s: r.cpu_s, y });
  const single = a.single.rows.map((r) => pt(r, Math.max(ERROR_FLOOR_MS, r.errors!.mean_abs_ms)));
  const cuba = a.cuba.rows.filter((r) => r.target !== 'chronoprop' && r.first_diff_ms !== null).map((r) => pt(r, r.first_diff_ms!));
  const color = { field: 'simulator', type: 'nominal', title: null, scale: { domain: ['chronoprop', ...brianTargets(a.single.rows).map((t) => `Brian2 ${t}`)], scheme: 'tableau10' } };
  const x = { field: 'cpu_s', type: 'quantitative', scale: { type: 'log' }, title: 'simulate CPU time (s, median)' };
  const panel = (values: object[], yTitle: string, yScale: object, yAxis: object, title: string, extra: object[]) => ({
    title,
    width: 380,
    height: 300,
    data: { values },
    layer: [
      { mark: { type: 'line', point: true }, encoding: { x, y: { field: 'y', type: 'quantitative', scale: yScale, title: yTitle, axis: yAxis }, color, detail: { field: 'simulator' } } },
      { mark: { type: 'text', align: 'left', dx: 6, dy: -6, fontSize: 10 }, encoding: { x, y: { field: 'y', type: 'quantitative' }, text: { field: 'dt' }, color } },
      ...extra,
    ],
  });
  const oursSingle = a.single.rows[0].cpu_s;
  const oursCuba = a.cuba.rows[0].cpu_s;
  const rule = (xv: number) => ({ data: { values: [{ cpu_s: xv }] }, mark: { type: 'rule', strokeDash: [4, 3], color: '#4c78a8' }, encoding: { x: { field: 'cpu_s', type: 'quantitative' } } });
  const bar = { data: { values: [{ y: 0.01 }] }, mark: { type: 'rule', strokeDash: [2, 2], color: '#999' }, encoding: { y: { field: 'y', type: 'quantitative' } } };
  const spec = baseSpec(
    'Accuracy against cost: chronoprop (exact) and Brian2 at several dt',
    `Left: mean |spike-time error| of the single-neuron case against simulate CPU time (grey dashes: 0.01 ms; blue dashes: chronoprop's cost). Right: CUBA, time of the first spike off by more than 0.01 ms from the exact run (higher is better).`,
    [],
  );
  delete (spec as Record<string, unknown>).data;
  return {
    ...spec,
    config: { ...CONFIG, legend: { ...CONFIG.legend, labelLimit: 300 } },
    hconcat: [
      panel(single, 'mean |spike-time error| (ms)', { type: 'log' }, { format: '.0e' }, `Single neuron x ${a.single.case.neurons}, ${a.single.case.duration_ms} ms`, [rule(oursSingle), bar]),
      panel(cuba, 'first spike off by > 0.01 ms (ms)', { type: 'linear' }, {}, `CUBA, ${a.cuba.duration_ms} ms, same network`, [rule(oursCuba)]),
    ],
  };
}

export function accuracyDoc(a: AccuracyRun, figure: string | null): string {
  const m = a.machine;
  const s = a.single.case;
  const o = a.single.oracle;
  const busy = m.load_avg_1m >= m.cores / 2;
  const lines = [
    '# Accuracy against cost: results',
    '',
    '<!-- Written by `npm run bench:accuracy` (scripts/peer/accuracy.ts): do not edit by hand, run it again. -->',
    '',
    `Written by \`npm run bench:accuracy\` on ${m.date.slice(0, 10)}; running it again replaces this file and the figure. Method: [benchmarks.md](benchmarks.md#accuracy-against-cost).`,
    '',
    ...(a.smoke ? ['**Smoke run**: tiny sizes to check the tooling. These numbers are not measurements.', ''] : []),
    ...(a.collected ? [`**Collected** (\`--collect\`) from the run folders of an earlier, interrupted invocation in \`${a.collected.from}\`; the date, load and time below are the collection's, not the runs'.${a.collected.missing.length ? ` Not measured: ${a.collected.missing.join(', ')}.` : ''}`, ''] : []),
    `- commit: \`${m.git_commit ?? 'unknown'}\`${m.git_dirty ? ' with uncommitted changes' : ''}; date: ${m.date}`,
    `- machine: ${m.cpu}, ${m.cores} cores, ${m.memory_gb} GiB, Node ${m.node}, ${m.platform}; Brian2 ${a.brian2} (Debian python3-brian), g++ for cpp_standalone, single thread`,
    `- load average at the start: ${m.load_avg_1m}${busy ? ` on ${m.cores} cores: **the host was loaded** (other jobs shared it), so wall times mean little; every time and ratio below is CPU time of the simulation alone` : ''}`,
    `- every time is the median simulate CPU time of ${a.reps} repetition${a.reps > 1 ? 's' : ''} ("range": smallest-largest); compile time (cpp_standalone build, cython compilation or cache load) is excluded and shown apart; chronoprop's repetitions are separate processes spread between the Brian2 runs, each timed after an untimed warm-up run of the same scenario (V8's JIT compilation: its extra CPU is chronoprop's compile time), Brian2's are repeated runs in one process after one build`,
    `- the whole generator took ${fmt(a.wall_s / 60)} min wall${a.total_cpu_s === null ? '' : ` and ${fmt(a.total_cpu_s / 60)} CPU min (itself and its children, compilation included)`}`,
    '',
    '## Case 1: single LIF neurons with exponential currents, recorded inputs',
    '',
    `${s.neurons} independent neurons (tau_m ${SINGLE_NEURON.tau_m_ms} ms, threshold ${SINGLE_NEURON.v_th_mv - SINGLE_NEURON.v_rest_mv} mV above rest, reset to rest, t_ref ${SINGLE_NEURON.t_ref_ms} ms, tau_syn ${SINGLE_NEURON.tau_syn_exc_ms} / ${SINGLE_NEURON.tau_syn_inh_ms} ms), ${s.duration_ms} ms simulated. Each neuron has its own inputs, drawn once and written into the scenario both simulators read: two excitatory trains of ${s.exc_rate_hz} Hz (w = ${s.w_exc_mv} mV) and one inhibitory of ${s.inh_rate_hz} Hz (w = ${s.w_inh_mv} mV), on a ${INPUT_GRID_MS} ms grid (a multiple of every dt, so Brian2 receives the same input times; its error is its own integration's), no delay.`,
    '',
    `Reference: chronoprop's spike times, checked against an independent numpy oracle (scripts/peer/oracle.py: the closed-form membrane equation sampled every ${o.grid_ms} ms between inputs, then bisected) on the first ${o.neurons} neurons: ${o.errors.matched} spikes matched, ${o.errors.missed} missed, ${o.errors.extra} extra, largest difference ${fmt(o.errors.max_abs_ms)} ms. Errors are over spikes paired within 1 ms, neuron by neuron (unpaired spikes counted apart as missed / extra); "signed" is t_Brian2 - t_exact (positive: later than exact).`,
    '',
    singleTable(a),
    '',
    oracleLine(a),
    '',
    ...singleConclusions(a),
    '',
    '## Case 2: CUBA, same network',
    '',
    `scenarios/cuba.json (4000 neurons, no external input, zero delays), ${a.cuba.duration_ms} ms simulated, including the initial transient. Brian2 runs chronoprop's exported connectivity and initial v, so only the integration differs. The dt -> 0 limit is chronoprop's exact run; in a chaotic network individual spikes diverge from it sooner or later, so the firing statistics, not the spikes, are what a finite dt can be expected to keep.`,
    '',
    cubaTable(a),
    '',
    ...cubaConclusions(a),
    '',
    ...(figure ? [`![Accuracy against cost](${figure})`, ''] : []),
  ];
  return lines.join('\n');
}
