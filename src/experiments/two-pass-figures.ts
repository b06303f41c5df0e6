/**
 * Figures of the two-pass experiment (Vega-Lite, data inline): the median cosine per encoder between the two-pass
 * update and backprop's gradient for each kind of decoder and top (with the spiking version against the rate
 * two-pass update), and held-out accuracy per epoch for each training method.
 */
import type { FigureSpec } from '../scenario/experiment.js';
import { baseSpec, WIDTH } from '../report/vl.js';
import type { LayerCosine, Method } from '../learning/two-pass/compare.js';
import type { SpikingCosine } from './two-pass-spiking-measure.js';

/** One row of the cosine table: a decoder kind and a top, the cosine per encoder. */
export interface CosineRow { decoders: string; top: string; cosines: LayerCosine[] }
/** One learning curve: held-out accuracy per epoch for a top, a method and its beta. */
export interface AccuracyRow { top: string; method: Method | 'two-pass (spiking)'; beta: number | null; accuracy: number[] }

export function twoPassFigures(cos: CosineRow[], acc: AccuracyRow[], spiking: SpikingCosine[] | null): FigureSpec[] {
  const cv = [
    ...cos.flatMap((r) => r.cosines.map((c) => ({ case: `${r.decoders} decoders, ${r.top}`, encoder: `encoder ${c.layer}`, cosine: c.median }))),
    ...(spiking ?? []).map((c) => ({ case: 'spiking vs rate two-pass', encoder: `encoder ${c.layer}`, cosine: c.median })),
  ];
  const av = acc.flatMap((r) => r.accuracy.map((a, e) => ({ run: `${r.method}${r.beta !== null ? ` (beta ${r.beta})` : ''}, ${r.top}`, epoch: e, accuracy: a })));
  const cosTitle = 'Median cosine over examples between the two-pass update and backprop\'s gradient, per encoder (1: input to first hidden layer; the last is the top, where both are the delta rule), per kind of decoder and top; and the spiking STDP update against the rate two-pass update';
  const accTitle = 'Held-out accuracy per epoch of training the stack with backprop, with two-pass updates (rate and spiking), and with the lower stack frozen';
  return [
    {
      name: 'two_pass_cosines', title: cosTitle,
      spec: {
        ...baseSpec('Two-pass update vs backprop', `${cosTitle}.`, cv), usermeta: { order: 0 },
        width: WIDTH - 320, height: 300, mark: 'bar',
        encoding: { y: { field: 'case', type: 'nominal', title: null }, yOffset: { field: 'encoder' }, x: { field: 'cosine', type: 'quantitative', title: 'median cosine', scale: { domain: [-1, 1] } }, color: { field: 'encoder', type: 'nominal', title: 'encoder' } },
      },
    },
    {
      name: 'two_pass_accuracy', title: accTitle,
      spec: {
        ...baseSpec('Held-out accuracy', `${accTitle}; one line per run.`, av), usermeta: { order: 1 },
        width: WIDTH - 300, height: 300, mark: { type: 'line', point: true },
        encoding: { x: { field: 'epoch', type: 'quantitative', title: 'epoch' }, y: { field: 'accuracy', type: 'quantitative', title: 'held-out accuracy', scale: { domain: [0, 1] } }, color: { field: 'run', type: 'nominal', title: 'run' } },
      },
    },
  ];
}
