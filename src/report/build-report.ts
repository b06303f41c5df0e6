/**
 * (Re)builds a results folder's report from its files alone: reads the tables (read-run.ts), makes the standard
 * figures (raster, rate, isi, cv, trace-<population>, weights-hist-<projection>, weights-evolution-<projection>;
 * for a rate-mode run rate and rate-final from rates/), writes each as figures/<name>.vl.json and figures/<name>.svg,
 * renders every other figures/*.vl.json it finds (figures an experiment added) after them, in the experiment's
 * order (figureOrder), and writes report.html. report.html is written under a temporary name
 * and renamed, so a reader never sees half a page.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { readRun, type RunData } from './read-run.js';
import { rasterFigure, RASTER_SPIKE_CAP } from './raster.js';
import { cvFigure, isiFigure, rateFigure } from './spike-figures.js';
import { traceFigure } from './state-figures.js';
import { finalRateFigure, rateSeriesFigure } from './rate-figures.js';
import { weightEvolutionFigure, weightHistogramFigure } from './weight-figures.js';
import { renderSvg } from './render.js';
import { reportHtml, type RenderedFigure } from './html.js';
import { specTitle, type Figure, type VlSpec } from './vl.js';

const STANDARD = /^(raster|rate|rate-final|isi|cv|trace-.+|weights-hist-.+|weights-evolution-.+)$/;

/** True for names the report itself uses; experiment figures must pick others. */
export function isStandardFigureName(name: string): boolean {
  return STANDARD.test(name);
}

export interface ReportOptions {
  /** Most spikes drawn one tick each (default RASTER_SPIKE_CAP); above it the raster shows density. */
  spikeCap?: number;
}

export interface ReportResult {
  path: string;
  figures: string[];
  seconds: number;
}

function listFiles(dir: string, base = dir): { path: string; bytes: number }[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => {
      const p = join(dir, e.name);
      if (e.isDirectory()) return listFiles(p, base);
      return e.isFile() ? [{ path: relative(base, p).split('\\').join('/'), bytes: statSync(p).size }] : [];
    });
}

/** The standard figures for a results folder's data, in report order. */
export function standardFigures(data: RunData, opts: ReportOptions = {}): Figure[] {
  const { populations: pops, durationMs } = data;
  return [
    rasterFigure(pops, durationMs, opts.spikeCap ?? RASTER_SPIKE_CAP),
    rateFigure(pops, durationMs),
    isiFigure(pops),
    cvFigure(pops),
    rateSeriesFigure(data.rates, durationMs),
    finalRateFigure(data.rates),
    ...data.state.map(traceFigure),
    ...data.weights.flatMap((w) => [weightHistogramFigure(w), weightEvolutionFigure(w)]),
  ].filter((f): f is Figure => f !== null);
}

/**
 * Where an experiment's figure goes among the experiment's figures: `usermeta.order` in its spec (figures.ts sets
 * it from the order the experiment returns them in), else after those that have one, by name.
 */
function figureOrder(spec: VlSpec): number {
  const order = (spec.usermeta as { order?: unknown } | undefined)?.order;
  return typeof order === 'number' && Number.isFinite(order) ? order : Number.MAX_SAFE_INTEGER;
}

export async function buildReport(dir: string, opts: ReportOptions = {}): Promise<ReportResult> {
  const t0 = performance.now();
  const data = readRun(dir);
  const figDir = join(dir, 'figures');
  mkdirSync(figDir, { recursive: true });
  const figures: Figure[] = standardFigures(data, opts);
  for (const f of figures) writeFileSync(join(figDir, `${f.name}.vl.json`), JSON.stringify(f.spec) + '\n');
  const notes: string[] = [];
  const extra = readdirSync(figDir)
    .filter((f) => f.endsWith('.vl.json'))
    .map((f) => f.slice(0, -'.vl.json'.length))
    .filter((name) => !figures.some((f) => f.name === name))
    .sort();
  const own: Figure[] = [];
  for (const name of extra) {
    try {
      own.push({ name, spec: JSON.parse(readFileSync(join(figDir, `${name}.vl.json`), 'utf8')) as VlSpec });
    } catch (e) {
      notes.push(`figures/${name}.vl.json could not be read: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  figures.push(...own.sort((a, b) => figureOrder(a.spec) - figureOrder(b.spec)));
  const rendered: RenderedFigure[] = [];
  for (const f of figures) {
    try {
      const svg = await renderSvg(f.spec, f.name);
      writeFileSync(join(figDir, `${f.name}.svg`), svg);
      rendered.push({ name: f.name, title: specTitle(f.spec) || f.name, caption: String(f.spec.description ?? ''), svg });
    } catch (e) {
      notes.push(`figures/${f.name}.vl.json could not be drawn: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  const page = reportHtml({ data, figures: rendered, files: listFiles(dir), notes });
  const path = join(dir, 'report.html');
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, page);
  renameSync(tmp, path);
  return { path, figures: rendered.map((f) => f.name), seconds: (performance.now() - t0) / 1e3 };
}
