/**
 * Hostile input, end to end (issue 20): property-based cases over scenario files and --set, run the way
 * `chronoprop run --no-report` runs them (tests/scenario/hostile-worker.mjs, in a worker thread with the built
 * library), with simulated time capped at CAP_MS. Every case must end refused (a ScenarioError: exit code 2 and one
 * `error:` line per problem, each a single line with no stack) or run; never crash (any other error: a stack and
 * exit code 1), hang (a case past the time limit) or run out of memory (the worker's heap is capped).
 *
 * Cases: the built-in scenarios shrunk (fuzz-helpers.ts), as files (JSON or YAML) with mutated values across every
 * magnitude (NaN, +-Infinity, 1e30, 10^12 neurons, 5e-324, names with path separators, nesting past the limit,
 * long lists), then broken as bytes (truncated, non-UTF-8, an alias bomb, random bytes); and as --set overrides of
 * the same. Experiments with a fixed cheap protocol run; the learning experiments (minutes per run even shrunk)
 * are loaded and budgeted only.
 *
 * `npm test` runs FUZZ_CASES=40 (a few seconds); `npm run fuzz` runs 10,000 (FUZZ_CASES, FUZZ_SEED to change).
 * A failure prints the case, to rerun by hand: the file's bytes and the --set list.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Worker } from 'node:worker_threads';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { ensureBuilt, ROOT } from '../cli/cli.js';
import { hostileCase, type HostileCase } from './hostile-helpers.js';

const CASES = Number(process.env.FUZZ_CASES ?? 40);
const SEED = Number(process.env.FUZZ_SEED ?? 20);
/** A case longer than this is a hang (a tiny run takes well under a second; the machine may be shared). */
const CASE_LIMIT_MS = Number(process.env.FUZZ_CASE_MS ?? 30_000);

interface Reply {
  outcome: 'refused' | 'ran' | 'valid' | 'crashed' | 'hang' | 'died';
  problems?: string[];
  error?: string;
}

/** One worker, replaced after a hang or a death; cases run one at a time. */
class Runner {
  private worker: Worker | null = null;
  private k = 0;
  constructor(private readonly dir: string) {}

  private async start(): Promise<Worker> {
    const w = new Worker(join(__dirname, 'hostile-worker.mjs'), {
      workerData: { lib: pathToFileURL(join(ROOT, 'dist', 'index.js')).href, dir: join(this.dir, `w${this.k++}`) },
      resourceLimits: { maxOldGenerationSizeMb: 1024 },
      stdout: true,
      stderr: true,
    });
    await new Promise<void>((resolve, reject) => {
      w.once('message', () => resolve());
      w.once('error', reject);
    });
    return w;
  }

  async run(c: HostileCase): Promise<Reply> {
    this.worker ??= await this.start();
    const w = this.worker;
    return new Promise<Reply>((resolve) => {
      const done = (r: Reply) => {
        clearTimeout(timer);
        w.removeAllListeners('message');
        w.removeAllListeners('error');
        w.removeAllListeners('exit');
        resolve(r);
      };
      const timer = setTimeout(() => {
        this.worker = null;
        void w.terminate();
        done({ outcome: 'hang' });
      }, CASE_LIMIT_MS);
      w.once('message', (r: Reply) => done(r));
      w.once('error', (e) => {
        this.worker = null;
        done({ outcome: 'died', error: String((e as Error).stack ?? e) });
      });
      w.once('exit', (code) => {
        this.worker = null;
        done({ outcome: 'died', error: `worker exited with code ${code}` });
      });
      w.postMessage(c);
    });
  }

  async close(): Promise<void> {
    await this.worker?.terminate();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'chronoprop-hostile-'));
const runner = new Runner(dir);
beforeAll(ensureBuilt);
afterAll(async () => {
  await runner.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Why a reply breaks the contract, or null. */
function broken(r: Reply): string | null {
  if (r.outcome === 'ran' || r.outcome === 'valid') return null;
  if (r.outcome !== 'refused') return `${r.outcome}: ${r.error ?? ''}`;
  const bad = (r.problems ?? []).find((p) => p.length === 0 || p.includes('\n') || /\bat .+:\d+:\d+/.test(p));
  if (r.problems?.length === 0) return 'refused with no problem line';
  return bad === undefined ? null : `refused with a line that is not one clean line: ${JSON.stringify(bad)}`;
}

const show = (c: HostileCase) =>
  `${c.label}: file ${c.file} (${c.bytes.length} bytes) ${JSON.stringify(Buffer.from(c.bytes).toString('latin1').slice(0, 400))}, --set ${JSON.stringify(c.set)}`;

describe('hostile scenario files and --set values', () => {
  test(`${CASES} cases: each refused in clean lines or run, none crashes, hangs or runs out of memory`, async () => {
    const cases = fc.sample(hostileCase, { seed: SEED, numRuns: CASES });
    const tally: Record<string, number> = {};
    const failures: string[] = [];
    for (const c of cases) {
      const r = await runner.run(c);
      tally[r.outcome] = (tally[r.outcome] ?? 0) + 1;
      const why = broken(r);
      if (why !== null) failures.push(`${why.slice(0, 2000)}\n  case ${show(c)}`);
    }
    if (process.env.FUZZ_CASES) console.log(`hostile cases (seed ${SEED}):`, tally);
    expect(failures).toEqual([]);
    // The property did reach both ends: some cases ran, some were refused.
    expect(tally.ran ?? 0).toBeGreaterThan(0);
    expect(tally.refused ?? 0).toBeGreaterThan(0);
  }, Math.max(120_000, CASES * 2_000));
});
