/**
 * Reads a results folder from its files alone (run.json and the CSV tables), so a report can be rebuilt for any
 * run, including runs written before the report existed. Missing parts are simply absent; only run.json is
 * required. Population sizes and the duration come from the resolved scenario in run.json.
 *
 * Memory stays bounded by what the figures draw, not by the recordings (which can be larger than any string): every
 * CSV is streamed (formats/csv-stream.ts) into typed arrays; of a state table only the rows of the neurons the trace
 * figure draws are kept; a weight series is summarised as it is read (weight-series.ts).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ScenarioError } from '../errors.js';
import { columnIndex, type NumericTable } from '../formats/csv-read.js';
import { readNumericCsv } from '../formats/csv-stream.js';
import type { SpikeTrains } from '../recording/spikes.js';
import type { RecordedRun } from './run-json.js';
import { readWeightSeries, type WeightSeries } from './weight-series.js';

/** A folder that is not a readable chronoprop results folder: bad input (exit code 2), like a bad scenario. */
export class ResultsFolderError extends ScenarioError {}

export interface PopulationSpikes {
  name: string;
  model: string;
  size: number;
  spikes: SpikeTrains;
}

export interface StateTable {
  population: string;
  /** t_ms, neuron, <variables>: the rows of the first neurons met in the file only (at most MAX_TRACE_NEURONS). */
  table: NumericTable;
  /** Distinct neurons in the whole file. */
  neurons: number;
}

export interface WeightTables {
  projection: string;
  /** weights/<projection>.csv: pre, post, weight_mv. */
  final: NumericTable | null;
  /** weights/<projection>.series.csv (t_ms, pre, post, weight_mv, in time-major blocks) as the figures need it. */
  series: WeightSeries | null;
}

/** A rate-mode run's tables (scenario/run-rate.ts): rates/<population>.csv and rates/<population>.final.csv. */
export interface RateTables {
  population: string;
  /** t_ms, rate_hz: the population's mean rate over time. */
  series: NumericTable | null;
  /** neuron, rate_hz: each neuron's rate at the end. */
  final: NumericTable | null;
}

export interface RunData {
  dir: string;
  /** run.json as read: fields of older layouts may be missing. */
  run: Partial<RecordedRun>;
  durationMs: number;
  populations: PopulationSpikes[];
  state: StateTable[];
  weights: WeightTables[];
  rates: RateTables[];
}

function csvNames(dir: string, suffix = '.csv'): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(suffix))
    .map((f) => f.slice(0, -suffix.length))
    .sort();
}

function table(path: string, origin: string): NumericTable {
  return readNumericCsv(path, origin);
}

/**
 * A state table (time-major, neuron-minor) with the rows of the first `maxNeurons` distinct neurons met in it, and
 * the number of distinct neurons in all of it.
 */
/** Neurons a trace figure draws (state-figures.ts), and so the neurons whose rows a state table keeps. */
export const MAX_TRACE_NEURONS = 5;

export function readStateTable(path: string, population: string, maxNeurons = MAX_TRACE_NEURONS): StateTable {
  const origin = `state/${population}.csv`;
  const seen = new Set<number>();
  const kept = new Set<number>();
  const table = readNumericCsv(path, origin, (header) => {
    const nc = columnIndex(header, 'neuron', origin);
    return (values) => {
      const n = values[nc];
      if (kept.has(n)) return true;
      if (seen.has(n)) return false;
      seen.add(n);
      if (kept.size >= maxNeurons) return false;
      kept.add(n);
      return true;
    };
  });
  return { population, table, neurons: seen.size };
}

export function readRun(dir: string): RunData {
  const runPath = join(dir, 'run.json');
  if (!existsSync(runPath)) throw new ResultsFolderError([`${dir} has no run.json: not a chronoprop results folder`]);
  let run: Partial<RecordedRun>;
  try {
    run = JSON.parse(readFileSync(runPath, 'utf8')) as Partial<RecordedRun>;
  } catch (e) {
    throw new ResultsFolderError([`${runPath} is not valid JSON: ${(e as Error).message.split('\n')[0]}`]);
  }
  const scPops = run.scenario?.populations ?? [];
  const order = (name: string) => {
    const k = scPops.findIndex((p) => p.name === name);
    return k < 0 ? scPops.length : k;
  };

  const populations: PopulationSpikes[] = csvNames(join(dir, 'spikes'))
    .sort((a, b) => order(a) - order(b))
    .map((name) => {
      const tb = table(join(dir, 'spikes', `${name}.csv`), `spikes/${name}.csv`);
      const neuron = Int32Array.from(tb.col('neuron'));
      const spec = scPops.find((p) => p.name === name);
      let size = spec?.size ?? 0;
      for (let k = 0; k < neuron.length; k++) if (neuron[k] >= size) size = neuron[k] + 1;
      return { name, model: spec?.model ?? '?', size, spikes: { neuron, t: tb.col('t_ms') } };
    });

  let durationMs = run.scenario?.duration_ms ?? 0;
  if (!(durationMs > 0)) {
    for (const p of populations) if (p.spikes.t.length > 0) durationMs = Math.max(durationMs, p.spikes.t[p.spikes.t.length - 1]);
  }

  const state = csvNames(join(dir, 'state'))
    .sort((a, b) => order(a) - order(b))
    .map((population) => readStateTable(join(dir, 'state', `${population}.csv`), population));

  const wdir = join(dir, 'weights');
  const names = new Set([...csvNames(wdir).filter((n) => !n.endsWith('.series')), ...csvNames(wdir, '.series.csv')]);
  const weights = [...names].sort().map((projection) => {
    const f = join(wdir, `${projection}.csv`);
    const s = join(wdir, `${projection}.series.csv`);
    return {
      projection,
      final: existsSync(f) ? table(f, `weights/${projection}.csv`) : null,
      series: existsSync(s) ? readWeightSeries(s, `weights/${projection}.series.csv`) : null,
    };
  });

  const rdir = join(dir, 'rates');
  const rateNames = new Set([...csvNames(rdir).filter((n) => !n.endsWith('.final')), ...csvNames(rdir, '.final.csv')]);
  const rates = [...rateNames]
    .sort((a, b) => order(a) - order(b) || a.localeCompare(b))
    .map((population) => {
      const f = join(rdir, `${population}.csv`);
      const e = join(rdir, `${population}.final.csv`);
      return {
        population,
        series: existsSync(f) ? table(f, `rates/${population}.csv`) : null,
        final: existsSync(e) ? table(e, `rates/${population}.final.csv`) : null,
      };
    });

  return { dir, run, durationMs: durationMs > 0 ? durationMs : 1, populations, state, weights, rates };
}
