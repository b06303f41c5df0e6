/**
 * The spiking-digits training loop checkpointed between examples (digits-checkpoint.ts) and resumed in-process from
 * each checkpoint: the files (learning curve, trained weights) are byte-identical to the uninterrupted run's, and so
 * are the metrics but for the wall-clock ones (training_wall_s, training_cpu_s, training_events_per_s,
 * final_evaluation_wall_s, learning_curve[].wall_s). Small: the MNIST fixture, 24 examples, 40 hidden neurons.
 */
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../../src/api.js';
import { spikingDigitsExperiment } from '../../../src/learning/spiking/spiking-digits.js';
import type { CheckpointHooks, RunResult } from '../../../src/scenario/experiment.js';
import { readBack, StateWriter, type StateReader } from '../../../src/kernel/state-io.js';
import { ScenarioError } from '../../../src/scenario/errors.js';

const SET = [
  'settings.data_dir=tests/fixtures/mnist-tiny', 'settings.train_examples=24', 'settings.block_examples=10',
  'settings.validation_examples=20', 'settings.block_validation_examples=10', 'settings.final_test_examples=10',
  'populations.hid.size=40', 'projections.in_hid.connect.n=20', 'settings.plasticity_decay=0.5', 'settings.rate_twins=false',
];
const scenario = (more: string[] = []) => loadScenario('fa-digits', { set: [...SET, ...more] });

const WALL = ['training_wall_s', 'training_cpu_s', 'training_events_per_s', 'final_evaluation_wall_s'];
function results(r: RunResult): unknown {
  const m = { ...r.metrics } as Record<string, unknown>;
  for (const k of WALL) delete m[k];
  m.learning_curve = (m.learning_curve as Record<string, unknown>[]).map(({ wall_s: _, ...p }) => p);
  return { metrics: JSON.parse(JSON.stringify(m)), counts: r.counts, files: r.files.map((f) => [f.path, Buffer.from(f.data).toString('base64')]) };
}

function memoryHooks(every: number, resume: StateReader | null = null): { hooks: CheckpointHooks; saved: Map<number, StateReader> } {
  const saved = new Map<number, StateReader>();
  return {
    saved,
    hooks: { every, resume, save: (position, fill) => { const w = new StateWriter(); fill(w); saved.set(position, readBack(w)); } },
  };
}

describe('spiking-digits checkpoints', () => {
  it.each([
    ['defaults (deferred consolidation)', []],
    ['replayed nudge input from the free phase start, consolidation at spikes', ['settings.nudge_input=replay', 'settings.nudge_from=free_start', 'settings.consolidation=spike']],
    ['feedback onto the apical dendrites, whose potential carries from one example to the next', ['settings.feedback_target=apical', 'settings.nudge_input=replay', 'settings.nudge_from=free_start']],
  ])('%s: resumed from any checkpoint, the same files and metrics (wall clock aside)', async (_label, more) => {
    const plain = results(await spikingDigitsExperiment.run(scenario(more), { workers: 1 }));
    const { hooks, saved } = memoryHooks(5);
    expect(results(await spikingDigitsExperiment.run(scenario(more), { workers: 1, checkpoint: hooks }))).toEqual(plain);
    // Every 5th example and the last (24): a kill during the final evaluation resumes with training done.
    expect([...saved.keys()]).toEqual([5, 10, 15, 20, 24]);
    for (const at of [5, 15, 20, 24]) {
      const resumed = results(await spikingDigitsExperiment.run(scenario(more), { workers: 1, checkpoint: memoryHooks(5, saved.get(at)!).hooks }));
      expect(resumed, `from ${at}`).toEqual(plain);
    }
  }, 60_000);

  it('is refused for shuffled feedback, whose permutation state the learner keeps to itself', () => {
    expect(() => spikingDigitsExperiment.checkpointUnit!(scenario(['settings.feedback=shuffled']))).toThrow(ScenarioError);
    expect(spikingDigitsExperiment.checkpointUnit!(scenario())).toBe('examples');
  });
});
