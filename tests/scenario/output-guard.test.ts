/**
 * Nothing lost (issue 20): every experiment's outputs pass one check before the results folder is written
 * (src/scenario/output-guard.ts, called by the runner): no NaN or +-Infinity in run.json's metrics, in a CSV field or
 * in a float .npy value, and enough free space on the destination's file system; and, before anything is simulated,
 * at least FREE_SPACE_FLOOR free there. A refusal is one line naming the file and the place (ScenarioError: exit
 * code 2) and writes nothing. The free-space reading is injected (setStatfs), so no disk has to be filled.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenario } from '../../src/scenario/load.js';
import { runExperiment } from '../../src/scenario/runner.js';
import { ScenarioError } from '../../src/scenario/errors.js';
import type { Experiment, OutputFile, RunResult, StreamedFile } from '../../src/scenario/experiment.js';
import { badCsvField, checkCsv, checkNpy, FREE_SPACE_FLOOR, setStatfs, availableBytes } from '../../src/scenario/output-guard.js';
import { csvNumber, tableCsvWithUndefined, undefinedAsNullDeep } from '../../src/scenario/finite.js';
import { tableCsv } from '../../src/scenario/csv.js';
import { npyArray, npyRecords, npyTable, npyTableHeader } from '../../src/formats/npy.js';
import { parseNumericCsv } from '../../src/formats/csv-read.js';

const root = mkdtempSync(join(tmpdir(), 'chronoprop-guard-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => setStatfs(null));

function message(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    const m = (e as Error).message;
    expect(m).not.toMatch(/\n/);
    return m;
  }
  throw new Error('expected a ScenarioError');
}

describe('CSV files: no field that reads back as NaN or +-Infinity', () => {
  it('refuses NaN, Infinity, overflowing numbers and JavaScript leaks, in any spelling', () => {
    for (const f of ['NaN', 'nan', '-nan', 'inf', '-inf', 'Infinity', '+Infinity', '-Infinity', 'INF', '1e999', '-1E400', '1e+309', 'null', 'undefined', ' NaN ']) {
      expect(badCsvField(f), f).toBe(true);
    }
    for (const f of ['', '0', '-0', '1e308', '-1.7976931348623157e+308', '5e-324', '1e-400', 'info', 'none', 'random', 'label + pose', 'exact (tied)']) {
      expect(badCsvField(f), f).toBe(false);
    }
  });

  it('names the file, the column, the row and the value; text columns and headers are not values', () => {
    const ok = 'feedback,nan_count,cosine\nnone,0,0.5\ninfo,1,\nrandom,2,1e308\n';
    expect(() => checkCsv('cos.csv', ok)).not.toThrow();
    expect(message(() => checkCsv('cos.csv', ok + 'shuffled,3,NaN\n'))).toMatch(/^cos\.csv: column cosine, row 4 \(line 5\) is "NaN": refusing to write a value that is not a finite number/);
    expect(message(() => checkCsv('a.csv', 'x,y\n1,2\n-Infinity,3\n'))).toMatch(/^a\.csv: column x, row 2 \(line 3\) is "-Infinity"/);
    expect(message(() => checkCsv('q.csv', 'top,v\n"label, pose",1e999\n'))).toMatch(/^q\.csv: column v, row 1 \(line 2\) is "1e999"/);
    expect(message(() => checkCsv('crlf.csv', 'a,b\r\n1,2\r\n3,nan\r\n'))).toMatch(/^crlf\.csv: column b, row 2 \(line 3\) is "nan"/);
  });

  it('finds a NaN among millions of numbers (one regex pass; lines are parsed only where it finds a letter)', () => {
    const n = 200_000;
    const a = Float64Array.from({ length: n }, (_, k) => Math.sin(k) * 10 ** ((k % 40) - 20));
    const b = Float64Array.from({ length: n }, (_, k) => k);
    expect(() => checkCsv('big.csv', tableCsv(['a', 'k'], [a, b]))).not.toThrow();
    a[123_456] = NaN;
    expect(message(() => checkCsv('big.csv', tableCsv(['a', 'k'], [a, b])))).toMatch(/^big\.csv: column a, row 123457 \(line 123458\) is "NaN"/);
  });
});

describe('.npy files: no NaN or +-Infinity in a float field', () => {
  it('plain arrays: names the element', () => {
    const w = new Float64Array(12);
    expect(() => checkNpy('w.npy', npyArray(w, [3, 4]))).not.toThrow();
    w[7] = NaN;
    expect(message(() => checkNpy('weights/w.npy', npyArray(w, [3, 4])))).toMatch(/^weights\/w\.npy: element \[1, 3\] is NaN: refusing/);
  });

  it('structured arrays: names the field, the record and the element; integer fields are not floats', () => {
    const v = new Float64Array(30);
    const fields = () => [
      { name: 't_ms', data: new Float64Array(3) },
      { name: 'neuron', data: new Int32Array(30).fill(-1), shape: [10] },
      { name: 'v_mv', data: v, shape: [10] },
    ];
    expect(() => checkNpy('s.npy', npyTable(3, fields()))).not.toThrow();
    v[13] = -Infinity;
    expect(message(() => checkNpy('state/s.npy', npyTable(3, fields())))).toMatch(/^state\/s\.npy: field v_mv, record \[1\], element \[3\] is -Infinity/);
  });

  it('reads float32 and big-endian arrays too', () => {
    const f8 = npyArray(new Float64Array(4), [4]);
    const h = f8.length - 32;
    // Rewritten as <f4 with 4 values (16 bytes): header text and data by hand.
    const head = Buffer.from(f8.subarray(0, h)).toString('latin1').replace("'<f8'", "'<f4'");
    const b = new Uint8Array(h + 16);
    b.set(Buffer.from(head, 'latin1'));
    b.set(new Uint8Array(new Float32Array([1, 2, NaN, 4]).buffer), h);
    expect(message(() => checkNpy('f4.npy', b))).toMatch(/^f4\.npy: element \[2\] is NaN/);
    const big = npyArray(new Float64Array([1, 2]), [2]);
    const bh = big.length - 16;
    big.set(Buffer.from(Buffer.from(big.subarray(0, bh)).toString('latin1').replace("'<f8'", "'>f8'"), 'latin1'));
    new DataView(big.buffer, bh).setFloat64(8, Infinity, false);
    expect(message(() => checkNpy('be.npy', big))).toMatch(/^be\.npy: element \[1\] is Infinity/);
  });
});

describe('the convention for a value that is not defined: null in run.json, an empty CSV field', () => {
  it('tableCsvWithUndefined writes what tableCsv writes, byte for byte, when every value is defined', () => {
    const cols = [Float64Array.from([0, -0, 0.1 + 0.2, 5e-324, 1e21, -1e-7, 123456789.125]), Int32Array.from([1, -2, 3, 4, 5, 6, 2147483647])];
    expect(tableCsvWithUndefined(['a', 'b'], cols)).toBe(tableCsv(['a', 'b'], cols));
  });

  it('writes NaN as an empty field, which reads back as NaN', () => {
    const text = tableCsvWithUndefined(['examples', 'accuracy'], [Float64Array.from([0, 500]), Float64Array.from([NaN, 0.75])]);
    expect(text).toBe('examples,accuracy\n0,\n500,0.75\n');
    expect(() => checkCsv('c.csv', text)).not.toThrow();
    const back = parseNumericCsv(text);
    expect(back.col('accuracy')[0]).toBeNaN();
    expect(back.col('accuracy')[1]).toBe(0.75);
    expect(csvNumber(null)).toBe('');
  });

  it('undefinedAsNullDeep leaves run.json byte-identical (JSON.stringify wrote NaN as null already)', () => {
    const m = { curve: [{ examples: 0, acc: NaN }, { examples: 1, acc: 0.5 }], ok: true, label: 'x', none: null };
    expect(JSON.stringify(undefinedAsNullDeep(m), null, 2)).toBe(JSON.stringify(m, null, 2));
    expect(undefinedAsNullDeep(m).curve[0].acc).toBeNull();
    expect(m.curve[0].acc).toBeNaN(); // a copy: the experiment's own values are untouched
  });
});

/** An experiment that returns the given files, metrics and streamed files, and says whether it ran. */
function experiment(out: Partial<RunResult>): Experiment & { ran: boolean } {
  const e = {
    summary: 'test',
    ran: false,
    run: async (): Promise<RunResult> => {
      e.ran = true;
      return { metrics: {}, counts: { spikes: 0, synaptic_events: 0 }, timing: { build_s: 0, simulate_s: 0 }, files: [], ...out };
    },
  };
  return e;
}
const scenario = () => loadScenario({ name: 'guarded', seed: 1, duration_ms: 1, experiment: 'guarded' });
const leftovers = () => readdirSync(root).filter((f) => f.includes('.partial-') || f.includes('.probing-') || f.includes('.old-'));

