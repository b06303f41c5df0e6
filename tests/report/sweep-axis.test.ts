/**
 * Sweep figures title their x axis by the parameter's name and unit (the `_ms`/`_mv`/`_hz` suffix convention), with
 * the path to it on a second line, not by the raw dotted path.
 */
import { describe, expect, it } from 'vitest';
import { axisTitle, sweepFigures } from '../../src/report/sweep-report.js';

describe('sweep figure axis titles', () => {
  it('reads the unit from the name and keeps the path below it', () => {
    expect(axisTitle('populations.exc.params.tau_m_ms')).toEqual(['tau_m (ms)', 'populations.exc.params']);
    expect(axisTitle('projections.ee.weight_mv')).toEqual(['weight (mV)', 'projections.ee']);
    expect(axisTitle('populations.in.params.rate_hz')).toEqual(['rate (Hz)', 'populations.in.params']);
    expect(axisTitle('settings.teacher_gain')).toEqual(['teacher_gain', 'settings']);
    expect(axisTitle('duration_ms')).toBe('duration (ms)');
    expect(axisTitle('seed')).toBe('seed');
  });

  it('is what the figure uses', () => {
    const rows = [1, 2].map((v) => ({ point: `p${v}`, seed: 1, params: { 'projections.ee.weight_mv': v }, status: 'done', run: `r${v}`, metrics: { rate: v * 3 } }));
    const [fig] = sweepFigures({ name: 's', varied: ['projections.ee.weight_mv'], metrics: ['rate'], rows });
    const x = (fig.spec as any).spec.layer[0].encoding.x;
    expect(x.title).toEqual(['weight (mV)', 'projections.ee']);
  });
});
