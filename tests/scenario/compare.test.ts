/** chronoprop compare on two hand-made results folders with known differences and weights. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareRuns, writeComparison } from '../../src/scenario/compare.js';

function fakeRun(dir: string, rate: number, weights: number[]): void {
  mkdirSync(join(dir, 'weights'), { recursive: true });
  writeFileSync(join(dir, 'run.json'), JSON.stringify({ metrics: { populations: { n: { rate_hz: rate } }, only_here: 1 } }));
  writeFileSync(join(dir, 'weights', 'p.csv'), ['pre,post,weight_mv', ...weights.map((w, i) => `${i},0,${w}`)].join('\n') + '\n');
}

describe('compare', () => {
  it('reports metric differences and weight statistics', async () => {
    const root = mkdtempSync(join(tmpdir(), 'chronoprop-cmp-'));
    fakeRun(join(root, 'a'), 10, [1, 2, 3, 4]);
    fakeRun(join(root, 'b'), 12, [2, 4, 6, 8]);
    const c = compareRuns(join(root, 'a'), join(root, 'b'));
    const row = c.metrics.find((r) => r.quantity === 'populations.n.rate_hz')!;
    expect(row).toMatchObject({ a: 10, b: 12, diff: 2, rel_diff: 0.2 });
    expect(c.weights[0]).toMatchObject({ projection: 'p', synapses: 4, mean_a: 2.5, mean_b: 5, mean_abs_diff: 2.5 });
    expect(c.weights[0].correlation as number).toBeCloseTo(1, 12);
    await writeComparison(c, join(root, 'out'));
    expect(readFileSync(join(root, 'out', 'compare.md'), 'utf8')).toContain('| populations.n.rate_hz | 10.0000 | 12.0000 | 2.00000 | 20.00% |');
  });
});