async function refused(e: Experiment, out: string): Promise<string> {
  const err = await runExperiment(e, scenario(), out, { workers: 1, report: false }).then(() => null, (x: unknown) => x);
  expect(err).toBeInstanceOf(ScenarioError);
  expect(existsSync(out)).toBe(false);
  expect(leftovers()).toEqual([]);
  const m = (err as Error).message;
  expect(m).not.toMatch(/\n/);
  return m;
}

describe('the runner checks every experiment\'s outputs before it writes the folder', () => {
  const csv = (v: string): OutputFile => ({ path: 'curve.csv', data: `examples,accuracy\n0,0.5\n500,${v}\n` });

  it('finite files and null metrics are written as they are', async () => {
    const out = join(root, 'clean');
    await runExperiment(experiment({ metrics: { accuracy: null, curve: [1, 2] }, files: [csv(''), { path: 'w.npy', data: npyArray(new Float64Array([1, 2])) }] }), scenario(), out, { workers: 1, report: false });
    expect(readFileSync(join(out, 'curve.csv'), 'utf8')).toBe('examples,accuracy\n0,0.5\n500,\n');
    expect(JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')).metrics).toEqual({ accuracy: null, curve: [1, 2] });
  });

  it('a NaN in a CSV file: one line naming the file, the column, the row and the value; nothing written', async () => {
    expect(await refused(experiment({ files: [csv('NaN')] }), join(root, 'csv'))).toMatch(/^curve\.csv: column accuracy, row 2 \(line 3\) is "NaN": refusing/);
  });

  it('Infinity in a .npy file, and a NaN metric, are refused the same way', async () => {
    const w = new Float64Array([1, Infinity]);
    expect(await refused(experiment({ files: [{ path: 'weights/w.npy', data: npyArray(w, [2]) }] }), join(root, 'npy'))).toMatch(/^weights\/w\.npy: element \[1\] is Infinity/);
    expect(await refused(experiment({ metrics: { learning_curve: [{ accuracy: NaN }] } }), join(root, 'metric'))).toMatch(/^metrics\.learning_curve\[0\]\.accuracy is NaN/);
  });

  it('a streamed CSV is checked as it is written, across pieces, and its partial folder removed', async () => {
    const streamed: StreamedFile[] = [{ path: 'spikes/p.csv', write: (emit) => ['neuron,t_ms\n0,1\n', '1,2\n2,N', 'aN\n3,4\n'].forEach(emit) }];
    expect(await refused(experiment({ streamed }), join(root, 'streamed'))).toMatch(/^spikes\/p\.csv: column t_ms, row 3 \(line 4\) is "NaN"/);
  });

  it('a streamed .npy is checked as it is written, by whole records across pieces (its header cut too)', async () => {
    // A state table of 5 records (t_ms, neuron (2,), v_mv (2,): 32 bytes each), in pieces cut inside the header and
    // inside records; the bad value is record 3's second v, in a record that straddles two pieces.
    const shape = [2];
    const fields = (t: number[], v: number[]) => [{ name: 't_ms', data: Float64Array.from(t) }, { name: 'neuron', data: Int32Array.from(t.flatMap(() => [4, 7])), shape }, { name: 'v_mv', data: Float64Array.from(v), shape }];
    const head = npyTableHeader(5, fields([], []));
    const table = (bad: number) => Buffer.concat([head, npyRecords(5, fields([0, 1, 2, 3, 4], [-70, -60, -70, -60, -70, -60, -70, bad, -70, -60]))]);
    const cuts = [0, 30, head.length + 10, head.length + 3 * 32 + 17];
    const pieces = (b: Buffer) => cuts.map((c, k) => b.subarray(c, cuts[k + 1] ?? b.length));
    expect(Buffer.concat(pieces(table(-60))).equals(npyTable(5, fields([0, 1, 2, 3, 4], [-70, -60, -70, -60, -70, -60, -70, -60, -70, -60])))).toBe(true);
    const streamed = (b: Buffer): StreamedFile[] => [{ path: 'state/p.npy', write: (emit) => pieces(b).forEach(emit) }];
    expect(await refused(experiment({ streamed: streamed(table(Infinity)) }), join(root, 'streamed-npy'))).toMatch(/^state\/p\.npy: field v_mv, record \[3\], element \[1\] is Infinity: refusing/);
    expect(await refused(experiment({ streamed: streamed(table(NaN)) }), join(root, 'streamed-npy'))).toMatch(/^state\/p\.npy: field v_mv, record \[3\], element \[1\] is NaN: refusing/);
    const out = join(root, 'streamed-npy-fine');
    await runExperiment(experiment({ streamed: streamed(table(-60)) }), scenario(), out, { workers: 1, report: false });
    expect(readFileSync(join(out, 'state/p.npy')).equals(table(-60))).toBe(true);
  });
});

describe('free space', () => {
  const MiB = 2 ** 20;
  /** statfs reporting `before` bytes available, and `after` once the run's temporary folder is made. */
  const fakeFs = (before: number, after = before) => {
    const seen: string[] = [];
    setStatfs((p) => {
      seen.push(p);
      if (!existsSync(p)) throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
      return { bavail: Math.floor((p.includes('.partial-') ? after : before) / 4096), bsize: 4096, blocks: 1e6 };
    });
    return seen;
  };

  it('before anything is simulated: under FREE_SPACE_FLOOR (1 MiB) available is refused, naming the path', async () => {
    expect(FREE_SPACE_FLOOR).toBe(MiB);
    fakeFs(512 * 1024);
    const e = experiment({});
    const out = join(root, 'missing', 'parents', 'floor');
    expect(await refused(e, out)).toBe(`output folder ${out} cannot be written: its file system has 512 KiB (524288 bytes) available (at ${root}), under the 1 MiB (1048576 bytes) a run needs at least; free some space or choose another with --out`);
    expect(e.ran).toBe(false);
    expect(existsSync(join(root, 'missing'))).toBe(false);
  });

  it('before writing: files larger than the space available are refused with both numbers; nothing written', async () => {
    const big: OutputFile = { path: 'big.csv', data: 'x\n' + '1\n'.repeat(1.5 * MiB) };
    const seen = fakeFs(100 * MiB, 2 * MiB);
    const e = experiment({ files: [big] });
    const out = join(root, 'full');
    const m = await refused(e, out);
    expect(e.ran).toBe(true);
    expect(m).toMatch(new RegExp(`^output folder ${out} cannot be written: its files need at least 3(\\.\\d+)? MiB \\(\\d+ bytes\\), and its file system has 2 MiB \\(2097152 bytes\\) available \\(at ${out}\\.partial-${process.pid}\\); free some space or choose another with --out; nothing was written$`));
    expect(seen.some((p) => p.includes('.partial-'))).toBe(true);
    // With room for them the same files are written.
    fakeFs(100 * MiB, 4 * MiB);
    await runExperiment(experiment({ files: [big] }), scenario(), out, { workers: 1, report: false });
    expect(readFileSync(join(out, 'big.csv'), 'utf8').length).toBe(big.data.length);
  });

  it('spikes.h5 counts 16 bytes a spike, in memory or spilled', async () => {
    fakeFs(100 * MiB, 1.5 * MiB);
    const spikes = new Map([['p', { count: 100_000, slices: () => [] }]]);
    expect(await refused(experiment({ spikes: spikes as never }), join(root, 'h5'))).toMatch(/its files need at least 1\.5\d* MiB/);
  });

  it('the reading walks up to an existing folder, and a file system that counts no blocks (/proc) is not checked', () => {
    setStatfs((p) => {
      if (!existsSync(p)) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      return { bavail: 10, bsize: 4096, blocks: 100 };
    });
    expect(availableBytes(join(root, 'a', 'b'))).toEqual({ bytes: 40960, at: root });
    setStatfs(() => ({ bavail: 0, bsize: 4096, blocks: 0 }));
    expect(availableBytes(root)).toBeNull();
    setStatfs(null);
    expect(availableBytes(root)!.bytes).toBeGreaterThan(0); // the real statfs
  });
});
