/**
 * Checkpoints of the spiking-digits training loop, taken between two training examples (scenario/checkpoint.ts):
 * the learner's network (kernel, neurons, Poisson streams, weights), its phase-gated rules (gain, traces), its own
 * counters (time, examples, plasticity scale, hidden factor), the hidden neurons' apical potentials when the feedback
 * goes there, and the loop's position and running sums, with the
 * learning curve so far.
 *
 * Between examples nothing else of the learner carries over: the phase counters, the nudge's snapshots and the
 * deferred-consolidation tags (retag) are set afresh within each example, the teacher's and the input's rates too,
 * and with `nudge_input: "replay"` the input draws from the learner's replay stream, whose state the input's saves.
 * Shuffled feedback keeps a permutation and a stream inside the learner (spiking-fa.ts) that it does not expose, so
 * it is refused (checkUnit).
 */
import type { SpikingFa } from './spiking-fa.js';
import type { StateReader, StateWriter } from '../../kernel/state-io.js';
import { ScenarioError } from '../../scenario/errors.js';

/** The training loop's position and running sums, as spiking-digits.ts keeps them. */
export interface DigitsLoop {
  /** Training examples done. */
  examples: number;
  right: number;
  hidSpikes: number;
  outSpikes: number;
  inBlock: number;
  trainWall: number;
  trainCpu: number;
  eventsBefore: number;
}

const LOOP_FIELDS = ['examples', 'right', 'hidSpikes', 'outSpikes', 'inBlock', 'trainWall', 'trainCpu', 'eventsBefore'] as const;

/** Checkpoints are taken in training examples; refused (one line) for settings whose state the learner keeps private. */
export function checkUnit(feedback: string): 'examples' {
  if (feedback === 'shuffled') {
    throw new ScenarioError(['--checkpoint-every is not supported for spiking-digits with settings.feedback "shuffled" (its permutation state is not saved), got feedback "shuffled"']);
  }
  return 'examples';
}

export function saveDigits(w: StateWriter, learner: SpikingFa, loop: DigitsLoop, curve: readonly Record<string, number>[]): void {
  learner.net.saveState(w.scope('network'));
  learner.rules.forEach((rule, k) => {
    const s = w.scope(`rule${k}`);
    rule.saveState(s);
  });
  learner.apical?.saveState(w.scope('apical'));
  const l = w.scope('learner');
  l.num('t', learner.t);
  l.num('examples', learner.examples);
  l.num('plasticityScale', learner.plasticityScale);
  l.num('hiddenFactor', learner.hiddenFactor);
  const lp = w.scope('loop');
  for (const f of LOOP_FIELDS) lp.num(f, loop[f]);
  const fields = Object.keys(curve[0] ?? {});
  const c = w.scope('curve');
  c.json('fields', fields);
  for (const f of fields) c.array(f, Float64Array.from(curve, (p) => p[f]));
}

/** Loads a checkpoint into a learner built from the same scenario; returns the loop's state and fills `curve`. */
export function loadDigits(r: StateReader, learner: SpikingFa, curve: Record<string, number>[]): DigitsLoop {
  learner.net.loadState(r.scope('network'));
  learner.rules.forEach((rule, k) => {
    const s = r.scope(`rule${k}`);
    rule.loadState(s);
  });
  learner.apical?.loadState(r.scope('apical'));
  const l = r.scope('learner');
  learner.t = l.num('t');
  learner.examples = l.num('examples');
  learner.plasticityScale = l.num('plasticityScale');
  learner.hiddenFactor = l.num('hiddenFactor');
  const lp = r.scope('loop');
  const loop = Object.fromEntries(LOOP_FIELDS.map((f) => [f, lp.num(f)])) as unknown as DigitsLoop;
  const c = r.scope('curve');
  const fields = c.json<string[]>('fields');
  const cols = fields.map((f) => c.like(f, new Float64Array(0)));
  for (let i = 0; i < (cols[0]?.length ?? 0); i++) curve.push(Object.fromEntries(fields.map((f, k) => [f, cols[k][i]])));
  return loop;
}
