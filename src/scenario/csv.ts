/**
 * CSV output. Numbers print as JavaScript's shortest round-trip form, so every float64 reads back bit-identical.
 * Built as one array of lines joined once: no per-value string concatenation in loops.
 */
import type { SpikeTrains } from '../recording/spikes.js';

export function spikesCsv(tr: SpikeTrains): string {
  const pieces: string[] = [];
  writeSpikesCsv([tr], (p) => pieces.push(p));
  return pieces.join('');
}

/** Lines per piece that writeSpikesCsv emits (a few MB of text). */
const PIECE_LINES = 65536;

/**
 * The spikes CSV (`neuron,t_ms`, one line per spike) emitted in pieces of at most PIECE_LINES lines, from spikes in
 * slices (recording/spikes.ts SpikeSlices): what spikesCsv returns, without holding it all.
 */
export function writeSpikesCsv(slices: Iterable<SpikeTrains>, emit: (piece: string) => void): void {
  emit('neuron,t_ms\n');
  for (const { neuron, t } of slices) {
    for (let a = 0; a < t.length; a += PIECE_LINES) {
      const b = Math.min(t.length, a + PIECE_LINES);
      const lines = new Array<string>(b - a);
      for (let k = a; k < b; k++) lines[k - a] = `${neuron[k]},${t[k]}`;
      emit(lines.join('\n') + '\n');
    }
  }
}

/**
 * A CSV file emitted in pieces of at most PIECE_LINES lines: `line` adds one (without its newline), `end` emits what
 * is left. The pieces joined are the header line and every line, each ended by a newline: what tableCsv returns for
 * the same lines, without holding them all.
 */
export class CsvPieces {
  private lines: string[] = [];

  constructor(
    private readonly emit: (piece: string) => void,
    header: string[],
  ) {
    emit(header.join(',') + '\n');
  }

  line(s: string): void {
    this.lines.push(s);
    if (this.lines.length === PIECE_LINES) this.flush();
  }

  end(): void {
    if (this.lines.length > 0) this.flush();
  }

  private flush(): void {
    this.emit(this.lines.join('\n') + '\n');
    this.lines = [];
  }
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
