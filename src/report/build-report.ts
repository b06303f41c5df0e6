/**
 * (Re)builds a results folder's report from its files alone: reads the tables (read-run.ts), makes the standard
 * figures (raster, rate, isi, cv, trace-<population>, weights-hist-<projection>, weights-evolution-<projection>;
 * for a rate-mode run rate and rate-final from rates/), writes each as figures/<name>.vl.json and figures/<name>.svg,
 * renders every other figures/*.vl.json it finds (figures an experiment added) after them, in the experiment's
 * order (figureOrder), and writes report.html.
 *
 * Nothing is written in place: the new figures/ is built in `figures.partial-<pid>` (starting from a copy of the old
 * one, whose experiment figures it renders) and swapped in by renames, then report.html is written under a
 * temporary name and renamed. If anything fails (a full disk, a signal), the old figures/ and report.html are left
 * as they were and the temporary ones removed, so a reader never sees half a page or a truncated figure.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
  const { finalDir, figDir, oldDir, path, tmp } = reportPaths(dir);
  abandonReport(dir);
  try {
    if (existsSync(finalDir)) cpSync(finalDir, figDir, { recursive: true });
    else mkdirSync(figDir);
    const built = await buildFigures(figDir, data, opts);
    // Swap the folders (two renames: the old one aside, the new one in), then the page.
    if (existsSync(finalDir)) renameSync(finalDir, oldDir);
    renameSync(figDir, finalDir);
    const page = reportHtml({ data, figures: built.rendered, files: listFiles(dir).filter((f) => !f.path.startsWith(`figures.old-${process.pid}/`)), notes: built.notes });
    writeFileSync(tmp, page);
    renameSync(tmp, path);
    rmSync(oldDir, { recursive: true, force: true });
    return { path, figures: built.rendered.map((f) => f.name), seconds: (performance.now() - t0) / 1e3 };
  } catch (e) {
    abandonReport(dir);
    throw e;
  }
}

function reportPaths(dir: string) {
  const path = join(dir, 'report.html');
  return {
    finalDir: join(dir, 'figures'),
    figDir: join(dir, `figures.partial-${process.pid}`),
    oldDir: join(dir, `figures.old-${process.pid}`),
    path,
    tmp: `${path}.tmp-${process.pid}`,
  };
}

/**
 * Undoes a report build of this process that did not finish (an error, or SIGINT/SIGTERM: `chronoprop report` calls
 * it then): the old figures/ back in place if they had been moved aside, and nothing temporary left.
 */
export function abandonReport(dir: string): void {
  const { finalDir, figDir, oldDir, tmp } = reportPaths(dir);
  // The old folder aside means the swap began: whatever is at figures/ now is the new one, half done or not.
  if (existsSync(oldDir)) {
    rmSync(finalDir, { recursive: true, force: true });
    renameSync(oldDir, finalDir);
  }
  for (const p of [figDir, oldDir, tmp]) rmSync(p, { recursive: true, force: true });
}

/** Writes every figure's .vl.json and .svg into figDir (a copy of the old figures/, with experiment figures). */
async function buildFigures(figDir: string, data: RunData, opts: ReportOptions): Promise<{ rendered: RenderedFigure[]; notes: string[] }> {
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
    let svg: string;
    try {
      svg = await renderSvg(f.spec, f.name);
    } catch (e) {
      notes.push(`figures/${f.name}.vl.json could not be drawn: ${(e as Error).message.split('\n')[0]}`);
      continue;
    }
    // A figure that cannot be drawn is a note in the report; one that cannot be written (a full disk) stops it.
    writeFileSync(join(figDir, `${f.name}.svg`), svg);
    rendered.push({ name: f.name, title: specTitle(f.spec) || f.name, caption: String(f.spec.description ?? ''), svg });
  }
  return { rendered, notes };
}
