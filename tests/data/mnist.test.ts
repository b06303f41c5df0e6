import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadMnist, mnistDataDir } from '../../src/data/mnist.js';
import { readIdx, writeIdx } from '../../src/data/idx.js';
import { ScenarioError } from '../../src/scenario/errors.js';

const FIXTURE = 'tests/fixtures/mnist-tiny';
// Published first labels of the canonical files.
const TRAIN_FIRST = [5, 0, 4, 1, 9, 2, 1, 3, 1, 4];
const TEST_FIRST = [7, 2, 1, 0, 4, 1, 4, 9, 5, 9];

describe('IDX format', () => {
  it('round-trips sizes and bytes', () => {
    const data = Uint8Array.from({ length: 24 }, (_, i) => (i * 37) % 256);
    const back = readIdx(writeIdx([2, 3, 4], data), 3, 'x');
    expect(back.dims).toEqual([2, 3, 4]);
    expect(Array.from(back.data)).toEqual(Array.from(data));
  });

  it('rejects a wrong magic number with one line naming the file, the expected and the found magic', () => {
    const buf = writeIdx([3], new Uint8Array(3));
    expect(() => readIdx(buf, 3, 'labels.idx')).toThrow(ScenarioError);
    expect(() => readIdx(buf, 3, 'labels.idx')).toThrow(/^labels\.idx must start with the IDX magic number 0x00000803 .* got 0x00000801$/);
    const floats = writeIdx([3], new Uint8Array(3));
    floats[2] = 0x0d;
    expect(() => readIdx(floats, 1, 'f')).toThrow(/got 0x00000d01/);
  });

  it('rejects a truncated file', () => {
    const buf = writeIdx([2, 2, 2], new Uint8Array(8)).subarray(0, 20);
    expect(() => readIdx(buf, 3, 't')).toThrow(/must hold 8 data bytes .* got 4/);
    expect(() => readIdx(new Uint8Array(3), 1, 't')).toThrow(/too short/);
  });
});

describe('MNIST', { timeout: 30_000 }, () => {
  it('loads the canonical split: 60,000 + 10,000 digits of 28 x 28, published first labels and pixel mean', () => {
    const train = loadMnist('train');
    const test = loadMnist('test');
    expect([train.count, train.rows, train.cols]).toEqual([60000, 28, 28]);
    expect(test.count).toBe(10000);
    expect(Array.from(train.labels.subarray(0, 10))).toEqual(TRAIN_FIRST);
    expect(Array.from(test.labels.subarray(0, 10))).toEqual(TEST_FIRST);
    // The widely published normalization constant of the training set: mean intensity 0.1307 (of 1).
    let s = 0;
    for (let i = 0; i < train.images.length; i++) s += train.images[i];
    expect(s / train.images.length / 255).toBeCloseTo(0.1307, 4);
    // Every class is present in both splits.
    for (const set of [train, test]) expect(new Set(set.labels).size).toBe(10);
  });

  it('the fixture is byte for byte the first digits of the package files (read without the parser)', () => {
    for (const [split, n, img, lbl] of [
      ['train', 100, 'train-images-idx3-ubyte', 'train-labels-idx1-ubyte'],
      ['test', 50, 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'],
    ] as const) {
      const tiny = loadMnist(split, { dir: FIXTURE });
      expect(tiny.count).toBe(n);
      const rawImg = readFileSync(join(mnistDataDir(), img));
      const rawLbl = readFileSync(join(mnistDataDir(), lbl));
      expect(Buffer.from(tiny.images).equals(rawImg.subarray(16, 16 + n * 784))).toBe(true);
      expect(Buffer.from(tiny.labels).equals(rawLbl.subarray(8, 8 + n))).toBe(true);
    }
  });

  it('subsets: first n, and a seeded random draw that is distinct, sorted, reproducible and seed-dependent', () => {
    const first = loadMnist('train', { dir: FIXTURE, subset: { first: 10 } });
    expect(Array.from(first.labels)).toEqual(TRAIN_FIRST);
    const a = loadMnist('train', { dir: FIXTURE, subset: { random: 30, seed: 7 } });
    const b = loadMnist('train', { dir: FIXTURE, subset: { random: 30, seed: 7 } });
    const c = loadMnist('train', { dir: FIXTURE, subset: { random: 30, seed: 8 } });
    const full = loadMnist('train', { dir: FIXTURE });
    expect(Array.from(a.indices)).toEqual(Array.from(b.indices));
    expect(Array.from(a.indices)).not.toEqual(Array.from(c.indices));
    expect(new Set(a.indices).size).toBe(30);
    for (let k = 0; k < 30; k++) {
      const i = a.indices[k];
      if (k > 0) expect(i).toBeGreaterThan(a.indices[k - 1]);
      expect(a.labels[k]).toBe(full.labels[i]);
      expect(Array.from(a.images.subarray(k * 784, (k + 1) * 784))).toEqual(Array.from(full.images.subarray(i * 784, (i + 1) * 784)));
    }
    // Every digit equally likely: over many seeds each of the 100 positions is drawn about 30% of the time.
    const hits = new Float64Array(100);
    const seeds = 400;
    for (let s = 0; s < seeds; s++) for (const i of loadMnist('train', { dir: FIXTURE, subset: { random: 30, seed: s } }).indices) hits[i]++;
    // Binomial(400, 0.3) per position: sd 9.2; 5 sd either side.
    for (const h of hits) expect(Math.abs(h - 120)).toBeLessThan(46);
  });

  it('rejects a subset larger than the split and a missing folder, with one clear line', () => {
    expect(() => loadMnist('test', { dir: FIXTURE, subset: { first: 51 } })).toThrow(/subset\.first must be an integer in \[1, 50\] \(test split\), got 51/);
    expect(() => loadMnist('test', { dir: FIXTURE, subset: { random: 0, seed: 1 } })).toThrow(ScenarioError);
    expect(() => loadMnist('train', { dir: 'no/such/dir' })).toThrow(/must exist/);
  });
});
