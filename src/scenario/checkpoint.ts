/**
 * Checkpoint files: a run's complete state (kernel/state-io.ts) on disk, so that `chronoprop resume` can continue a
 * run that was killed, with outputs byte-identical to an uninterrupted run's (docs/checkpoint.md).
 *
 * Where: `<out>.checkpoint/checkpoint.bin`, beside the results folder (never inside `<out>.partial-<pid>`, which a
 * killed run leaves and the next run removes). One file, so that one rename makes a new checkpoint whole:
 *
 *     bytes 0-15    "chronoprop-ckpt\n"
 *     bytes 16-19   header length in bytes (uint32, little-endian); bytes 20-23 zero
 *     header        JSON (UTF-8): format, version, the resolved scenario and its SHA-256, how the run was started
 *                   (out, options, command, start time), the position, the state tree, and the arrays' table
 *                   { dtype, offset, length } with the data's length and SHA-256; padded with spaces to 8 bytes
 *     data          the arrays' raw bytes (little-endian), each starting on a multiple of 8
 *
 * Beside it, `spill/`: the recorders' spilled chunks (spikes, state samples, weight snapshots: recording/spill.ts),
 * appended as the run goes. The checkpoint counts how many records each recorder's files held when it was written
 * (fsync'd first); resuming cuts the files back to that count, so what a killed run appended after its last
 * checkpoint is dropped and written again.
 *
 * Written atomically: to `checkpoint.bin.tmp-<pid>` in the same folder, fsync, rename over checkpoint.bin, fsync the
 * folder. Until the rename the previous checkpoint stays whole; a kill at any moment leaves either. The data's
 * SHA-256 is checked when read, so a damaged file is refused with one line rather than resumed from.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, readSync, readdirSync, renameSync, rmSync, rmdirSync, statSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { endianness } from 'node:os';
import { ScenarioError } from './errors.js';
import { makeDirs } from './out-folder.js';
import { dtypeOf, makeArray, StateReader, type StateArray, type StateDtype, type StateNode, type StateWriter } from '../kernel/state-io.js';
import type { Scenario } from './schema.js';

export const CHECKPOINT_FORMAT = 'chronoprop-checkpoint/1';
const MAGIC = Buffer.from('chronoprop-ckpt\n', 'latin1');
const FILE = 'checkpoint.bin';

/** The unit a run is checkpointed in: simulated milliseconds, or training examples. */
export type CheckpointUnit = 'ms' | 'examples';

export interface CheckpointEvery {
  value: number;
  unit: CheckpointUnit;
}

/** How the run was started: what `chronoprop resume` needs to finish it as the run would have finished. */
export interface CheckpointRun {
  out: string;
  /** The working folder the run started in: relative paths in the scenario (settings.data_dir) are read from it. */
  cwd: string;
  report: boolean;
  replace: boolean;
  max_memory: string | number | null;
  workers: number;
  command: string[] | null;
  started_at: string;
  every: CheckpointEvery;
  /** Each resume so far: when, from which position, with which command. */
  resumed: { at: string; from: number; command: string[] | null }[];
}

export interface CheckpointHeader {
  format: string;
  version: string;
  written_at: string;
  scenario_sha256: string;
  run: CheckpointRun;
  /** Where the run stands: simulated ms done, or training examples done. */
  position: number;
  state: StateNode;
  arrays: { dtype: StateDtype; offset: number; length: number }[];
  data_bytes: number;
  data_sha256: string;
  scenario: Scenario;
}

/** `--checkpoint-every` as given: a positive number with its unit, `ms` (simulated) or `ex` (training examples). */
export function parseCheckpointEvery(v: string): CheckpointEvery {
  const m = /^(\d+(?:\.\d+)?(?:e[+-]?\d+)?)(ms|ex)$/.exec(v.trim());
  const value = m ? Number(m[1]) : NaN;
  if (!m || !(value > 0) || !Number.isFinite(value) || (m[2] === 'ex' && !Number.isInteger(value))) {
    throw new ScenarioError([`--checkpoint-every must be simulated milliseconds (e.g. 200ms) or a whole number of training examples (e.g. 1000ex), got ${JSON.stringify(v)}`]);
  }
  return { value, unit: m[2] === 'ms' ? 'ms' : 'examples' };
}

export const showEvery = (e: CheckpointEvery) => (e.unit === 'ms' ? `${e.value}ms` : `${e.value}ex`);

/** The checkpoint folder of a results folder. */
export function checkpointDir(out: string): string {
  return `${resolve(out)}.checkpoint`;
}

/** The folder in a checkpoint folder where a checkpointed run's recorders spill (recording/spill.ts). */
export function spillDir(checkpointFolder: string): string {
  return join(checkpointFolder, 'spill');
}

/**
 * Removes a checkpoint folder's own files (the spilled records first, then checkpoint.bin and temporary files of
 * checkpoint writes), then the folder if that left it empty. Once the run's results are in place, or for a run that
 * had finished.
 */
export function removeCheckpoint(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  rmSync(spillDir(dir), { recursive: true, force: true });
  for (const n of names) if (n === FILE || /^checkpoint\.bin\.tmp-\d+$/.test(n)) rmSync(join(dir, n), { force: true });
  try {
    rmdirSync(dir);
  } catch {
    // not empty (someone else's files), or gone
  }
}

const pad8 = (n: number) => (8 - (n % 8)) % 8;

/**
 * Writes the state `w` holds as the folder's checkpoint, atomically (see the header). Allocates the header and
 * hashes the data; the arrays are written from where they are.
 */
