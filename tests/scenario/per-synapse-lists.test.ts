/**
 * Lists of one value per synapse (weight_mv, delay_ms with connect rule pairs) and per neuron (init): what
 * `chronoprop import --sonata` writes. Oracle: the values written in the scenario, read back from the built network
 * per (pre, post) pair; and the validator's one-line refusals.
 */
import { expect, test } from 'vitest';
import { validateScenario } from '../../src/scenario/validate.js';
import { Network } from '../../src/scenario/network.js';
import { projectionEdges } from '../../src/scenario/sonata-export.js';

const base = (proj: Record<string, unknown>, init: Record<string, unknown> = {}) => ({
  name: 'lists', seed: 1, duration_ms: 10,
  populations: [
    { name: 'a', model: 'spike_source', size: 3, params: { spike_times_ms: [[1], [2], [3]] } },
    { name: 'b', model: 'lif', size: 2, init },
  ],
  projections: [{ name: 'p', from: 'a', to: 'b', receptor: 'exc', connect: { rule: 'pairs', pre: [2, 0, 1, 0], post: [0, 1, 1, 0] }, weight_mv: 1, ...proj }],
});

test('each pair gets its listed weight and delay; each neuron its listed initial value', () => {
  const sc = validateScenario(base({ weight_mv: [0.5, 1.25, -2, 3], delay_ms: [0, 1.5, 0.25, 2] }, { v_mv: [-61.5, -55] }));
  const net = new Network(sc);
  const e = projectionEdges(net, 'p');
  const got = new Map([...e.pre].map((p, k) => [`${p}->${e.post[k]}`, [e.weight[k], e.delay[k]]]));
  expect(Object.fromEntries(got)).toEqual({ '2->0': [0.5, 0], '0->1': [1.25, 1.5], '1->1': [-2, 0.25], '0->0': [3, 2] });
  const v = net.populations.get('b')!.group.state.v_mv;
  expect([v.get(0), v.get(1)]).toEqual([-61.5, -55]);
});

test.each([
  ['a weight list of the wrong length', base({ weight_mv: [1, 2] }), 'projections[0].weight_mv must have one value per pair (4), got 2 values'],
  ['a list with a drawn rule', { ...base({}), projections: [{ name: 'p', from: 'a', to: 'b', receptor: 'exc', connect: { rule: 'all_to_all' }, weight_mv: [1, 2, 3, 4, 5, 6] }] }, 'projections[0].weight_mv must not be a list unless connect.rule is pairs'],
  ['a negative delay in a list', base({ delay_ms: [0, 1, -1, 0] }), 'projections[0].delay_ms[2] must be >= 0, got -1'],
  ['an init list of the wrong length', base({}, { v_mv: [-60] }), 'populations[1].init.v_mv must have one value per neuron (2), got 1 values'],
])('refused: %s', (_, sc, msg) => {
  expect(() => validateScenario(sc)).toThrow(msg);
});
