/**
 * `chronoprop export <scenario> --sonata DIR`: the scenario's network as SONATA files (scenario/sonata-export.ts),
 * written to a temporary folder and renamed into place; a previous export there is replaced only with --force,
 * anything else never.
 */
import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { loadScenarioAsync } from '../api.js';
import { exportSonata, type SonataExport } from '../scenario/sonata-export.js';
import { buildAtomically } from '../scenario/runner.js';
import type { ReplaceRule } from '../scenario/out-folder.js';
import { ScenarioError } from '../scenario/errors.js';

const collect = (v: string, prev: string[] = []) => [...prev, v];

function isExportFolder(dir: string): boolean {
  try {
    return JSON.parse(readFileSync(join(dir, 'circuit_config.json'), 'utf8'))?.chronoprop?.format === 'chronoprop-sonata/1';
  } catch {
    return false;
  }
}

export function registerExportCommand(program: Command): void {
  program
    .command('export')
    .description("write a scenario's network as SONATA (nodes, edges, NEST model templates, inputs, configs)")
    .argument('<scenario>', 'scenario file or built-in name')
    .requiredOption('--sonata <dir>', 'the folder to write')
    .option('--force', 'replace a previous export at that folder (anything else there is never replaced)')
    .option('--seed <n>', 'override the scenario seed')
    .option('--set <path=value>', 'override a scenario field (repeatable)', collect)
    .option('-q, --quiet', 'print nothing')
    .action(async (ref: string, o: { sonata: string; force?: boolean; seed?: string; set?: string[]; quiet?: boolean }) => {
      if (o.seed !== undefined && !/^-?\d+$/.test(o.seed)) throw new ScenarioError([`--seed must be an integer, got ${JSON.stringify(o.seed)}`]);
      const sc = await loadScenarioAsync(ref, { seed: o.seed === undefined ? undefined : Number(o.seed), set: o.set });
      const dir = resolve(o.sonata);
      const rule: ReplaceRule = { ours: isExportFolder, what: 'SONATA export', sign: 'circuit_config.json', replace: o.force === true };
      let r: SonataExport | null = null;
      try {
        await buildAtomically(dir, async (tmp) => {
          r = await exportSonata(sc, tmp);
        }, rule);
      } catch (e) {
        // The folder rules' messages name --out, the option of run and sweep; here it is --sonata.
        if (e instanceof ScenarioError) throw new ScenarioError(e.problems.map((p) => p.replace(/ with --out$/, ' with --sonata')));
        throw e;
      }
      const done = r! as SonataExport;
      if (!o.quiet) {
        console.log(`${relative(process.cwd(), dir) || '.'}: ${done.nodes} nodes, ${done.edges} edges (circuit_config.json, simulation_config.json)`);
        for (const n of done.notMapped) console.log(`not mapped: ${n}`);
      }
    });
}
