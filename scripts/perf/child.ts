/**
 * Runs one workload in a fresh Node process (`dist/bench.js --one <workload>`), so that its peak resident memory and
 * its JIT state are its own, and returns the measurement it prints (or why it failed). Used by the suite and by the
 * Brian2 comparison; both bundles live in dist/, beside bench.js.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Measurement } from './measure.js';

export type ChildResult = Measurement | { workload: string; error: string };

export function runChild(name: string, extra: string[] = []): ChildResult {
  const bench = join(dirname(fileURLToPath(import.meta.url)), 'bench.js');
  const r = spawnSync(process.execPath, [bench, '--one', name, ...extra], {
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 26,
  });
  const out = r.stdout?.toString().trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !out.startsWith('{')) {
    return { workload: name, error: `exit ${r.status ?? r.signal}${r.error ? `: ${r.error.message}` : ''}` };
  }
  return JSON.parse(out) as Measurement;
}
