/**
 * The last look at a run's outputs before its results folder is written (runner.ts), for every experiment: no NaN or
 * +-Infinity in any file, and room for the files on the disk.
 *
 * - run.json's metrics and counts: no number that is not finite (requireFiniteMetrics; `null` means "not defined").
 * - CSV files: no field that reads back as NaN or +-Infinity: `NaN`, `nan`, `inf`, `-Infinity` and the like (the
 *   spellings of JavaScript, Python, NumPy and pandas), a number past float64's range (`1e999`), or a JavaScript
 *   leak (`undefined`, `null`, which pandas reads as NaN). A value that is not defined is an empty field.
 * - .npy files: no NaN or +-Infinity in a float field (plain arrays and structured ones, `<f8` and `<f4`).
 * - Files written piece by piece (streamed spike CSVs, state and weight series read back from disk) are checked
 *   piece by piece as they are written: a CSV by its whole lines, a .npy by its whole records.
 *
 * The first bad value stops the run with one line naming the file, the column (or field and index) and the value
 * (a ScenarioError: exit code 2); the results folder is built in a temporary folder, which is removed, so nothing is
 * written. Experiments with values that are legitimately undefined write them as null (metrics) or an empty field
 * (CSV), as docs/limits.md says.
 *
 * Free space: before anything is simulated a run is refused when the destination's file system has less than
 * FREE_SPACE_FLOOR available (checkFreeSpaceFloor), and before the folder is written when the bytes about to be
 * written (what is known of them: see outputBytes) exceed what is available (checkFreeSpace). The reading comes from
 * fs.statfsSync, replaceable for tests (setStatfs).
 */
import { statfsSync, type StatsFs } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ScenarioError } from './errors.js';
import { requireFiniteMetrics } from './finite.js';
import type { OutputFile } from './experiment.js';

/** A file written piece by piece (experiment.ts StreamedFile): text or bytes. */
export interface Streamed {
  path: string;
  write(emit: (piece: string | Uint8Array) => void): void;
  /** Bytes it will have at least (StreamedFile.size). */
  size?: number;
}

/** What the checks read of a run's result (experiment.ts RunResult). */
export interface GuardedResult {
  metrics: unknown;
  counts: unknown;
  /** Spikes per population, whole (`t`) or counted (spilled to disk): written to spikes.h5. */
  spikes?: ReadonlyMap<string, { t: ArrayLike<number> } | { count: number }>;
  streamed?: Streamed[];
}

const REFUSE = 'refusing to write a value that is not a finite number (an undefined value is an empty field; see docs/limits.md); nothing was written';

// ---------------------------------------------------------------------------------------------------------------
// CSV

/**
 * Where a field that reads back as NaN or +-Infinity may hide: a letter other than an exponent's e, or an exponent
 * of three digits. One pass of this regex over the text (1.5 to 4 GB/s of CPU measured on CSV files of numbers: a
 * character class, where a list of the words is 50 times slower) finds the lines to parse; in a file of numbers
 * there are none.
 */
const SUSPECT = /[a-df-z]|e\+?\d{3}/gi;
/** Spellings of NaN and +-Infinity that JavaScript, Python's float(), NumPy and pandas read. */
const NOT_FINITE = /^[+-]?(nan|inf|infinity)$/i;
/** A decimal number as float() and Number() read it. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
/** JavaScript's spellings of a missing value in a template string: pandas reads `null` as NaN. */
const LEAK = /^(null|undefined)$/;

/** Whether a CSV field (unquoted, trimmed) reads back as something that is not a finite number. */
export function badCsvField(field: string): boolean {
  const f = field.trim();
  if (f === '') return false;
  if (NOT_FINITE.test(f) || LEAK.test(f)) return true;
  return DECIMAL.test(f) && !Number.isFinite(Number(f));
}

/** The fields of one CSV line, quotes removed ("" inside quotes is one "). */
function csvFields(line: string): string[] {
  if (line.endsWith('\r')) line = line.slice(0, -1);
  if (!line.includes('"')) return line.split(',');
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let k = 0; k < line.length; k++) {
    const c = line[k];
    if (quoted) {
      if (c === '"' && line[k + 1] === '"') (field += '"'), k++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') out.push(field), (field = '');
    else field += c;
  }
  out.push(field);
  return out;
}

/**
 * Checks CSV text (`header` line first) in one regex pass; lines with a suspect are parsed. `line0` is the number of
 * lines before `text` in its file (for text checked in pieces), `header` the file's header fields when known.
 */
