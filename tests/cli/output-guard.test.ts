/**
 * The command line's side of "nothing lost" (issue 20, src/scenario/output-guard.ts): a run whose outputs hold a NaN,
 * or that would not fit on the disk, ends with exit code 2, one `error:` line and no results folder. The free space
 * is faked by a preloaded module that replaces fs.statfsSync (`node --import`), so no disk has to be filled.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, ROOT, ensureBuilt, hasStack } from './cli.js';

const dir = mkdtempSync(join(tmpdir(), 'chronoprop-cli-guard-'));
beforeAll(() => ensureBuilt());
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A preload that reports `bytes` available: everywhere, or only in the run's temporary folder (`partialOnly`). */
function fakeStatfs(name: string, bytes: number, partialOnly: boolean): string {
  const p = join(dir, `${name}.mjs`);
  writeFileSync(p, `import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
const real = fs.statfsSync;
fs.statfsSync = (p, ...rest) => {
  const s = real(p, ...rest);
  return ${partialOnly ? "String(p).includes('.partial-')" : 'true'} ? { ...s, bavail: ${bytes / 4096}, bsize: 4096, blocks: 1e6 } : s;
};
syncBuiltinESMExports();
`);
  return p;
}

function run(args: string[], preload?: string) {
  const r = spawnSync(process.execPath, [...(preload ? ['--import', preload] : []), BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' }, timeout: 100_000 });
  return { code: r.status ?? -1, stderr: r.stderr };
}

function expectRefused(r: { code: number; stderr: string }, out: string, line: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(line);
  expect(hasStack(r.stderr)).toBe(false);
  expect(existsSync(out)).toBe(false);
  expect(readdirSync(dir).filter((f) => /\.(partial|probing|old)-/.test(f))).toEqual([]);
}

describe('chronoprop run refuses to write what is lost', () => {
  it('an experiment whose result is not defined (stdp-converse with no postsynaptic spike) says why: exit 2, one line, nothing written', () => {
    const out = join(dir, 'converse');
    const r = run(['run', 'stdp-converse', '--set', 'settings.input_weight_mv=1e-6', '--set', 'settings.neurons=1', '--set', 'duration_ms=200', '--out', out, '--no-report', '-q']);
    expectRefused(r, out, /^error: stdp-converse: no postsynaptic spike at least settings\.max_lag_ms \+ settings\.delta_ms \(\S+ ms\) from both ends of the run \(0 spikes in all\), so the effective window is not defined; raise settings\.input_weight_mv \(0\.000001\), settings\.neurons \(1\) or duration_ms \(200\)$/);
  });

  it('under 1 MiB free where the folder would go: refused before anything is simulated', () => {
    const out = join(dir, 'floor');
    const r = run(['run', 'single-neuron', '--out', out, '--no-report', '-q'], fakeStatfs('floor', 4096 * 100, false));
    expectRefused(r, out, new RegExp(`^error: output folder ${out} cannot be written: its file system has 400 KiB \\(409600 bytes\\) available \\(at ${dir}\\), under the 1 MiB \\(1048576 bytes\\) a run needs at least; free some space or choose another with --out$`));
  });

  it('outputs larger than the free space: refused before the folder is written, with both numbers', () => {
    const out = join(dir, 'full');
    const r = run(['run', 'single-neuron', '--out', out, '--no-report', '-q'], fakeStatfs('full', 8192, true));
    expectRefused(r, out, /^error: output folder \S+ cannot be written: its files need at least \d+(\.\d+)? KiB \(\d+ bytes\), and its file system has 8 KiB \(8192 bytes\) available \(at \S+\.partial-\d+\); free some space or choose another with --out; nothing was written$/);
  });
});
