/**
 * Runs a validated scenario and writes its folder atomically: everything goes to `<out>.partial-<pid>` first and is
 * renamed into place at the end, so an interrupted or failed run never leaves a half-written results folder.
 *
 * run.json holds the resolved scenario, its hash, the seed, versions, timing, counts and metrics. Every file other
 * than run.json's `timing` and `provenance` blocks is byte-identical for the same scenario, seed and version.
 */
import { mkdirSync, writeFileSync, renameSync, rmSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { experiments } from './experiments.js';
import type { Scenario } from './schema.js';
import type { ExperimentContext, OutputFile, RunResult } from './experiment.js';
import { RNG_ALGORITHM } from '../kernel/rng.js';
import { packageRoot } from './load.js';
import { VERSION } from '../version.js';

export interface RunSummary {
  out: string;
  result: RunResult;
  runJson: Record<string, unknown>;
}

export function scenarioHash(sc: Scenario): string {
  return createHash('sha256').update(JSON.stringify(sc)).digest('hex');
}

function gitCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: packageRoot(), stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return null;
  }
}

export async function runScenario(sc: Scenario, out: string, ctx: ExperimentContext): Promise<RunSummary> {
  const started = new Date();
  const t0 = performance.now();
  const result = await experiments[sc.experiment].run(sc, ctx);
  const total = (performance.now() - t0) / 1e3;
  const runJson = {
    name: sc.name,
    version: VERSION,
    seed: sc.seed,
    rng: RNG_ALGORITHM,
    scenario_sha256: scenarioHash(sc),
    counts: result.counts,
    metrics: result.metrics,
    timing: { ...result.timing, total_s: total },
    provenance: {
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      git_commit: gitCommit(),
      started_at: started.toISOString(),
      workers: ctx.workers,
    },
    scenario: sc,
  };
  const files: OutputFile[] = [{ path: 'run.json', data: JSON.stringify(runJson, null, 2) + '\n' }, ...result.files];
  writeAtomically(resolve(out), files);
  return { out: resolve(out), result, runJson };
}

/** Writes all files into a fresh folder that replaces `dir` only once complete. */
export function writeAtomically(dir: string, files: OutputFile[]): void {
  const tmp = `${dir}.partial-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  try {
    for (const f of files) {
      const p = join(tmp, f.path);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, f.data);
    }
    mkdirSync(tmp, { recursive: true });
    const old = `${dir}.old-${process.pid}`;
    if (existsSync(dir)) renameSync(dir, old);
    mkdirSync(dirname(dir), { recursive: true });
    renameSync(tmp, dir);
    rmSync(old, { recursive: true, force: true });
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}
