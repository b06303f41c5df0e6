/**
 * Compares two results folders (e.g. the spiking and rate-coded runs of one scenario): population rates, every
 * numeric metric present in both, and the final weights of projections present in both (mean of each, mean absolute
 * difference, Pearson correlation). Writes compare.json and compare.md into the output folder, atomically; a previous
 * comparison there is replaced, anything else refused.
 */
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import { join, basename } from 'node:path';
import { ScenarioError } from './errors.js';
import { writeAtomically } from './runner.js';
import { comparisonRule } from './out-folder.js';

interface Row { quantity: string; a: number; b: number; diff: number; rel_diff: number | null }

function readRun(dir: string): Record<string, unknown> {
  const p = join(dir, 'run.json');
  if (!existsSync(p)) throw new ScenarioError([`${dir} is not a results folder (no run.json found)`]);
  return JSON.parse(readFileSync(p, 'utf8'));
}

/** Numeric leaves of an object as dotted paths (arrays of numbers included element-wise up to 50). */
function leaves(x: unknown, path = '', out = new Map<string, number>()): Map<string, number> {
  if (typeof x === 'number' && Number.isFinite(x)) out.set(path, x);
  else if (Array.isArray(x)) x.slice(0, 50).forEach((v, k) => leaves(v, `${path}[${k}]`, out));
  else if (x && typeof x === 'object') for (const [k, v] of Object.entries(x)) leaves(v, path ? `${path}.${k}` : k, out);
  return out;
}

function readWeights(dir: string): Map<string, Float64Array> {
  const out = new Map<string, Float64Array>();
  const wd = join(dir, 'weights');
  if (!existsSync(wd)) return out;
  for (const f of readdirSync(wd)) {
    if (!f.endsWith('.csv') || f.endsWith('.series.csv')) continue;
    const lines = readFileSync(join(wd, f), 'utf8').trim().split('\n').slice(1);
    out.set(basename(f, '.csv'), Float64Array.from(lines, (l) => Number(l.split(',')[2])));
  }
  return out;
}

export interface Comparison { a: string; b: string; metrics: Row[]; weights: Record<string, unknown>[] }

export function compareRuns(dirA: string, dirB: string): Comparison {
  const A = readRun(dirA), B = readRun(dirB);
  const la = leaves(A.metrics), lb = leaves(B.metrics);
  const metrics: Row[] = [];
  for (const [k, a] of la) {
    const b = lb.get(k);
    if (b === undefined) continue;
    metrics.push({ quantity: k, a, b, diff: b - a, rel_diff: a !== 0 ? (b - a) / Math.abs(a) : null });
  }
  const wa = readWeights(dirA), wb = readWeights(dirB);
  const weights: Record<string, unknown>[] = [];
  for (const [name, x] of wa) {
    const y = wb.get(name);
    if (!y || y.length !== x.length) continue;
    const n = x.length;
    let mx = 0, my = 0, mad = 0;
    for (let i = 0; i < n; i++) {
      mx += x[i] / n;
      my += y[i] / n;
      mad += Math.abs(x[i] - y[i]) / n;
    }
    let sxy = 0, sxx = 0, syy = 0;
    for (let i = 0; i < n; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) ** 2;
      syy += (y[i] - my) ** 2;
    }
    weights.push({ projection: name, synapses: n, mean_a: mx, mean_b: my, mean_abs_diff: mad, correlation: sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : null });
  }
  return { a: dirA, b: dirB, metrics, weights };
}

export function comparisonMarkdown(c: Comparison): string {
  const fmt = (x: number | null) => (x === null ? '-' : Math.abs(x) >= 1e-3 && Math.abs(x) < 1e6 ? x.toPrecision(6) : x.toExponential(4));
  const lines = [`# ${c.a} vs ${c.b}`, '', '| quantity | a | b | b - a | relative |', '|---|---|---|---|---|'];
  for (const r of c.metrics) lines.push(`| ${r.quantity} | ${fmt(r.a)} | ${fmt(r.b)} | ${fmt(r.diff)} | ${r.rel_diff === null ? '-' : (100 * r.rel_diff).toFixed(2) + '%'} |`);
  if (c.weights.length) {
    lines.push('', '| projection | synapses | mean a | mean b | mean abs diff | correlation |', '|---|---|---|---|---|---|');
    for (const w of c.weights) lines.push(`| ${w.projection} | ${w.synapses} | ${fmt(w.mean_a as number)} | ${fmt(w.mean_b as number)} | ${fmt(w.mean_abs_diff as number)} | ${fmt(w.correlation as number | null)} |`);
  }
  return lines.join('\n') + '\n';
}

export async function writeComparison(c: Comparison, out: string): Promise<void> {
  await writeAtomically(out, [
    { path: 'compare.json', data: JSON.stringify(c, null, 2) + '\n' },
    { path: 'compare.md', data: comparisonMarkdown(c) },
  ], comparisonRule);
}