export function writeCheckpoint(dir: string, head: Omit<CheckpointHeader, 'state' | 'arrays' | 'data_bytes' | 'data_sha256' | 'format'>, w: StateWriter): void {
  if (endianness() !== 'LE') throw new Error('checkpoints are written on little-endian machines only');
  const arrays: CheckpointHeader['arrays'] = [];
  const hash = createHash('sha256');
  const zeros = Buffer.alloc(8);
  let offset = 0;
  const bytes = (a: StateArray) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  for (const a of w.arrays) {
    arrays.push({ dtype: dtypeOf(a), offset, length: a.length });
    hash.update(bytes(a));
    const p = pad8(a.byteLength);
    hash.update(zeros.subarray(0, p));
    offset += a.byteLength + p;
  }
  const header: CheckpointHeader = { format: CHECKPOINT_FORMAT, ...head, state: w.node, arrays, data_bytes: offset, data_sha256: hash.digest('hex') };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const lead = Buffer.alloc(24);
  MAGIC.copy(lead, 0);
  lead.writeUInt32LE(json.length + pad8(24 + json.length), 16);
  makeDirs(dir);
  const tmp = join(dir, `${FILE}.tmp-${process.pid}`);
  const fd = openSync(tmp, 'w');
  try {
    writeAll(fd, lead);
    writeAll(fd, json);
    writeAll(fd, Buffer.alloc(pad8(24 + json.length), ' '));
    for (const a of w.arrays) {
      writeAll(fd, bytes(a));
      writeAll(fd, zeros.subarray(0, pad8(a.byteLength)));
    }
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  closeSync(fd);
  renameSync(tmp, join(dir, FILE));
  syncDir(dir);
}

function writeAll(fd: number, b: Uint8Array): void {
  for (let done = 0; done < b.length; ) done += writeSync(fd, b, done, b.length - done);
}

function syncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The checkpoint file that `ref` names: a results folder (its `.checkpoint` beside it), the checkpoint folder, or the file. */
export function findCheckpoint(ref: string): string | null {
  const full = resolve(ref);
  const candidates = [full, join(full, FILE), join(checkpointDir(full), FILE)];
  for (const c of candidates) {
    try {
      if (statSync(c).isFile()) return c;
    } catch {
      // not there
    }
  }
  return null;
}

/** Removes temporary files of checkpoint writes that were killed (their process is gone); returns their names. */
export function cleanCheckpointLeftovers(dir: string, alive: (pid: number) => boolean): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const done: string[] = [];
  for (const name of names) {
    const m = /^checkpoint\.bin\.tmp-(\d+)$/.exec(name);
    if (!m || Number(m[1]) === process.pid || alive(Number(m[1]))) continue;
    rmSync(join(dir, name), { force: true });
    done.push(name);
  }
  return done;
}

/** Reads and checks a checkpoint file: the header and a reader of its state. Problems are one-line ScenarioErrors. */
export function readCheckpoint(file: string): { header: CheckpointHeader; state: StateReader } {
  const bad = (why: string) => new ScenarioError([`checkpoint ${file} ${why}`]);
  const buf = readFileSync(file);
  if (buf.length < 24 || !buf.subarray(0, 16).equals(MAGIC)) throw bad('is not a chronoprop checkpoint (its first bytes are not "chronoprop-ckpt")');
  const len = buf.readUInt32LE(16);
  if (24 + len > buf.length) throw bad(`is truncated: its header needs ${24 + len} bytes, the file has ${buf.length}`);
  let header: CheckpointHeader;
  try {
    header = JSON.parse(buf.subarray(24, 24 + len).toString('utf8')) as CheckpointHeader;
  } catch {
    throw bad('has a header that is not JSON (damaged)');
  }
  if (header.format !== CHECKPOINT_FORMAT) throw bad(`has format ${JSON.stringify(header.format)}, this chronoprop reads ${CHECKPOINT_FORMAT}`);
  const data = buf.subarray(24 + len);
  if (data.length !== header.data_bytes) throw bad(`is truncated: ${header.data_bytes} bytes of data expected, ${data.length} found`);
  if (createHash('sha256').update(data).digest('hex') !== header.data_sha256) throw bad('is damaged: its data does not match the SHA-256 in its header');
  const arrays = header.arrays.map(({ dtype, offset, length }) => {
    const a = makeArray(dtype, length);
    new Uint8Array(a.buffer).set(data.subarray(offset, offset + a.byteLength));
    return a;
  });
  return { header, state: new StateReader(header.state, arrays) };
}

/**
 * True if the run finished after all: its results folder is in place, with the run.json of the run the checkpoint
 * belongs to (same start time), and only the checkpoint's removal was cut short (a kill in between).
 */
export function finishedRun(run: CheckpointRun): boolean {
  try {
    const json = JSON.parse(readFileSync(join(run.out, 'run.json'), 'utf8')) as { provenance?: { started_at?: string } };
    return json.provenance?.started_at === run.started_at;
  } catch {
    return false;
  }
}

/** True if a checkpoint of an unfinished run is beside `out`. */
export function hasCheckpoint(out: string): boolean {
  return existsSync(join(checkpointDir(out), FILE));
}

/** The results folder a checkpoint file's run writes and its working folder, from its header alone, or null if it cannot be read. */
export function readCheckpointRun(file: string): CheckpointRun | null {
  let fd: number | null = null;
  try {
    fd = openSync(file, 'r');
    const lead = Buffer.alloc(24);
    readSync(fd, lead, 0, 24, 0);
    const head = Buffer.alloc(lead.readUInt32LE(16));
    readSync(fd, head, 0, head.length, 24);
    return (JSON.parse(head.toString('utf8')) as CheckpointHeader).run;
  } catch {
    return null;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}
