/**
 * Where a large Float64Array starts relative to a 64-byte cache line, found by timing: random reads of whole 64-byte
 * records (first and last double) at each shift of 0-7 doubles into a 16 MB array. The shift that lines the records
 * up with cache lines reads each record from one line instead of two, and runs fastest. Compared for an ordinary
 * Float64Array and for one on WebAssembly memory (cacheAlignedFloat64, src/kernel/aligned.ts). On this machine
 * (glibc, Node 20) the ordinary array is fastest at shift 6 (48 bytes: it starts 16 bytes past a line), the wasm
 * one at shift 0.
 *
 *     node scripts/ts.mjs scripts/perf/cache-lines.ts [records=262144] [reps=15]
 *
 * A benchmark, never a test: the minimum over repetitions is printed, as ns per record.
 */
import { cacheAlignedFloat64 } from '../../src/kernel/aligned.js';
import { createRng } from '../../src/kernel/rng.js';

const N = Number(process.argv[2] ?? 1 << 18);
const reps = Number(process.argv[3] ?? 15);
if (!(Number.isInteger(N) && N >= 2048 && Number.isInteger(reps) && reps > 0)) {
  console.error(`error: usage: cache-lines.ts [records >= 2048] [reps > 0], got ${process.argv.slice(2).join(' ')}`);
  process.exit(2);
}
const rng = createRng(1, 'cache-lines');
const order = new Int32Array(1 << 20);
for (let k = 0; k < order.length; k++) order[k] = rng.int(N);
const sweep = (a: Float64Array, shift: number): number => {
  let sum = 0;
  for (let k = 0; k < order.length; k++) {
    const r = 8 * order[k] + shift;
    sum += a[r] + a[r + 7];
  }
  return sum;
};
for (const [name, a] of [
  ['Float64Array        ', new Float64Array(8 * N + 8)],
  ['cacheAlignedFloat64 ', cacheAlignedFloat64(8 * N + 8)],
] as const) {
  a.fill(1);
  const best = new Array<number>(8).fill(Infinity);
  for (let rep = 0; rep < reps; rep++) {
    for (let shift = 0; shift < 8; shift++) {
      const t0 = process.hrtime.bigint();
      sweep(a, shift);
      best[shift] = Math.min(best[shift], Number(process.hrtime.bigint() - t0) / order.length);
    }
  }
  const fastest = best.indexOf(Math.min(...best));
  console.log(`${name} ns per record at shift 0-7: ${best.map((x) => x.toFixed(2)).join(' ')}; fastest: ${fastest}`);
}