function checkCsvText(path: string, text: string, header: string[] | null, line0: number): void {
  SUSPECT.lastIndex = 0;
  let counted = 0; // text[0, counted) has had its newlines counted into `line`
  let line = line0;
  for (let m = SUSPECT.exec(text); m !== null; m = SUSPECT.exec(text)) {
    const start = text.lastIndexOf('\n', m.index) + 1;
    let end = text.indexOf('\n', m.index);
    if (end < 0) end = text.length;
    for (let k = text.indexOf('\n', counted); k >= 0 && k < start; k = text.indexOf('\n', k + 1)) line++;
    counted = start;
    const fields = csvFields(text.slice(start, end));
    const c = line === 0 ? -1 : fields.findIndex(badCsvField); // the header is names, not values
    if (c >= 0) {
      const column = header?.[c] !== undefined && header[c] !== '' ? `column ${header[c]}` : `column ${c + 1}`;
      throw new ScenarioError([`${path}: ${column}, row ${line} (line ${line + 1}) is ${JSON.stringify(fields[c])}: ${REFUSE}`]);
    }
    SUSPECT.lastIndex = end + 1;
  }
}

function firstLine(text: string): string[] {
  const end = text.indexOf('\n');
  return csvFields(end < 0 ? text : text.slice(0, end));
}

/** Throws (one line: file, column, row, value) if a field of the CSV text reads back as NaN or +-Infinity. */
export function checkCsv(path: string, text: string): void {
  checkCsvText(path, text, firstLine(text), 0);
}

// ---------------------------------------------------------------------------------------------------------------
// NPY

interface NpyField {
  name: string | null;
  /** Byte offset in the record, bytes per value, values per record and their shape. */
  at: number;
  width: number;
  per: number;
  sub: number[];
  float: boolean;
  little: boolean;
}

function parseType(t: string): { width: number; float: boolean; little: boolean } | null {
  const m = /^([<>|=]?)([a-zA-Z])(\d+)$/.exec(t);
  if (!m) return null;
  return { width: Number(m[3]), float: m[2] === 'f' && (m[3] === '4' || m[3] === '8'), little: m[1] !== '>' };
}

function dims(text: string): number[] {
  return text.split(',').map((s) => s.trim()).filter((s) => s !== '').map(Number);
}

/** The layout of a .npy file: where its data starts, its shape and its fields (one, unnamed, for a plain array). */
function npyLayout(path: string, b: Uint8Array): { data: number; shape: number[]; fortran: boolean; record: number; fields: NpyField[] } {
  const bad = (why: string) => new Error(`${path}: not a .npy file this check can read (${why})`);
  if (b.length < 10 || b[0] !== 0x93 || String.fromCharCode(...b.subarray(1, 6)) !== 'NUMPY') throw bad('no magic');
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const v1 = b[6] === 1;
  const len = v1 ? dv.getUint16(8, true) : dv.getUint32(8, true);
  const pre = v1 ? 10 : 12;
  const h = Buffer.from(b.buffer, b.byteOffset + pre, Math.min(len, b.length - pre)).toString('latin1');
  const shapeM = /'shape':\s*\(([^)]*)\)/.exec(h);
  if (!shapeM) throw bad('no shape');
  const shape = dims(shapeM[1]);
  const fortran = /'fortran_order':\s*True/.test(h);
  const fields: NpyField[] = [];
  let record = 0;
  const plain = /'descr':\s*'([^']*)'/.exec(h);
  if (plain) {
    const t = parseType(plain[1]);
    if (!t) throw bad(`type ${plain[1]}`);
    fields.push({ name: null, at: 0, per: 1, sub: [], ...t });
    record = t.width;
  } else {
    const list = /'descr':\s*\[(.*)\]\s*,\s*'fortran_order'/.exec(h) ?? /'descr':\s*\[(.*)\]/.exec(h);
    if (!list) throw bad('no descr');
    const item = /\(\s*'([^']*)'\s*,\s*'([^']*)'\s*(?:,\s*\(([^)]*)\)\s*)?\)/g;
    for (let m = item.exec(list[1]); m !== null; m = item.exec(list[1])) {
      const t = parseType(m[2]);
      if (!t) throw bad(`type ${m[2]} of field ${m[1]}`);
      const sub = m[3] === undefined ? [] : dims(m[3]);
      const per = sub.reduce((a, x) => a * x, 1);
      fields.push({ name: m[1], at: record, per, sub, ...t });
      record += per * t.width;
    }
    if (fields.length === 0) throw bad('no fields');
  }
  return { data: pre + len, shape, fortran, record, fields };
}

/** "[2, 3]" for flat index k of an array of shape `shape` (C order). */
function multiIndex(k: number, shape: number[]): string {
  if (shape.length === 0) return '[]';
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = shape[d] > 0 ? k % shape[d] : 0;
    k = shape[d] > 0 ? Math.floor(k / shape[d]) : 0;
  }
  return `[${idx.join(', ')}]`;
}

