/**
 * A checkpoint write that fails half-way (a full disk; a kill is the same, less the cleanup) leaves the previous
 * checkpoint whole and readable: the new one is written to a temporary file and renamed over it only when complete
 * (scenario/checkpoint.ts). Writing in place would leave a truncated file here, which this test catches.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// node:fs with a writeSync that can be made to fail after a number of calls.
const failAfter = vi.hoisted(() => ({ calls: Infinity }));
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const writeSync = ((...args: Parameters<typeof fs.writeSync>) => {
    if (failAfter.calls-- <= 0) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    return (fs.writeSync as (...a: unknown[]) => number)(...args);
  }) as typeof fs.writeSync;
  return { ...fs, default: { ...fs, writeSync }, writeSync };
});

const { writeCheckpoint, readCheckpoint } = await import('../../src/scenario/checkpoint.js');
const { StateWriter } = await import('../../src/kernel/state-io.js');

const dir = mkdtempSync(join(tmpdir(), 'chronoprop-ckpt-atomic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function checkpointAt(position: number): void {
  const w = new StateWriter();
  w.num('position', position);
  w.array('big', new Float64Array(100_000).fill(position));
  const run = { out: '', cwd: '', report: false, replace: false, max_memory: null, workers: 1, command: null, started_at: '', every: { value: 1, unit: 'ms' as const }, resumed: [] };
  writeCheckpoint(dir, { version: 'test', written_at: '', scenario_sha256: '', run, position, scenario: {} as never }, w);
}

describe('a checkpoint write that fails half-way', () => {
  it('leaves the previous checkpoint whole, and no temporary file', () => {
    checkpointAt(1);
    failAfter.calls = 2; // the lead and the header go out; the rest does not
    expect(() => checkpointAt(2)).toThrow(/ENOSPC/);
    failAfter.calls = Infinity;
    expect(readdirSync(dir)).toEqual(['checkpoint.bin']);
    const { header, state } = readCheckpoint(join(dir, 'checkpoint.bin'));
    expect(header.position).toBe(1);
    expect(state.num('position')).toBe(1);
    expect((state.array('big') as Float64Array).every((x) => x === 1)).toBe(true);
    checkpointAt(3);
    expect(readCheckpoint(join(dir, 'checkpoint.bin')).header.position).toBe(3);
  });
});
