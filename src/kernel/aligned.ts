/**
 * Float64Arrays whose element 0 starts on a 64-byte cache line, for per-neuron records of 8 doubles (models/lif.ts):
 * one record, one line.
 *
 * An ordinary typed array's backing store comes from malloc, and glibc serves large blocks (from 128 KiB up, by
 * default) straight from mmap behind a 16-byte header: element 0 sits 16 bytes past a line, so every 64-byte record
 * straddles two lines, and a random access to it can miss twice. A WebAssembly.Memory is allocated in whole 64 KiB
 * pages, page-aligned. `scripts/perf/cache-lines.ts` shows both on this machine: random reads of 64-byte records
 * from a 16 MB plain Float64Array run fastest when shifted by 6 doubles (48 bytes), from WebAssembly memory at shift
 * 0. Arrays under one page stay ordinary (they would waste most of their page, and sit in cache anyway), as do
 * arrays over wasm32's 4 GiB.
 */
const PAGE_BYTES = 65536;
const MAX_PAGES = 65536;

export function cacheAlignedFloat64(length: number): Float64Array {
  const bytes = 8 * length;
  if (bytes < PAGE_BYTES || bytes > MAX_PAGES * PAGE_BYTES) return new Float64Array(length);
  const memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / PAGE_BYTES) });
  return new Float64Array(memory.buffer, 0, length);
}
