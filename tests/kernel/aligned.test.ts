/**
 * cacheAlignedFloat64: what callers rely on (length, zeros, independent storage) at both sizes, and the storage
 * choice itself: from one 64 KiB page up the array lies on WebAssembly memory, which is allocated in whole pages
 * and page-aligned. (That the alignment speeds anything up is a benchmark's question: scripts/perf/cache-lines.ts.)
 */
import { describe, expect, it } from 'vitest';
import { cacheAlignedFloat64 } from '../../src/kernel/aligned.js';

describe('cacheAlignedFloat64', () => {
  it.each([1, 8191, 8192, 8192 * 3 + 5])('gives %i zeros, writable and independent of another array', (n) => {
    const a = cacheAlignedFloat64(n);
    const b = cacheAlignedFloat64(n);
    expect(a).toBeInstanceOf(Float64Array);
    expect(a.length).toBe(n);
    expect(a.every((x) => x === 0)).toBe(true);
    a[n - 1] = 2.5;
    expect(b[n - 1]).toBe(0);
    expect(a[n - 1]).toBe(2.5);
  });

  it('uses whole wasm pages from 64 KiB up, and an ordinary buffer below', () => {
    expect(cacheAlignedFloat64(8191).buffer.byteLength).toBe(8191 * 8);
    const big = cacheAlignedFloat64(8192 * 3 + 5);
    expect(big.buffer.byteLength).toBe(4 * 65536);
    expect(big.byteOffset).toBe(0);
  });
});