type NpyLayout = ReturnType<typeof npyLayout>;

/** Throws (one line: file, field, index, value) if a float in records [r0, r0 + rows) is NaN or +-Infinity. */
function checkNpyRecords(path: string, { shape, fortran, record, fields }: NpyLayout, dv: DataView, r0: number, rows: number): void {
  for (const f of fields) {
    if (!f.float) continue;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < f.per; c++) {
        const p = r * record + f.at + c * f.width;
        const x = f.width === 8 ? dv.getFloat64(p, f.little) : dv.getFloat32(p, f.little);
        if (x - x !== 0) {
          const at = fortran ? `${r0 + r} (flat, Fortran order)` : multiIndex(r0 + r, shape);
          const where = f.name === null ? `element ${at}` : `field ${f.name}, record ${at}${f.sub.length > 0 ? `, element ${multiIndex(c, f.sub)}` : ''}`;
          throw new ScenarioError([`${path}: ${where} is ${x}: ${REFUSE}`]);
        }
      }
    }
  }
}

/** Throws (one line: file, field, index, value) if a float in the .npy file is NaN or +-Infinity. */
export function checkNpy(path: string, b: Uint8Array): void {
  const layout = npyLayout(path, b);
  const { data, shape, record } = layout;
  const rows = shape.reduce((a, x) => a * x, 1);
  if (data + rows * record > b.length) throw new Error(`${path}: not a .npy file this check can read (${b.length - data} bytes of data for ${rows} records of ${record})`);
  checkNpyRecords(path, layout, new DataView(b.buffer, b.byteOffset + data, rows * record), 0, rows);
}

// ---------------------------------------------------------------------------------------------------------------
// All of a run's outputs

const textOf = (d: string | Uint8Array): string => (typeof d === 'string' ? d : Buffer.from(d.buffer, d.byteOffset, d.byteLength).toString('utf8'));

/** Checks one output file by its kind (.csv, .npy); other kinds are not read. */
export function checkOutputFile(f: OutputFile): void {
  const p = f.path.toLowerCase();
  if (p.endsWith('.csv')) checkCsv(f.path, textOf(f.data));
  else if (p.endsWith('.npy')) checkNpy(f.path, typeof f.data === 'string' ? Buffer.from(f.data, 'latin1') : f.data);
}

/**
 * The streamed file, checked as it is written: a CSV's pieces by their whole lines, a .npy's by their whole records
 * (its header once it is whole), the rest carried to the next piece. Other kinds are not read.
 */
export function checkedStream(f: Streamed): Streamed {
  const p = f.path.toLowerCase();
  if (p.endsWith('.csv')) return checkedCsvStream(f);
  if (p.endsWith('.npy')) return checkedNpyStream(f);
  return f;
}

function checkedCsvStream(f: Streamed): Streamed {
  return {
    path: f.path,
    size: f.size,
    write(emit) {
      let carry = '';
      let header: string[] | null = null;
      let lines = 0;
      const take = (text: string) => {
        if (header === null) header = firstLine(text);
        checkCsvText(f.path, text, header, lines);
        for (let k = text.indexOf('\n'); k >= 0; k = text.indexOf('\n', k + 1)) lines++;
      };
      f.write((piece) => {
        const text = textOf(piece);
        const cut = text.lastIndexOf('\n');
        if (cut < 0) carry += text;
        else {
          take(carry + text.slice(0, cut + 1));
          carry = text.slice(cut + 1);
        }
        emit(piece);
      });
      if (carry !== '') take(carry);
    },
  };
}

function checkedNpyStream(f: Streamed): Streamed {
  return {
    path: f.path,
    size: f.size,
    write(emit) {
      let layout: NpyLayout | null = null;
      let carry: Uint8Array = new Uint8Array(0); // bytes not checked yet: the header until whole, then a part record
      let rows = 0; // records checked so far
      f.write((piece) => {
        const bytes = typeof piece === 'string' ? Buffer.from(piece, 'latin1') : piece;
        let b = carry.length === 0 ? bytes : Buffer.concat([carry, bytes]);
        if (layout === null && b.length >= 12) {
          const len = b[6] === 1 ? b[8] | (b[9] << 8) : new DataView(b.buffer, b.byteOffset, b.length).getUint32(8, true);
          const data = (b[6] === 1 ? 10 : 12) + len;
          if (b.length >= data) {
            layout = npyLayout(f.path, b.subarray(0, data));
            b = b.subarray(data);
          }
        }
        if (layout !== null) {
          const whole = layout.record > 0 ? Math.floor(b.length / layout.record) : 0;
          checkNpyRecords(f.path, layout, new DataView(b.buffer, b.byteOffset, whole * layout.record), rows, whole);
          rows += whole;
          b = b.subarray(whole * layout.record);
        }
        carry = b.length > 0 ? Uint8Array.from(b) : new Uint8Array(0);
        emit(piece);
      });
    },
  };
}

