/**
 * The catalogue of models and rules (src/scenario/catalogue.ts): docs/models-table.md is what the definitions give
 * (regenerate with `npm run docs:tables`), its rows carry each definition's own unit, default and bound, and
 * `chronoprop models` prints the same catalogue.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalogueRegistries, neuronModels, plasticityRules, sourceKinds } from '../../src/registry.js';
import { catalogue, catalogueMarkdown, catalogueText, MODELS_TABLE_FILE } from '../../src/scenario/catalogue.js';
import { cli, ensureBuilt, ROOT } from '../cli/cli.js';

const sections = catalogue(catalogueRegistries);
const markdown = catalogueMarkdown(sections);

describe('docs/models-table.md', () => {
  test('equals what the definitions generate (run: npm run docs:tables)', () => {
    expect(readFileSync(join(ROOT, MODELS_TABLE_FILE), 'utf8')).toBe(markdown);
  });

  test('has a section for every registered model, source and rule', () => {
    const names = [...Object.keys(neuronModels), 'linear', ...Object.keys(sourceKinds), ...Object.keys(plasticityRules)];
    for (const n of names) expect(markdown).toContain(`### \`${n}\``);
  });

  test('every neuron model parameter row carries the definition\'s unit, default and bound', () => {
    for (const m of Object.values(neuronModels)) {
      const at = markdown.indexOf(`### \`${m.name}\``);
      const block = markdown.slice(at, markdown.indexOf('\n### ', at + 1));
      for (const [k, p] of Object.entries(m.params)) {
        const bound = p.min === undefined ? '' : `${p.exclusive ? '>' : '>='} ${p.min}`;
        expect(block).toContain(`| \`${k}\` | ${p.unit === '1' ? '' : p.unit} | ${p.default} | ${bound} | ${p.doc} |`);
      }
    }
  });

  test('rule and source rows come from their schemas: defaults, required fields, choices, units', () => {
    expect(markdown).toContain('| `tau_plus_ms` | ms | required | > 0 | causal window time constant |');
    expect(markdown).toContain('| `pairing` |  | all_to_all | all_to_all \\| nearest |');
    expect(markdown).toContain('| `w_min_mv` | mV | 0 |  | lower weight bound |');
    expect(markdown).toContain('| `start_ms` | ms | 0 | >= 0 | no spikes before this time |');
    expect(markdown).toContain('| `stop_ms` | ms | - | > 0 |');
  });
});

describe('chronoprop models', () => {
  beforeAll(ensureBuilt);
  test('prints the catalogue, exit code 0', () => {
    const r = cli(['models']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(catalogueText(sections));
    expect(r.stdout).toMatch(/^ {4}tau_m_ms +ms +20 +> 0 +membrane time constant$/m);
  });
});
