/**
 * What the SONATA import refuses, one case per kind of input it cannot map: each stops with exactly one line
 * naming the file, the field, what was expected and what was found (ScenarioError, exit code 2 on the command
 * line, tests/cli/import.test.ts). Each starts from the hand-written circuit (tiny-sonata.ts), which imports.
 */
import { afterAll, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { importSonata } from '../../src/scenario/sonata-import.js';
import { ScenarioError } from '../../src/scenario/errors.js';
import { writeTinySonata, type TinyFiles } from './tiny-sonata.js';

const TMP = mkdtempSync(join(tmpdir(), 'chronoprop-sonata-bad-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

const CELLS = (row: string) => (f: TinyFiles) => {
  f.nodeTypes = f.nodeTypes.replace('2 point_neuron nest:iaf_psc_exp_ps cells.json cells', row);
};

test.each<[string, (f: TinyFiles) => void, RegExp]>([
  ['an unknown neuron model', CELLS('2 point_neuron nest:aeif_cond_exp cells.json cells'),
    /net\/node_types\.csv: model_template of node type 2: expected one of nest:iaf_psc_exp_ps, nest:iaf_psc_exp, nest:iaf_psc_delta, nest:iaf_psc_alpha_ps, nest:iaf_psc_alpha, found nest:aeif_cond_exp$/],
  ['a parameter chronoprop lacks', (f) => { f.cellsJson.Delta_T = 2; },
    /models\/cells\/cells\.json: Delta_T: expected one of C_m, .*, found Delta_T \(a parameter chronoprop's model lacks\)$/],
  ['a parameter that is not a number', (f) => { f.cellsJson.tau_m = 'fast'; }, /cells\.json: tau_m: expected a finite number, found "fast"$/],
  ['a time constant the conversions cannot divide by', (f) => { f.cellsJson.tau_m = -5; }, /models\/cells\/cells\.json: tau_m: expected a time constant > 0 \(ms\), found -5$/],
  ['a missing required dataset', (f) => { f.drop.push('recur/delay'); },
    /net\/edges\.h5: edges\/recur\/0\/delay: expected a dataset \(or a delay column in .*edge_types\.csv\), found none \(a required dataset is missing\)$/],
  ['a morphology', (f) => { f.nodeTypes = f.nodeTypes.replace('pop_name\n', 'pop_name morphology\n').replace(' stim\n', ' stim NONE\n').replace(' cells\n', ' cells cell.swc\n'); },
    /net\/node_types\.csv: morphology of node type 2: expected NONE \(chronoprop has point neurons only\), found cell\.swc$/],
  ['a multicompartment model type', CELLS('2 biophysical ctdb:Biophys1.hoc cells.json cells'),
    /net\/node_types\.csv: model_type of node type 2: expected point_neuron or virtual, found biophysical$/],
  ['a synapse mechanism chronoprop lacks', (f) => { f.edgeTypes = f.edgeTypes.replace('12 stdp_synapse', '12 tsodyks2_synapse'); },
    /net\/edge_types\.csv: model_template of edge type 12: expected static_synapse or stdp_synapse \(the synapses chronoprop maps\), found tsodyks2_synapse$/],
  ['an STDP weight dependence chronoprop lacks', (f) => { f.stdpJson.mu_plus = 0.5; f.stdpJson.mu_minus = 0.5; },
    /models\/syn\/stdp\.json: mu_plus, mu_minus: expected both 0 \(additive\) or both 1 \(multiplicative\).*, found 0\.5, 0\.5$/],
  ['weights of both signs and no receptor column', (f) => { f.syn.input = [15, -22.5, 120, 7.5]; },
    /net\/edges\.h5: edges\/input\/0\/syn_weight: expected one sign per edge population .*, found 15 at edge 0 and -22\.5 at edge 1$/],
  ['an edge type with no row', (f) => { f.edgeTypes = f.edgeTypes.replace('11 static_synapse NONE\n', ''); },
    /net\/edge_types\.csv: edge_type_id: expected a row for type 11 \(used by edges\/inhib\), found none$/],
  ['an edges file that is not HDF5', (f) => { f.notHdf5Edges = true; }, /net\/edges\.h5: edges: expected an HDF5 file .*, found other bytes$/],
])('refused in one line: %s', async (_, tweak, line) => {
  const dir = await writeTinySonata(mkdtempSync(join(TMP, 'x-')), tweak);
  const err = await importSonata(dir).then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(ScenarioError);
  const problems = (err as ScenarioError).problems;
  expect(problems).toHaveLength(1);
  expect(problems[0]).not.toContain('\n');
  expect(problems[0]).toMatch(line);
}, 60_000);

test("values the scenario validator refuses: its lines, each naming the circuit config", async () => {
  const dir = await writeTinySonata(mkdtempSync(join(TMP, 'x-')), (f) => { f.cellsJson.t_ref = -1; });
  const err = (await importSonata(dir).then(() => null, (e: unknown) => e)) as ScenarioError;
  expect(err).toBeInstanceOf(ScenarioError);
  for (const p of err.problems) expect(p).toMatch(/circuit_config\.json \(imported as a scenario\): /);
  expect(err.problems).toContainEqual(expect.stringMatching(/populations\[1\]\.params\.t_ref_ms must be >= 0, got -1$/));
}, 60_000);

test('the unchanged circuit imports (the cases above fail for their one change)', async () => {
  const r = await importSonata(await writeTinySonata(mkdtempSync(join(TMP, 'x-'))));
  expect(r.edges).toBe(8);
}, 60_000);
