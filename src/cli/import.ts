/**
 * `chronoprop import --sonata <folder or config> --out <scenario.json>`: a SONATA circuit as a scenario file
 * (scenario/sonata-import.ts), validated before it is written. The file is written to a temporary name beside
 * --out, synced and renamed into place, so a reader never sees half of it; an existing --out is replaced only with
 * --force.
 */
import { Command } from 'commander';
import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { importSonata } from '../scenario/sonata-import.js';
import { ScenarioError } from '../scenario/errors.js';

/** JSON with two-space indents, but lists of numbers (edges, weights, spike times) on one line each. */
export function scenarioJson(v: unknown, indent = ''): string {
  if (Array.isArray(v) && v.every((x) => typeof x === 'number')) return JSON.stringify(v);
  if (typeof v !== 'object' || v === null) return JSON.stringify(v);
  const inner = indent + '  ';
  const items = Array.isArray(v) ? v.map((x) => inner + scenarioJson(x, inner)) : Object.entries(v).map(([k, x]) => `${inner}${JSON.stringify(k)}: ${scenarioJson(x, inner)}`);
  const [open, close] = Array.isArray(v) ? ['[', ']'] : ['{', '}'];
  return items.length === 0 ? open + close : `${open}\n${items.join(',\n')}\n${indent}${close}`;
}

/** Writes text to path atomically: temporary file in the same folder, fsync, rename, fsync of the folder. */
export function writeFileAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } finally {
    rmSync(tmp, { force: true });
  }
  const dfd = openSync(dirname(path), 'r');
  try {
    fsyncSync(dfd);
  } finally {
    closeSync(dfd);
  }
}

function checkOut(out: string, force: boolean): void {
  if (!existsSync(dirname(out))) throw new ScenarioError([`--out ${out}: expected a file in an existing folder, found no folder ${dirname(out)}`]);
  if (!existsSync(out)) return;
  if (statSync(out).isDirectory()) throw new ScenarioError([`--out ${out}: expected a scenario file name, found a folder`]);
  if (!force) throw new ScenarioError([`--out ${out}: expected a new file (or --force to replace it), found an existing file`]);
}

export function registerImportCommand(program: Command): void {
  program
    .command('import')
    .description('write a SONATA circuit (nodes, edges, NEST model templates, spike inputs) as a scenario file')
    .requiredOption('--sonata <path>', 'the SONATA folder (circuit_config.json, simulation_config.json) or a config file')
    .requiredOption('--out <file>', 'the scenario file to write (.json)')
    .option('--force', 'replace an existing --out file')
    .option('--name <name>', "the scenario's name (default: the exported scenario's, else the config's file name)")
    .option('--seed <n>', "the scenario's seed (default: the exported scenario's, else 1)")
    .option('--duration-ms <ms>', 'the run length (default: run.tstop of the simulation config)')
    .option('-q, --quiet', 'print nothing')
    .action(async (o: { sonata: string; out: string; force?: boolean; name?: string; seed?: string; durationMs?: string; quiet?: boolean }) => {
      if (o.seed !== undefined && !/^-?\d+$/.test(o.seed)) throw new ScenarioError([`--seed: expected an integer, found ${JSON.stringify(o.seed)}`]);
      const duration = o.durationMs === undefined ? undefined : Number(o.durationMs);
      if (duration !== undefined && !(duration > 0 && Number.isFinite(duration))) throw new ScenarioError([`--duration-ms: expected a duration > 0 (ms), found ${JSON.stringify(o.durationMs)}`]);
      const out = resolve(o.out);
      checkOut(out, o.force === true);
      const r = await importSonata(o.sonata, { name: o.name, seed: o.seed === undefined ? undefined : Number(o.seed), durationMs: duration });
      checkOut(out, o.force === true); // again: the import took a while, and a file may have appeared meanwhile
      writeFileAtomic(out, scenarioJson(r.scenario) + '\n');
      if (!o.quiet) {
        console.log(`${relative(process.cwd(), out)}: ${r.nodes} nodes, ${r.edges} edges (scenario ${r.scenario.name})`);
        for (const n of r.notes) console.log(`note: ${n}`);
      }
    });
}
