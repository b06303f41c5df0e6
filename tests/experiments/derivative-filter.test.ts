/**
 * STDP as a derivative filter, small and fast: with a balanced window the fitted slope of mean dw against the post
 * rate slope contains the exact theory and every point lies within 3 standard errors of its exact expectation;
 * unbalanced and symmetric windows break it the way theory says; results do not depend on the number of workers.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenario } from '../../src/scenario/load.js';
import { derivativeFilterExperiment } from '../../src/experiments/derivative-filter.js';

interface Pt { slope_hz_per_s: number; mean_dw: number; sem_dw: number; theory_dw: number; z: number }
interface M { points: Pt[]; fit: { slope: number; slope_ci95: [number, number]; r2: number }; theory: { slope: number; intercept: number }; window_integrals: { integral_W: number } }

const small = ['settings.slopes_hz_per_s=[-40,-25,-10,0,10,25,40]', 'settings.trials=600'];

async function run(set: string[]): Promise<M> {
  const r = await derivativeFilterExperiment.run(loadScenario('derivative-filter', { set: [...small, ...set] }), { workers: 1 });
  return r.metrics as unknown as M;
}

describe('derivative-filter (Poisson variant)', () => {
  it('balanced window: fitted slope contains the exact theory; each point within 3 SEM of its expectation', async () => {
    const m = await run([]);
    expect(m.window_integrals.integral_W).toBe(0);
    expect(m.theory.slope).toBeGreaterThan(0);
    expect(m.fit.slope_ci95[0]).toBeLessThanOrEqual(m.theory.slope);
    expect(m.fit.slope_ci95[1]).toBeGreaterThanOrEqual(m.theory.slope);
    for (const p of m.points) expect(Math.abs(p.z)).toBeLessThan(3);
    // Theory: r_pre T (a+ tau+^2 + a- tau-^2) per unit slope (Hz/s -> 1e-6 per ms^2).
    expect(Math.abs(m.theory.slope - 0.02 * 1000 * 1e-6 * (0.001 * 400 + 0.001 * 400))).toBeLessThan(1e-9);
  });

  it('unbalanced window: a drift r_pre r_post integral(W) at zero slope; symmetric window: no slope dependence', async () => {
    const unbalanced = await run(['settings.a_minus=0.0015']);
    const zero = unbalanced.points.find((p) => p.slope_hz_per_s === 0)!;
    const drift = 0.02 * 1000 * 0.03 * (0.001 * 20 - 0.0015 * 20); // r_pre T r_post int W
    expect(Math.abs(zero.theory_dw - drift)).toBeLessThan(1e-6 * Math.abs(drift));
    expect(Math.abs(zero.mean_dw - drift)).toBeLessThan(3 * zero.sem_dw);
    const symmetric = await run(['settings.window=symmetric']);
    // a+ tau+^2 - a- tau-^2 = 0: no derivative term; the fit's interval contains 0.
    expect(Math.abs(symmetric.theory.slope)).toBeLessThan(1e-12);
    expect(symmetric.fit.slope_ci95[0]).toBeLessThanOrEqual(0);
    expect(symmetric.fit.slope_ci95[1]).toBeGreaterThanOrEqual(0);
  });

  it('mode rate gives the expectations without spikes', async () => {
    const r = await derivativeFilterExperiment.run(loadScenario('derivative-filter', { set: [...small, 'mode=rate'] }), { workers: 1 });
    expect(r.counts.spikes).toBe(0);
    expect((r.metrics.points as { theory_dw: number }[]).length).toBe(7);
  });
});

describe('derivative-filter determinism', () => {
  it('writes identical results with 1 and 2 worker threads', () => {
    const cli = new URL('../../dist/chronoprop.js', import.meta.url).pathname;
    const dir = mkdtempSync(join(tmpdir(), 'chronoprop-df-'));
    const args = ['run', 'derivative-filter', '-q', '--set', 'settings.trials=300', '--set', 'settings.chunk_trials=100', '--set', 'settings.slopes_hz_per_s=[-20,0,20]'];
    for (const w of ['1', '2']) {
      const r = spawnSync(process.execPath, [cli, ...args, '--workers', w, '--out', join(dir, w)], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
    }
    for (const f of ['derivative_filter.csv', 'trials.csv', 'post_psth.csv']) {
      expect(readFileSync(join(dir, '1', f), 'utf8')).toBe(readFileSync(join(dir, '2', f), 'utf8'));
    }
  });
});