/**
 * Checks what a run is about to write and returns its streamed files wrapped to be checked as they are written:
 * metrics and counts (run.json), every CSV and .npy file, and free space for them at `tmp` (the temporary folder,
 * made, on the destination's file system); `out` names the destination in messages. Throws one line (ScenarioError).
 */
export function checkOutputs(out: string, tmp: string, result: GuardedResult, files: OutputFile[]): Streamed[] {
  requireFiniteMetrics(result.metrics, 'metrics');
  requireFiniteMetrics(result.counts, 'counts');
  for (const f of files) checkOutputFile(f);
  checkFreeSpace(out, tmp, outputBytes(result, files));
  return (result.streamed ?? []).map(checkedStream);
}

// ---------------------------------------------------------------------------------------------------------------
// Free space

/** Free space a run needs on the destination's file system before anything is simulated (1 MiB). */
export const FREE_SPACE_FLOOR = 2 ** 20;

/** Bytes of float64 time and uint64 node id per spike in spikes.h5 (its datasets, without HDF5's own structure). */
const H5_SPIKE_BYTES = 16;

type Statfs = (path: string) => Pick<StatsFs, 'bavail' | 'bsize' | 'blocks'>;
let statfs: Statfs = (p) => statfsSync(p);

/**
 * Replaces the file-system reading that the free-space checks use (fs.statfsSync), for tests; null puts it back.
 * The function gets the path of an existing folder on the destination's file system.
 */
export function setStatfs(f: Statfs | null): void {
  statfs = f ?? ((p) => statfsSync(p));
}

/**
 * Bytes available to this user on the file system of `path` (or its nearest existing parent), or null where that
 * cannot be known (statfs not supported; a file system that counts no blocks, such as /proc).
 */
export function availableBytes(path: string): { bytes: number; at: string } | null {
  let at = resolve(path);
  for (;;) {
    try {
      const s = statfs(at);
      if (Number(s.blocks) === 0) return null;
      return { bytes: Number(s.bavail) * Number(s.bsize), at };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if ((code === 'ENOENT' || code === 'ENOTDIR') && dirname(at) !== at) at = dirname(at);
      else return null;
    }
  }
}

/**
 * What is known of the bytes a run is about to write: every file held in memory exactly (run.json, CSV, NPY, figure
 * specs), files written piece by piece at the size they declare (a streamed .npy exactly, a streamed CSV at least
 * its shortest possible lines), and spikes.h5's data at 16 bytes a spike. Not counted: report.html with its SVG
 * figures, whose sizes are known only once drawn.
 */
export function outputBytes(result: GuardedResult, files: OutputFile[]): number {
  let n = 0;
  for (const f of files) n += typeof f.data === 'string' ? Buffer.byteLength(f.data, 'utf8') : f.data.byteLength;
  for (const s of result.streamed ?? []) n += s.size ?? 0;
  for (const s of result.spikes?.values() ?? []) n += H5_SPIKE_BYTES * ('count' in s ? s.count : s.t.length);
  return n;
}

/** "1.5 GiB (1610612736 bytes)" */
export function showBytes(n: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let k = 0;
  let x = n;
  while (x >= 1024 && k < units.length - 1) (x /= 1024), k++;
  return k === 0 ? `${n} bytes` : `${Number(x.toPrecision(3))} ${units[k]} (${n} bytes)`;
}

/** Refuses (one line) to write `bytes` at `out` when the file system of `tmp` has less available. */
export function checkFreeSpace(out: string, tmp: string, bytes: number): void {
  const free = availableBytes(tmp);
  if (free === null || bytes <= free.bytes) return;
  throw new ScenarioError([`output folder ${out} cannot be written: its files need at least ${showBytes(bytes)}, and its file system has ${showBytes(free.bytes)} available (at ${free.at}); free some space or choose another with --out; nothing was written`]);
}

/** Refuses (one line), before anything is simulated, when the file system where `out` will be has under FREE_SPACE_FLOOR available. */
export function checkFreeSpaceFloor(out: string): void {
  const free = availableBytes(dirname(resolve(out)));
  if (free === null || free.bytes >= FREE_SPACE_FLOOR) return;
  throw new ScenarioError([`output folder ${out} cannot be written: its file system has ${showBytes(free.bytes)} available (at ${free.at}), under the ${showBytes(FREE_SPACE_FLOOR)} a run needs at least; free some space or choose another with --out`]);
}
