/**
 * The files of the state and weight recorders, written by streaming over their samples a chunk at a time
 * (recording/spill.ts), so that a recorder that spilled to disk is never read back whole:
 *
 *     state/<population>.csv          t_ms,neuron,<vars>: one row per sample time and neuron, time-major
 *     state/<population>.npy          one record per sample: t_ms, neuron (n,), each variable (n,)
 *     weights/<projection>.series.csv t_ms,pre,post,weight_mv: one row per snapshot and synapse, time-major
 *     weights/<projection>.series.npy one record per snapshot: t_ms, weight_mv (synapses,)
 *
 * Each is byte for byte what tableCsv and npyTable give for the whole table (the CSV is emitted in pieces of at most
 * 65,536 lines, CsvPieces; the NPY as its header, then the records of each chunk, npyRecords): a run that spilled
 * writes the same files as one that held everything. What a file holds at a time is one chunk read back and its
 * encoding, and one CSV piece.
 *
 * The values are checked to be finite first (requireFiniteState, requireFiniteWeights), in one pass, with the
 * message the in-memory check gave: the first bad value of the first variable that has one, by time then neuron
 * (state); the first bad weight by time then synapse (weights).
 */
import type { StreamedFile } from './experiment.js';
import type { StateRecorder } from '../recording/state.js';
import type { WeightRecorder } from '../recording/weights.js';
import { CsvPieces } from './csv.js';
import { npyRecords, npyTableHeader, type NpyField } from '../formats/npy.js';
import { requireFinite } from './finite.js';

/** state/<population>.csv and .npy. */
export function stateFiles(r: StateRecorder): StreamedFile[] {
  const name = r.pop.name;
  const nVars = r.vars.length;
  const n = r.neurons.length;
  const header = ['t_ms', 'neuron', ...r.vars];
  const csv: StreamedFile = {
    path: `state/${name}.csv`,
    size: csvAtLeast(header, r.count * n),
    write(emit) {
      const out = new CsvPieces(emit, header);
      for (const { count, cols } of r.record.slices()) {
        const [t, values] = cols;
        for (let k = 0; k < count; k++) {
          for (let a = 0; a < n; a++) {
            let o = k * r.width + a * nVars;
            let line = t[k] + ',' + r.neurons[a];
            for (let v = 0; v < nVars; v++) line += ',' + values[o++];
            out.line(line);
          }
        }
      }
      out.end();
    },
  };
  const shape = [n];
  const fields = (t: Float64Array, ids: Int32Array, vars: Float64Array[]): NpyField[] => [
    { name: 't_ms', data: t },
    { name: 'neuron', data: ids, shape },
    ...r.vars.map((v, k) => ({ name: v, data: vars[k], shape })),
  ];
  const head = npyTableHeader(r.count, fields(new Float64Array(0), new Int32Array(0), r.vars.map(() => new Float64Array(0))));
  const npy: StreamedFile = {
    path: `state/${name}.npy`,
    size: head.length + r.count * (8 + 4 * n + 8 * n * nVars),
    write(emit) {
      emit(head);
      // The neuron ids of a chunk (the same row in every record) and each variable's values, gathered from the
      // samples' neuron-major layout (one variable: the values as they are).
      let ids = new Int32Array(0);
      let vars: Float64Array[] = [];
      for (const { count, cols } of r.record.slices()) {
        if (ids.length < count * n) {
          ids = new Int32Array(count * n);
          for (let k = 0; k < count; k++) ids.set(r.neurons, k * n);
          vars = nVars === 1 ? [] : r.vars.map(() => new Float64Array(count * n));
        }
        const values = cols[1] as Float64Array;
        const per = nVars === 1 ? [values] : vars.map((g, v) => gather(values, g, count * n, nVars, v));
        emit(npyRecords(count, fields(cols[0] as Float64Array, ids.subarray(0, count * n), per)));
      }
    },
  };
  return [csv, npy];
}

/** The least bytes of a CSV file with this header and `rows` rows: each field one character. */
export function csvAtLeast(header: string[], rows: number): number {
  return header.join(',').length + 1 + rows * 2 * header.length;
}

/** g[0, m) = values[v], values[v + stride], ... */
function gather(values: Float64Array, g: Float64Array, m: number, stride: number, v: number): Float64Array {
  for (let j = 0; j < m; j++) g[j] = values[j * stride + v];
  return g.subarray(0, m);
}

/** weights/<projection>.series.csv and .series.npy, synapses in the projection's order (`pre` its sources). */
export function weightSeriesFiles(w: WeightRecorder, pre: Int32Array): StreamedFile[] {
  const p = w.projection;
  const post = p.post;
  const n = p.count;
  const header = ['t_ms', 'pre', 'post', 'weight_mv'];
  const csv: StreamedFile = {
    path: `weights/${p.name}.series.csv`,
    size: csvAtLeast(header, w.count * n),
    write(emit) {
      const out = new CsvPieces(emit, header);
      for (const { count, cols } of w.record.slices()) {
        const [t, values] = cols;
        for (let k = 0; k < count; k++) {
          const head = t[k] + ',';
          for (let s = 0; s < n; s++) out.line(head + pre[s] + ',' + post[s] + ',' + values[k * n + s]);
        }
      }
      out.end();
    },
  };
  const fields = (t: Float64Array, values: Float64Array): NpyField[] => [
    { name: 't_ms', data: t },
    { name: 'weight_mv', data: values, shape: [n] },
  ];
  const head = npyTableHeader(w.count, fields(new Float64Array(0), new Float64Array(0)));
  const npy: StreamedFile = {
    path: `weights/${p.name}.series.npy`,
    size: head.length + w.count * 8 * (1 + n),
    write(emit) {
      emit(head);
      for (const { count, cols } of w.record.slices()) emit(npyRecords(count, fields(cols[0] as Float64Array, cols[1] as Float64Array)));
    },
  };
  return [csv, npy];
}

/** Throws (one line: recorder, variable, time, neuron) if a recorded state value is not finite. */
export function requireFiniteState(r: StateRecorder): void {
  const nVars = r.vars.length;
  // The first bad value of each variable, by time then neuron: the message names the first variable's.
  const bad: { x: number; t: number; a: number }[] = [];
  for (const { count, cols } of r.record.slices()) {
    const [t, values] = cols;
    for (let j = 0; j < count * r.width; j++) {
      const x = values[j];
      if (x - x === 0) continue;
      const v = j % nVars;
      bad[v] ??= { x, t: t[Math.floor(j / r.width)], a: Math.floor((j % r.width) / nVars) };
    }
  }
  const v = bad.findIndex((b) => b !== undefined);
  if (v < 0) return;
  const { x, t, a } = bad[v];
  requireFinite([x], `state recorder ${r.pop.name}: ${r.vars[v]}`, () => `at t = ${t} ms, neuron ${r.neurons[a]}`);
}

/** Throws (one line: recorder, time, synapse) if a recorded weight is not finite. */
export function requireFiniteWeights(w: WeightRecorder, pre: Int32Array): void {
  const p = w.projection;
  const n = p.count;
  for (const { count, cols } of w.record.slices()) {
    const [t, values] = cols;
    requireFinite(values.subarray(0, count * n), `weight recorder ${p.name}: weight_mv`, (j) => `at t = ${t[Math.floor(j / n)]} ms, synapse ${pre[j % n]} -> ${p.post[j % n]}`);
  }
}
