/**
 * The report's pass-criteria table (issue 18): an experiment's metrics.pass (criterion -> { value, threshold, ok })
 * is shown as a table at the top of the page, before the run summary, one row per criterion with "met"/"not met",
 * and not again among the other metrics; a metrics.pass of another shape stays with the other metrics.
 */
import { expect, test } from 'vitest';
import { reportHtml } from '../../src/report/html.js';
import type { RunData } from '../../src/report/read-run.js';

function page(metrics: Record<string, unknown>): string {
  const data: RunData = {
    dir: '.', durationMs: 1, populations: [], state: [], weights: [], rates: [],
    run: { name: 'x', seed: 1, metrics, scenario: { name: 'x', description: '', experiment: 'two-pass', duration_ms: 1, populations: [] } },
  };
  return reportHtml({ data, figures: [], files: [], notes: [] });
}

test('metrics.pass is a table at the top: each criterion, its value, threshold and whether it is met', () => {
  const html = page({
    pass: {
      'cosine, encoder 1': { value: 0.987654, threshold: '>= 0.99', ok: false },
      'accuracy gap <b>': { value: 2.5, threshold: '<= 3', ok: true },
    },
    other: 3,
  });
  const table = html.indexOf('<h2>Pass criteria</h2>');
  expect(table).toBeGreaterThan(0);
  expect(table).toBeLessThan(html.indexOf('<h2>Run</h2>'));
  expect(html).toContain('1 of 2 met');
  expect(html).toContain('<tr><th>cosine, encoder 1</th><td>0.9877</td><td>&gt;= 0.99</td><td class="fail">not met</td></tr>');
  expect(html).toContain('<tr><th>accuracy gap &lt;b&gt;</th><td>2.5</td><td>&lt;= 3</td><td class="ok">met</td></tr>');
  // Not repeated among the other metrics, which are still shown.
  expect(html).not.toContain('pass.cosine');
  expect(html).toContain('<th>other</th>');
});

test('no table without metrics.pass, or when its entries are not criteria', () => {
  expect(page({ other: 1 })).not.toContain('Pass criteria');
  const odd = page({ pass: { a: 1 } });
  expect(odd).not.toContain('Pass criteria');
  expect(odd).toContain('<th>pass.a</th>');
});
