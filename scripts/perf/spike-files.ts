/**
 * Spike files shared with the Brian2 peer (scripts/peer/brian_run.py writes the same): per population,
 * <pop>.ids.i32 (neuron indices, int32) and <pop>.t_ms.f64 (times in ms, float64), little-endian, in time order.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SpikeTrains } from '../../src/recording/spikes.js';

if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error('spike files assume a little-endian machine');

export function writeSpikes(dir: string, pop: string, tr: SpikeTrains): void {
  writeFileSync(join(dir, `${pop}.ids.i32`), new Uint8Array(tr.neuron.buffer, tr.neuron.byteOffset, tr.neuron.byteLength));
  writeFileSync(join(dir, `${pop}.t_ms.f64`), new Uint8Array(tr.t.buffer, tr.t.byteOffset, tr.t.byteLength));
}

export function readSpikes(dir: string, pop: string): SpikeTrains {
  const ids = readFileSync(join(dir, `${pop}.ids.i32`));
  const ts = readFileSync(join(dir, `${pop}.t_ms.f64`));
  // Copy into fresh, aligned buffers (a Buffer may sit at any offset of a shared pool).
  const neuron = new Int32Array(ids.byteLength / 4);
  new Uint8Array(neuron.buffer).set(ids);
  const t = new Float64Array(ts.byteLength / 8);
  new Uint8Array(t.buffer).set(ts);
  if (neuron.length !== t.length) throw new Error(`${dir}/${pop}: ${neuron.length} ids but ${t.length} times`);
  return { neuron, t };
}
