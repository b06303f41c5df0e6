import { describe, it, expect } from 'vitest';
import { loadScenario } from '../../../src/scenario/load.js';
import { parseSettings, spikingDigitsExperiment } from '../../../src/learning/spiking/spiking-digits.js';
import { SpikingFa } from '../../../src/learning/spiking/spiking-fa.js';
import { ScenarioError } from '../../../src/scenario/errors.js';

describe('fa-digits scenario', () => {
  it('the built-in scenario validates and builds, with plastic forward and fixed feedback projections', () => {
    const sc = loadScenario('fa-digits');
    const s = parseSettings(sc);
    const l = new SpikingFa(sc, s);
    // receptive_field: 36 pixels per hidden unit, from a local patch.
    expect(sc.projections.find((q) => q.name === 'in_hid')!.connect).toMatchObject({ rule: 'receptive_field', n: 36 });
    expect(l.inHid.count).toBe(36 * l.hid.size);
    expect(l.rules.map((r) => r.projection.name).sort()).toEqual(['hid_out', 'in_hid']);
    for (const r of l.rules) {
      const p = sc.projections.find((q) => q.name === r.projection.name)!.plasticity!;
      // Phase-gated Hebbian window: with gain -1 (free) and +1 (nudged) the pair term averages to
      // r_pre (r_post^nudge - r_post^free); additive bounds, since soft bounds weight the two phases' large Hebbian
      // terms differently and pull every weight to mid-range.
      expect(p.window).toBe('symmetric');
      expect(p.weight_dependence).toBe('additive');
    }
    expect(s.gating).toBe('contrastive');
    expect(s.t_warmup_ms).toBeGreaterThan(0);
  });

  it('a bad setting is one line naming the field, the expected form and the value found', () => {
    const sc = loadScenario('fa-digits', { set: ['settings.t_free_ms=-5'] });
    expect(() => parseSettings(sc)).toThrow(ScenarioError);
    expect(() => parseSettings(sc)).toThrow(/^settings\.t_free_ms must be > 0, got -5$/);
    const gating = loadScenario('fa-digits', { set: ['settings.gating=sometimes'] });
    expect(() => parseSettings(gating)).toThrow(/^settings\.gating must be one of "always", "contrastive", got "sometimes"$/);
    const decay = loadScenario('fa-digits', { set: ['settings.plasticity_decay=1.5'] });
    expect(() => parseSettings(decay)).toThrow(/^settings\.plasticity_decay must be in \(0, 1\], got 1\.5$/);
    const between = loadScenario('fa-digits', { set: ['settings.between=never'] });
    expect(() => parseSettings(between)).toThrow(/^settings\.between must be one of "rest", "none", got "never"$/);
    const missing = loadScenario('fa-digits');
    missing.projections = missing.projections.filter((p) => p.name !== 'out_hid');
    expect(() => new SpikingFa(missing, parseSettings(missing))).toThrow(/projections must include "out_hid"/);
  });

  it('output populations must hold 10 x units_per_class neurons', async () => {
    const sc = loadScenario('fa-digits', { set: ['settings.units_per_class=2'] });
    await expect(spikingDigitsExperiment.run(sc, { workers: 1 } as never)).rejects.toThrow(/^populations\.out\.size must be 10 x settings\.units_per_class \(2\) for the 10 digit classes, got 10$/);
  });

  // A run with several output units per class used to end, after its training and its tests, by throwing in the
  // rate twins (an MLP of 10 x K outputs for 10 classes): everything finished was lost. The twins take one output per
  // class; the run completes and reports them.
  it('units_per_class 2: the run completes and its rate twins have one output per class', async () => {
    const SET = [
      'settings.data_dir=tests/fixtures/mnist-tiny', 'settings.train_examples=4', 'settings.block_examples=4',
      'settings.validation_examples=10', 'settings.block_validation_examples=4', 'settings.final_test_examples=4',
      'populations.hid.size=20', 'projections.in_hid.connect.n=10', 'settings.units_per_class=2',
      'populations.out.size=20', 'populations.teach_exc.size=20', 'populations.teach_inh.size=20',
    ];
    const r = await spikingDigitsExperiment.run(loadScenario('fa-digits', { set: SET }), { workers: 1 } as never);
    const twins = r.metrics.rate_twins as { sizes: number[]; validation_accuracy: number }[];
    expect(twins.length).toBeGreaterThan(0);
    for (const t of twins) expect(t.sizes).toEqual([784, 20, 10]);
    expect(typeof r.metrics.final_test_accuracy).toBe('number');
  });
});
