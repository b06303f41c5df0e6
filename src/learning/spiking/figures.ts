/**
 * The fa-digits report's figures: the learning curve (block test accuracy and online training accuracy against
 * training examples, with the rate-coded learners' final test accuracies as horizontal rules when their results
 * are available) and the alignment angle between the forward output weights and the fixed feedback.
 */
import type { FigureSpec } from '../../scenario/experiment.js';
import { baseSpec, WIDTH } from '../../report/vl.js';

/** Where the report draws each figure among the experiment's (report/build-report.ts reads usermeta.order). */
const order = (k: number) => ({ usermeta: { order: k } });

export interface CurveRow {
  examples: number;
  validation_accuracy: number;
  online_train_accuracy: number;
  output_alignment_deg: number;
}

/** A rate-coded twin's final validation accuracy, drawn as a dashed horizontal rule. */
export interface RateReference {
  name: string;
  sizes: number[];
  validation_accuracy: number;
}

export function learningCurveFigure(curve: CurveRow[], rate: RateReference[]): FigureSpec {
  const values: Record<string, number | string>[] = [];
  for (const p of curve) {
    values.push({ examples: p.examples, accuracy: p.validation_accuracy, series: 'spiking: validation subset' });
    if (Number.isFinite(p.online_train_accuracy)) values.push({ examples: p.examples, accuracy: p.online_train_accuracy, series: 'spiking: online training (free phase)' });
  }
  const rules = rate.map((r) => ({ accuracy: r.validation_accuracy, series: `rate-coded twin ${r.name} (${r.sizes.join('-')}), final validation` }));
  const x = { field: 'examples', type: 'quantitative', title: 'training examples' };
  const y = { field: 'accuracy', type: 'quantitative', title: 'accuracy', scale: { domain: [0, 1] } };
  const layer: object[] = [{ mark: { type: 'line', point: true }, encoding: { x, y, color: { field: 'series', type: 'nominal', title: null } } }];
  if (rules.length > 0) layer.push({ data: { values: rules }, mark: { type: 'rule', strokeDash: [4, 3] }, encoding: { y, color: { field: 'series', type: 'nominal' } } });
  const caption = 'Spiking learner: accuracy on a fixed subset of the validation digits after each block of training examples (line with points), online training accuracy (free-phase predictions before each nudge), and the rate-coded twins trained on the same digits (dashed rules, whole validation split)';
  return {
    name: 'learning_curve',
    title: caption,
    spec: { ...baseSpec('Learning curve', caption, values), ...order(0), width: WIDTH, height: 300, layer },
  };
}

export function alignmentFigure(curve: CurveRow[]): FigureSpec {
  const values = curve.map((p) => ({ examples: p.examples, angle: p.output_alignment_deg, series: 'measured angle(W_out, B^T)' }));
  const caption = 'Angle between the forward output weights hid_out and the fixed feedback out_hid (transposed), after each block: below the dotted 90-degree reference (unrelated random matrices), the forward weights align with the feedback';
  const color = { field: 'series', type: 'nominal', title: null };
  return {
    name: 'alignment',
    title: caption,
    spec: {
      ...baseSpec('Alignment with the feedback', caption, values),
      ...order(1),
      width: WIDTH, height: 220,
      layer: [
        { mark: { type: 'line', point: true }, encoding: { x: { field: 'examples', type: 'quantitative', title: 'training examples' }, y: { field: 'angle', type: 'quantitative', title: 'angle (degrees)', scale: { domain: [0, 95] } }, color } },
        { data: { values: [{ angle: 90, series: '90 degrees: no alignment' }] }, mark: { type: 'rule', strokeDash: [2, 2] }, encoding: { y: { field: 'angle', type: 'quantitative' }, color } },
      ],
    },
  };
}

/** One learner's final accuracies, for the side-by-side figure. */
export interface FinalAccuracy {
  learner: string;
  validation_accuracy: number;
  test_accuracy: number | null;
}

/** The spiking run beside its rate-coded twins: validation and (when scored) test accuracy, grouped by learner. */
export function twinsFigure(rows: FinalAccuracy[]): FigureSpec {
  const values: Record<string, number | string>[] = [];
  for (const r of rows) {
    values.push({ learner: r.learner, split: 'validation (train[50000:60000])', accuracy: r.validation_accuracy });
    if (r.test_accuracy !== null) values.push({ learner: r.learner, split: 'test (scored once)', accuracy: r.test_accuracy });
  }
  const caption = 'Final accuracy of this spiking run and of the rate-coded twins trained on the same digits (bp: backprop; fa: feedback alignment; frozen-ridge: the untrained random hidden layer read out by ridge regression, the best any output layer can do on it)';
  return {
    name: 'twins',
    title: caption,
    spec: {
      ...baseSpec('Spiking run and rate-coded twins', caption, values),
      ...order(2),
      width: WIDTH, height: 240,
      mark: { type: 'bar' },
      encoding: {
        x: { field: 'learner', type: 'nominal', title: 'learner', sort: null, axis: { labelAngle: 0 } },
        xOffset: { field: 'split' },
        y: { field: 'accuracy', type: 'quantitative', title: 'accuracy (fraction correct)', scale: { domain: [0, 1] } },
        color: { field: 'split', type: 'nominal', title: 'digits' },
      },
    },
  };
}
