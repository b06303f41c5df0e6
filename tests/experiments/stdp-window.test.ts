/**
 * The pairing protocol reproduces the exact window sum (1e-12 relative) for both pairing schemes, and its curve has
 * the shape of the window: potentiation for s >= 0, depression for s < 0, decaying with |s|.
 */
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import { stdpWindowExperiment } from '../../src/experiments/stdp-window.js';

describe('stdp-window experiment', () => {
  it('measures the analytic pair sum to 1e-12 relative, for all-to-all and nearest pairing', async () => {
    const sc = loadScenario('stdp-window', { set: ['settings.offsets_ms={"from":-60,"to":60,"step":10}', 'settings.pairings=20'] });
    const r = await stdpWindowExperiment.run(sc, { workers: 1 });
    expect(r.metrics.max_relative_error as number).toBeLessThan(1e-12);
    const pts = r.metrics.points as { scheme: string; s_ms: number; dw_mv: number }[];
    expect(pts.length).toBe(2 * 13);
    for (const p of pts) {
      if (p.s_ms >= 0) expect(p.dw_mv).toBeGreaterThan(0);
      else expect(p.dw_mv).toBeLessThan(0);
    }
    // 20 isolated pairings at s = 10 ms: 20 a_plus e^{-10/20} (cross-period pairs are ~e^{-50}).
    const at10 = pts.find((p) => p.scheme === 'nearest' && p.s_ms === 10)!;
    expect(Math.abs(at10.dw_mv - 20 * 0.005 * Math.exp(-0.5))).toBeLessThan(1e-15);
  });

  it('rejects bad settings with the field path', async () => {
    await expect(() => stdpWindowExperiment.run(loadScenario('stdp-window', { set: ['settings.pairings=-1'] }), { workers: 1 })).rejects.toThrow(
      'settings.pairings must be > 0, got -1',
    );
  });
});
