/**
 * settings.ablation_from_example: the hidden-layer ablation starts part-way through training. Oracles:
 * - frozen from example N: the hidden weights after all examples equal those of a run that stops at N (nothing
 *   moves them after N), while a run with hidden learning on throughout moves them after N (the comparison can fail);
 * - a late ablation of "none" or "shuffled" feedback is refused with a one-line message naming the setting.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenario } from '../../../src/scenario/load.js';
import { runScenario } from '../../../src/api.js';

const dir = mkdtempSync(join(tmpdir(), 'chronoprop-late-ablation-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const base = [
  'settings.data_dir=tests/fixtures/mnist-tiny', 'settings.block_examples=6', 'settings.validation_examples=20',
  'settings.block_validation_examples=5', 'settings.final_test_examples=0', 'settings.rate_twins=false',
  'populations.hid.size=8', 'settings.test_chunk_examples=10', 'settings.nudge_input=replay', 'settings.nudge_from=free_start',
];
async function inHid(name: string, set: string[]): Promise<Buffer> {
  const out = join(dir, name);
  await runScenario(loadScenario('narrow-digits', { set: [...base, ...set] }), out, { workers: 1, report: false });
  return readFileSync(join(out, 'weights', 'in_hid.npy'));
}

describe('late ablations', { timeout: 120_000 }, () => {
  it('frozen from example 6 keeps the hidden weights of example 6; learning on moves them further', async () => {
    const at6 = await inHid('at6', ['settings.train_examples=6']);
    const frozenLate = await inHid('frozen-late', ['settings.train_examples=12', 'settings.hidden_learning=frozen', 'settings.ablation_from_example=6']);
    const on = await inHid('on', ['settings.train_examples=12']);
    expect(frozenLate.equals(at6)).toBe(true);
    expect(on.equals(at6)).toBe(false);
  });

  it('refuses a late "none" or "shuffled" feedback', async () => {
    const sc = loadScenario('narrow-digits', { set: [...base, 'settings.train_examples=6', 'settings.feedback=none', 'settings.ablation_from_example=3'] });
    await expect(runScenario(sc, join(dir, 'bad'), { workers: 1, report: false })).rejects.toThrow(/settings.ablation_from_example applies to hidden_learning "frozen" or feedback "reversed" only, got feedback "none"/);
  });
});
