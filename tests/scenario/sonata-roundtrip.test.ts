/**
 * Export to SONATA, import back, run: the network chronoprop drew (connectivity, weights, delays, initial
 * potentials, sources' spikes) must come back whole. Oracle: the original scenario's own run, same seed: every
 * spikes/<population>.csv byte for byte, and for the plastic projection the final weights (weights/ee.csv). The
 * imported scenario has no random draws left (pairs, listed values, spike_source), so an edge, weight, delay or
 * parameter off by an ulp, or a change in the order populations and projections are built in, shows here.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { loadScenario, runScenario } from '../../src/api.js';
import { exportSonata } from '../../src/scenario/sonata-export.js';
import { importSonata } from '../../src/scenario/sonata-import.js';

const TMP = mkdtempSync(join(tmpdir(), 'chronoprop-sonata-rt-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

const SMALL_CUBA = ['populations.exc.size=320', 'populations.inh.size=80', 'duration_ms=250', 'record.spikes="all"'];
const SMALL = join(__dirname, '..', 'fixtures', 'sweep', 'small.json');

const files = (dir: string, sub: string) => readdirSync(join(dir, sub)).filter((f) => f.endsWith('.csv')).sort();

describe('export to SONATA, import, run: the same spikes byte for byte', () => {
  test.each([
    ['cuba (small)', 'cuba', [...SMALL_CUBA, 'record.state=[]'], ['exc', 'inh'], []],
    ['cuba-stdp (small): additive STDP on ee', 'cuba-stdp', SMALL_CUBA, ['exc', 'inh'], ['ee']],
    // i_bias_mv, a_plus and a_minus chosen so that NEST's values divided back miss them by an ulp (math/exact-inverse.ts).
    ['a Poisson source as spike times, drawn delays and weights, multiplicative STDP, a bias', SMALL, [
      'projections.p.weight_mv={"uniform":[1,2.7]}', 'projections.p.delay_ms={"uniform":[0.5,2]}', 'populations.n.params.i_bias_mv=16.4',
      'projections.p.plasticity={"rule":"stdp","a_plus":0.027,"a_minus":0.029,"tau_plus_ms":16,"tau_minus_ms":33,"w_min_mv":0,"w_max_mv":2.7,"weight_dependence":"multiplicative"}',
    ], ['in', 'n'], ['p']],
    ['voltage jumps (nest:iaf_psc_delta), additive STDP, a bias', SMALL, [
      'populations.n.params.tau_syn_exc_ms=0', 'populations.n.params.tau_syn_inh_ms=0', 'populations.n.params.i_bias_mv=16.4',
      'projections.p.weight_mv={"normal":[1.5,0.5]}', 'projections.p.delay_ms={"uniform":[0,3]}',
      'projections.p.plasticity={"rule":"stdp","a_plus":0.027,"a_minus":0.029,"tau_plus_ms":20,"tau_minus_ms":20,"w_min_mv":0,"w_max_mv":2.7}',
    ], ['in', 'n'], ['p']],
  ])('%s', async (_, ref, set, pops, plastic) => {
    const sc = loadScenario(ref, { set, seed: 5 });
    const dir = mkdtempSync(join(TMP, 'x-'));
    await exportSonata(sc, join(dir, 'sonata'));
    const imp = await importSonata(join(dir, 'sonata'));
    expect(imp.scenario.seed).toBe(5);
    const file = join(dir, 'imported.json');
    writeFileSync(file, JSON.stringify(imp.scenario));
    const back = loadScenario(file);
    // Populations and projections in the original's order; nothing is left to draw: every projection lists its pairs.
    expect(back.populations.map((p) => p.name)).toEqual(sc.populations.map((p) => p.name));
    expect(back.projections.map((p) => p.name)).toEqual(sc.projections.map((p) => p.name));
    expect(back.projections.map((p) => p.connect.rule)).toEqual(back.projections.map(() => 'pairs'));
    await runScenario(sc, join(dir, 'a'), { workers: 1, report: false });
    await runScenario(back, join(dir, 'b'), { workers: 1, report: false });
    expect(files(join(dir, 'b'), 'spikes')).toEqual(files(join(dir, 'a'), 'spikes'));
    let spikes = 0;
    for (const p of pops) {
      const a = readFileSync(join(dir, 'a', 'spikes', `${p}.csv`), 'utf8');
      expect(readFileSync(join(dir, 'b', 'spikes', `${p}.csv`), 'utf8') === a, `spikes/${p}.csv`).toBe(true);
      const n = a.split('\n').length - 2;
      expect(n, `spikes in ${p}`).toBeGreaterThan(5);
      spikes += n;
    }
    expect(spikes).toBeGreaterThan(100);
    for (const p of plastic) {
      const a = readFileSync(join(dir, 'a', 'weights', `${p}.csv`), 'utf8');
      expect(readFileSync(join(dir, 'b', 'weights', `${p}.csv`), 'utf8') === a, `weights/${p}.csv`).toBe(true);
      expect(back.projections.find((q) => q.name === p)!.plasticity).toEqual(sc.projections.find((q) => q.name === p)!.plasticity);
    }
  }, 180_000);
});
