/**
 * CSV output. Numbers print as JavaScript's shortest round-trip form, so every float64 reads back bit-identical.
 * Built as one array of lines joined once: no per-value string concatenation in loops.
 */
import type { SpikeTrains } from '../recording/spikes.js';

export function spikesCsv(tr: SpikeTrains): string {
  const lines = new Array<string>(tr.t.length + 1);
  lines[0] = 'neuron,t_ms';
  for (let k = 0; k < tr.t.length; k++) lines[k + 1] = `${tr.neuron[k]},${tr.t[k]}`;
  return lines.join('\n') + '\n';
}

export function tableCsv(header: string[], columns: ArrayLike<number>[]): string {
  const n = columns.length > 0 ? columns[0].length : 0;
  const lines = new Array<string>(n + 1);
  lines[0] = header.join(',');
  for (let r = 0; r < n; r++) {
    let s = String(columns[0][r]);
    for (let c = 1; c < columns.length; c++) s += ',' + columns[c][r];
    lines[r + 1] = s;
  }
  return lines.join('\n') + '\n';
}
